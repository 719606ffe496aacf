"""Planning SSH keys, startup scripts and snapshots: match, compare, act.

Called by ``planner.core``. These kinds have no catalog references; a snapshot's source server and a
server's references to keys and scripts are checked by ``planner.references``.
"""

from __future__ import annotations

from vultr_state.catalog import CatalogProblem, Subject
from vultr_state.model.desired import DesiredSnapshot, DesiredSshKey, DesiredStartupScript, Ensure
from vultr_state.model.live import Live
from vultr_state.model.plan import Kind
from vultr_state.planner.collect import Collector, noun
from vultr_state.planner.entries import Entry, plan_absent, plan_present, plan_prunes
from vultr_state.planner.matching import KindMatches, match_kind
from vultr_state.resources import snapshot, ssh_key, startup_script


def subject(kind: Kind, name: str, location) -> Subject:
    """How an entry is named in problem messages."""
    return Subject(f"{noun(kind)} {name!r}", location)


def plan_ssh_keys(
    keys: tuple[DesiredSshKey, ...], live: Live, project: str, out: Collector, problems: list[CatalogProblem]
) -> KindMatches:
    """Plan every SSH key; returns the matching (for unmanaged counts and stale entries)."""
    entries = [(k.name, subject(Kind.SSH_KEY, k.name, k.location)) for k in keys]
    km = match_kind(Kind.SSH_KEY.value, entries, live.ssh_keys, lambda o: o.name, live.registry, problems)
    for key in sorted(keys, key=lambda k: k.name):
        match = km.matches.get(key.name)
        if match is None:
            continue
        if key.state is Ensure.ABSENT:
            plan_absent(Kind.SSH_KEY, key.name, match, key.protect, out)
            continue
        changes = ssh_key.compare(key, match.live) if match.live else ()
        entry = Entry(Kind.SSH_KEY, key.name, key.protect, ssh_key.to_spec(key))
        plan_present(entry, match, changes, project, out)
    plan_prunes(Kind.SSH_KEY, km.prune, lambda o: o.name, out)
    return km


def plan_startup_scripts(
    scripts: tuple[DesiredStartupScript, ...],
    live: Live,
    project: str,
    out: Collector,
    problems: list[CatalogProblem],
) -> KindMatches:
    """Plan every startup script (the registry scripts are not among ``live.startup_scripts``)."""
    entries = [(s.name, subject(Kind.STARTUP_SCRIPT, s.name, s.location)) for s in scripts]
    km = match_kind(
        Kind.STARTUP_SCRIPT.value, entries, live.startup_scripts, lambda o: o.name, live.registry, problems
    )
    for script in sorted(scripts, key=lambda s: s.name):
        match = km.matches.get(script.name)
        if match is None:
            continue
        if script.state is Ensure.ABSENT:
            plan_absent(Kind.STARTUP_SCRIPT, script.name, match, script.protect, out)
            continue
        changes = startup_script.compare(script, match.live) if match.live else ()
        entry = Entry(Kind.STARTUP_SCRIPT, script.name, script.protect, startup_script.to_spec(script))
        plan_present(entry, match, changes, project, out)
    plan_prunes(Kind.STARTUP_SCRIPT, km.prune, lambda o: o.name, out)
    return km


def plan_snapshots(
    snapshots: tuple[DesiredSnapshot, ...],
    live: Live,
    project: str,
    out: Collector,
    problems: list[CatalogProblem],
) -> KindMatches:
    """Plan every snapshot; a snapshot's only comparable fact is its source server (create-time)."""
    entries = [(s.description, subject(Kind.SNAPSHOT, s.description, s.location)) for s in snapshots]
    km = match_kind(
        Kind.SNAPSHOT.value, entries, live.snapshots, lambda o: o.description, live.registry, problems
    )
    for snap in sorted(snapshots, key=lambda s: s.description):
        match = km.matches.get(snap.description)
        if match is None:
            continue
        if snap.state is Ensure.ABSENT:
            plan_absent(Kind.SNAPSHOT, snap.description, match, snap.protect, out)
            continue
        changes = snapshot.compare(snap, match.owned) if match.live else ()
        entry = Entry(Kind.SNAPSHOT, snap.description, snap.protect, snapshot.to_spec(snap))
        plan_present(entry, match, changes, project, out)
    plan_prunes(Kind.SNAPSHOT, km.prune, lambda o: o.description, out)
    return km
