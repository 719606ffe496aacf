"""Planning SSH keys, startup scripts and snapshots: match, compare, act.

Called by ``planner.core``. These kinds have no catalog references; a snapshot's source server and a
server's references to keys and scripts are checked by ``planner.references``. An entry with
``renamed_from`` that matched the owned object of its old name shows the name change (in place for keys
and scripts; for a snapshot, as the API's ``Capabilities`` say: v2 renames one, v1 cannot, which is a
refusal that explains it).
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from functools import partial
from typing import Any

from vultr_state.model.capabilities import Capabilities
from vultr_state.model.desired import DesiredSnapshot, DesiredSshKey, DesiredStartupScript, Ensure
from vultr_state.model.live import Live
from vultr_state.model.plan import ChangeClass, FieldChange, Kind, Refusal, Spec
from vultr_state.planner.catalog import CatalogProblem, Subject
from vultr_state.planner.collect import Collector, action_key, noun
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
    compare: Callable[[Any, Match, Capabilities | None], tuple[FieldChange, ...]]
    to_spec: Callable[[Any], Spec]


_SSH_KEYS = _SimpleKind(
    Kind.SSH_KEY,
    lambda k: k.name,
    lambda o: o.name,
    lambda k, match, _caps: ssh_key.compare(k, match.live),
    ssh_key.to_spec,
)
_STARTUP_SCRIPTS = _SimpleKind(
    Kind.STARTUP_SCRIPT,
    lambda s: s.name,
    lambda o: o.name,
    lambda s, match, _caps: startup_script.compare(s, match.live),
    startup_script.to_spec,
)


def _compare_snapshot(
    desired: DesiredSnapshot, match: Match, capabilities: Capabilities | None
) -> tuple[FieldChange, ...]:
    """The source server (create-time, registry digest) and, for a declared rename, the description."""
    changes = snapshot.compare(desired, match.owned)
    if match.renamed_from is not None and match.live.description != desired.description:
        default = ChangeClass.CREATE_TIME_ONLY  # v1: the description is given when the snapshot is taken
        change_class = (
            capabilities.change_class(Kind.SNAPSHOT, "description", default) if capabilities else default
        )
        rename = FieldChange("description", match.live.description, desired.description, change_class)
        changes = tuple(sorted((*changes, rename), key=lambda c: c.field))
    return changes


# A snapshot's comparable facts: its source server (create-time) and, when renamed, its description.
_SNAPSHOTS = _SimpleKind(
    Kind.SNAPSHOT,
    lambda s: s.description,
    lambda o: o.description,
    _compare_snapshot,
    snapshot.to_spec,
)


def _unrenamable(kind: Kind, name: str, changes: tuple[FieldChange, ...], api: str) -> Refusal | None:
    """A refusal for a rename the API cannot carry out in place (v1 snapshots)."""
    change = next((c for c in changes if c.field == "description"), None)
    if kind is not Kind.SNAPSHOT or change is None or change.change_class is not ChangeClass.CREATE_TIME_ONLY:
        return None
    return Refusal(
        action_key(kind, name),
        f"snapshot {change.old!r} cannot be renamed to {name!r} on {api}: the API sets a snapshot's "
        "description only when the snapshot is taken. Keep the old description, or remove renamed_from "
        "to take a new snapshot under the new one (the old one is then pruned)",
    )


def _plan_kind(
    how: _SimpleKind,
    wanted: Sequence[Any],
    live_objects: Sequence[Any],
    live: Live,
    project: str,
    out: Collector,
    problems: list[CatalogProblem],
    capabilities: Capabilities | None = None,
) -> KindMatches:
    """Match ``wanted`` with ``live_objects`` by identity, then plan each entry and the prunes."""
    entries = [(how.identity(w), subject(how.kind, how.identity(w), w.location)) for w in wanted]
    renamed = {how.identity(w): w.renamed_from for w in wanted if w.renamed_from}
    km = match_kind(
        how.kind.value, entries, live_objects, how.live_identity, live.registry, problems, renamed
    )
    for item in sorted(wanted, key=how.identity):
        name = how.identity(item)
        match = km.matches.get(name)
        if match is None:
            continue
        if item.state is Ensure.ABSENT:
            plan_absent(how.kind, name, match, item.protect, out)
            continue
        changes = how.compare(item, match, capabilities) if match.live else ()
        refusal = _unrenamable(how.kind, name, changes, capabilities.api if capabilities else "v1")
        if refusal is not None:
            out.refusals.append(refusal)
            continue
        entry = Entry(how.kind, name, item.protect, partial(how.to_spec, item))
        plan_present(entry, match, changes, project, out)
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
    capabilities: Capabilities | None = None,
) -> KindMatches:
    """Plan every snapshot (a rename's class comes from ``capabilities``)."""
    return _plan_kind(_SNAPSHOTS, snapshots, live.snapshots, live, project, out, problems, capabilities)
