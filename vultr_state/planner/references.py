"""Checks that every name a manifest entry refers to exists, in the manifest or in the account.

Called by ``planner.core`` before anything is planned. A server's SSH keys, startup script and boot
snapshot, and a snapshot's source server, may name present manifest entries or live objects (owned or
not); naming an entry the manifest marks absent, or nothing at all, is a problem with a "did you mean".
A snapshot that already exists is not checked: its source server is create-time only, so the snapshot
outlives it (the builder of a golden image may be absent or gone).
"""

from __future__ import annotations

import difflib
from collections.abc import Iterable

from vultr_state.model.desired import Desired, Ensure
from vultr_state.model.live import Live
from vultr_state.model.plan import Kind
from vultr_state.planner.catalog import CatalogProblem
from vultr_state.planner.collect import noun
from vultr_state.planner.simple import subject


def _known(present: Iterable[tuple[str, Ensure]], live_names: Iterable[str]) -> tuple[set[str], set[str]]:
    """(names that will exist, names the manifest marks absent)."""
    entries = list(present)
    absent = {name for name, state in entries if state is Ensure.ABSENT}
    known = ({name for name, state in entries if state is Ensure.PRESENT} | set(live_names)) - absent
    return known, absent


def _check(name: str, kind: Kind, known: set[str], absent: set[str]) -> str | None:
    if name in known:
        return None
    what = f"{noun(kind)} {name!r}"
    if name in absent:
        return f"refers to {what}, which the manifest marks absent"
    close = difflib.get_close_matches(name, sorted(known), n=1, cutoff=0.6)
    hint = f" (did you mean {close[0]!r}?)" if close else ""
    return f"refers to unknown {what}{hint}: it is neither in the manifest nor in the account"


def check_references(desired: Desired, live: Live, problems: list[CatalogProblem]) -> None:
    """Append a problem for every dangling reference of a present entry."""
    keys = _known(((k.name, k.state) for k in desired.ssh_keys), (k.name for k in live.ssh_keys))
    scripts = _known(
        ((s.name, s.state) for s in desired.startup_scripts), (s.name for s in live.startup_scripts)
    )
    snaps = _known(
        ((s.description, s.state) for s in desired.snapshots), (s.description for s in live.snapshots)
    )
    servers = _known(((s.label, s.state) for s in desired.servers), (s.label for s in live.servers))
    for srv in desired.servers:
        if srv.state is not Ensure.PRESENT:
            continue
        refs = [(n, Kind.SSH_KEY, keys) for n in srv.ssh_keys]
        if srv.startup_script:
            refs.append((srv.startup_script, Kind.STARTUP_SCRIPT, scripts))
        if srv.snapshot:
            refs.append((srv.snapshot, Kind.SNAPSHOT, snaps))
        for name, kind, (known, absent) in refs:
            message = _check(name, kind, known, absent)
            if message:
                problems.append(CatalogProblem(subject(Kind.SERVER, srv.label, srv.location), message))
    existing = {s.description for s in live.snapshots} | {
        o.name for o in live.registry.owned if o.kind == Kind.SNAPSHOT.value
    }
    for snap in desired.snapshots:
        if snap.state is not Ensure.PRESENT or not snap.server:
            continue
        if snap.description in existing or snap.renamed_from in existing:
            continue  # taken already: its source server is create-time only and may be gone
        message = _check(snap.server, Kind.SERVER, *servers)
        if message:
            problems.append(CatalogProblem(subject(Kind.SNAPSHOT, snap.description, snap.location), message))
