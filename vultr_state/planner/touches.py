"""What a plan touches: the fingerprints a saved plan is checked against before it is applied.

Called by ``planner.core`` (``Plan.fingerprints``). A saved plan goes stale only on what it touches, so
that CI's ``plan --out`` → ``apply PLANFILE`` survives unrelated changes in a shared account (a
colleague renaming their own key). Touched are:

- every live object an action changes, destroys, prunes or adopts (by its ``live_id``; for reverse DNS,
  the server's record and its names);
- every live object an action depends on: the SSH keys, startup script and snapshot a created,
  replaced or reinstalled server names, the server whose names a reverse-DNS action sets, the source
  server of a snapshot to take (an update needs only its own object);
- every live object an action could clash with: one of the same kind already carrying the identity an
  action creates, adopts or renames to;
- the project's registry (ownership, protection, create-time digests), and the catalog entries
  (region, plan, OS, ISO) that the creates, replaces and reinstalls resolve names to.

Everything else in the account is left out. The saved-plan check also re-plans and compares the
actions, so a change that alters what apply would do (a new object claiming a manifest name, an owned
object edited by hand) is refused whether or not it was fingerprinted.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator, Sequence

from vultr_state.model.live import Catalog, Live
from vultr_state.model.plan import (
    Action,
    ActionType,
    Kind,
    ReverseDnsSpec,
    ServerSpec,
    SnapshotSpec,
)
from vultr_state.planner.fingerprints import fingerprints_of
from vultr_state.registry.digests import short_digest

_CATALOG_ACTIONS = {ActionType.CREATE, ActionType.REPLACE, ActionType.REINSTALL}


def _by_identity(live: Live) -> dict[tuple[Kind, str], list[str]]:
    """(kind, identity) -> ids of the live objects carrying it."""
    index: dict[tuple[Kind, str], list[str]] = {}
    named = (
        (Kind.SSH_KEY, ((o.id, o.name) for o in live.ssh_keys)),
        (Kind.STARTUP_SCRIPT, ((o.id, o.name) for o in live.startup_scripts)),
        (Kind.SERVER, ((o.id, o.label) for o in live.servers)),
        (Kind.SNAPSHOT, ((o.id, o.description) for o in live.snapshots)),
    )
    for kind, pairs in named:
        for object_id, name in pairs:
            index.setdefault((kind, name), []).append(object_id)
    return index


def _references(action: Action) -> Iterator[tuple[Kind, str]]:
    """(kind, name) of every object ``action`` names besides its own."""
    spec = action.spec
    if action.type not in _CATALOG_ACTIONS and not isinstance(spec, ReverseDnsSpec):
        return  # an update, destroy or adoption needs nothing but its own object
    if isinstance(spec, ServerSpec):
        yield from ((Kind.SSH_KEY, name) for name in spec.ssh_keys)
        if spec.startup_script:
            yield Kind.STARTUP_SCRIPT, spec.startup_script
        if spec.snapshot:
            yield Kind.SNAPSHOT, spec.snapshot
    elif isinstance(spec, (ReverseDnsSpec, SnapshotSpec)) and spec.server:
        yield Kind.SERVER, spec.server  # the server whose names are set, or the snapshot's source


def _own_keys(action: Action) -> Iterator[str]:
    if not action.live_id:
        return
    if action.kind is Kind.REVERSE_DNS:
        yield f"server:{action.live_id}"
        yield f"reverse_dns:{action.live_id}"
        return
    yield f"{action.kind.value}:{action.live_id}"
    if action.kind is Kind.SERVER:
        yield f"reverse_dns:{action.live_id}"  # its names go with it (a replace sets them again)


def _catalog_pairs(catalog: Catalog, specs: Iterable[ServerSpec]) -> list[tuple[str, str]]:
    """``("catalog:<table>:<id>", digest)`` of each catalog entry the specs resolve to."""
    tables = {
        "region": {r.id: [r.id, r.name, r.code] for r in catalog.regions},
        "plan": {p.id: [p.id, p.name, list(p.available_locations)] for p in catalog.plans},
        "os": {o.id: [o.id, o.name] for o in catalog.oses},
        "iso": {i.id: [i.id, i.filename] for i in catalog.isos},
    }
    pairs = set()
    for spec in specs:
        for table, entry_id in (
            ("region", spec.region_id),
            ("plan", spec.plan_id),
            ("os", spec.os_id),
            ("iso", spec.iso_id),
        ):
            if entry_id:
                pairs.add((f"catalog:{table}:{entry_id}", short_digest(tables[table].get(entry_id))))
    return sorted(pairs)


def touched_fingerprints(actions: Sequence[Action], live: Live) -> tuple[tuple[str, str], ...]:
    """The fingerprints of everything ``actions`` touch (see the module docstring), sorted by key."""
    by_identity = _by_identity(live)
    keys = {f"registry:{live.registry.project}"}
    for action in actions:
        keys.update(_own_keys(action))
        named = list(_references(action))
        if action.kind is not Kind.REVERSE_DNS:
            named.append((action.kind, action.name))  # a clash: another object with the identity
        for kind, name in named:
            keys.update(f"{kind.value}:{object_id}" for object_id in by_identity.get((kind, name), ()))
    specs = [a.spec for a in actions if a.type in _CATALOG_ACTIONS and isinstance(a.spec, ServerSpec)]
    pairs = fingerprints_of(live, keys)
    return tuple(sorted(pairs + _catalog_pairs(live.catalog, specs)))
