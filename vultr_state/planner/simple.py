"""Planning SSH keys, startup scripts and snapshots: match, compare, act.

Called by ``planner.core``. These kinds have no catalog references; a snapshot's source server and a
server's references to keys and scripts are checked by ``planner.references``.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import Any

from vultr_state.model.desired import DesiredSnapshot, DesiredSshKey, DesiredStartupScript, Ensure
from vultr_state.model.live import Live
from vultr_state.model.plan import FieldChange, Kind, Spec
from vultr_state.planner.catalog import CatalogProblem, Subject
from vultr_state.planner.collect import Collector, noun
from vultr_state.planner.entries import Entry, plan_absent, plan_present, plan_prunes
from vultr_state.planner.matching import KindMatches, Match, match_kind
from vultr_state.resources import snapshot, ssh_key, startup_script


def subject(kind: Kind, name: str, location) -> Subject:
    """How an entry is named in problem messages."""
    return Subject(f"{noun(kind)} {name!r}", location)


@dataclass(frozen=True, slots=True)
class _SimpleKind:
    """What differs between the simple kinds: identities, comparison and spec."""

    kind: Kind
    identity: Callable[[Any], str]  # desired entry -> identity
    live_identity: Callable[[Any], str]  # live object -> identity
    compare: Callable[[Any, Match], tuple[FieldChange, ...]]
    to_spec: Callable[[Any], Spec]


_SSH_KEYS = _SimpleKind(
    Kind.SSH_KEY,
    lambda k: k.name,
    lambda o: o.name,
    lambda k, match: ssh_key.compare(k, match.live),
    ssh_key.to_spec,
)
_STARTUP_SCRIPTS = _SimpleKind(
    Kind.STARTUP_SCRIPT,
    lambda s: s.name,
    lambda o: o.name,
    lambda s, match: startup_script.compare(s, match.live),
    startup_script.to_spec,
)
# A snapshot's only comparable fact is its source server, which is create-time (registry digest).
_SNAPSHOTS = _SimpleKind(
    Kind.SNAPSHOT,
    lambda s: s.description,
    lambda o: o.description,
    lambda s, match: snapshot.compare(s, match.owned),
    snapshot.to_spec,
)


def _plan_kind(
    how: _SimpleKind,
    wanted: Sequence[Any],
    live_objects: Sequence[Any],
    live: Live,
    project: str,
    out: Collector,
    problems: list[CatalogProblem],
) -> KindMatches:
    """Match ``wanted`` with ``live_objects`` by identity, then plan each entry and the prunes."""
    entries = [(how.identity(w), subject(how.kind, how.identity(w), w.location)) for w in wanted]
    km = match_kind(how.kind.value, entries, live_objects, how.live_identity, live.registry, problems)
    for item in sorted(wanted, key=how.identity):
        name = how.identity(item)
        match = km.matches.get(name)
        if match is None:
            continue
        if item.state is Ensure.ABSENT:
            plan_absent(how.kind, name, match, item.protect, out)
            continue
        changes = how.compare(item, match) if match.live else ()
        plan_present(Entry(how.kind, name, item.protect, how.to_spec(item)), match, changes, project, out)
    plan_prunes(how.kind, km.prune, how.live_identity, out)
    return km


def plan_ssh_keys(
    keys: tuple[DesiredSshKey, ...], live: Live, project: str, out: Collector, problems: list[CatalogProblem]
) -> KindMatches:
    """Plan every SSH key; returns the matching (for unmanaged counts and stale entries)."""
    return _plan_kind(_SSH_KEYS, keys, live.ssh_keys, live, project, out, problems)


def plan_startup_scripts(
    scripts: tuple[DesiredStartupScript, ...],
    live: Live,
    project: str,
    out: Collector,
    problems: list[CatalogProblem],
) -> KindMatches:
    """Plan every startup script (the registry scripts are not among ``live.startup_scripts``)."""
    return _plan_kind(_STARTUP_SCRIPTS, scripts, live.startup_scripts, live, project, out, problems)


def plan_snapshots(
    snapshots: tuple[DesiredSnapshot, ...],
    live: Live,
    project: str,
    out: Collector,
    problems: list[CatalogProblem],
) -> KindMatches:
    """Plan every snapshot."""
    return _plan_kind(_SNAPSHOTS, snapshots, live.snapshots, live, project, out, problems)
