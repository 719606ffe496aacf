"""Dependencies between actions and the plan's deterministic order.

Called by the planner after every action is built. ``depends_on`` is filled from what each action
references: a server create/replace waits for the keys, script and snapshot it names; a reinstall from a
snapshot waits for that snapshot; reverse DNS waits for its server's create, replace or in-place update
(which may enable IPv6); a snapshot waits
for any action on its source server; an update that follows an adoption waits for the adoption.

Order: a topological sort that, among ready actions, takes creates/updates before destroys, then kinds
in dependency order (keys, scripts, servers, reverse DNS, snapshots; reversed for destroys), then name.
"""

from __future__ import annotations

import heapq
from collections.abc import Iterable, Sequence
from dataclasses import replace

from vultr_state.errors import PlanError
from vultr_state.model.plan import Action, ActionType, Kind, ReverseDnsSpec, ServerSpec, SnapshotSpec
from vultr_state.planner.collect import ADOPT_SUFFIX, action_key

_REMOVING = {ActionType.DESTROY, ActionType.PRUNE}
_CREATING = {ActionType.CREATE, ActionType.REPLACE}
# Server actions whose addresses a reverse-DNS action of the same server must wait for (an in-place
# update may enable IPv6).
_READDRESSING = {*_CREATING, ActionType.UPDATE}
_KIND_RANK = {kind: rank for rank, kind in enumerate(Kind)}


def _references(action: Action) -> Iterable[tuple[str, frozenset[ActionType] | None]]:
    """(key, the action types of that key that count, None for any non-removing) this action needs."""
    spec = action.spec
    if isinstance(spec, ServerSpec) and action.type in _CREATING:
        yield from ((action_key(Kind.SSH_KEY, n), None) for n in spec.ssh_keys)
        if spec.startup_script:
            yield action_key(Kind.STARTUP_SCRIPT, spec.startup_script), None
        if spec.snapshot:
            yield action_key(Kind.SNAPSHOT, spec.snapshot), None
    elif isinstance(spec, ServerSpec) and action.type is ActionType.REINSTALL and spec.snapshot:
        yield action_key(Kind.SNAPSHOT, spec.snapshot), None
    elif isinstance(spec, ReverseDnsSpec):
        yield action_key(Kind.SERVER, spec.server), frozenset(_READDRESSING)
    elif isinstance(spec, SnapshotSpec) and action.type in _CREATING:
        yield action_key(Kind.SERVER, spec.server), None
    if action.type is not ActionType.ADOPT:
        yield action.key + ADOPT_SUFFIX, frozenset({ActionType.ADOPT})


def with_dependencies(actions: Sequence[Action]) -> list[Action]:
    """The actions with ``depends_on`` filled (sorted keys of actions present in the plan)."""
    by_key = {a.key: a for a in actions}
    result = []
    for action in actions:
        deps = set()
        for key, types in _references(action):
            target = by_key.get(key)
            if target is None or target.key == action.key or target.type in _REMOVING:
                continue
            if types is None or target.type in types:
                deps.add(key)
        result.append(replace(action, depends_on=tuple(sorted(deps))))
    return result


def _priority(action: Action) -> tuple[int, int, str, str]:
    if action.type in _REMOVING:
        return (1, len(_KIND_RANK) - _KIND_RANK[action.kind], action.name, action.key)
    return (0, _KIND_RANK[action.kind], action.name, action.key)


def ordered(actions: Sequence[Action]) -> tuple[Action, ...]:
    """The actions in a dependency-respecting, deterministic order (see the module docstring).

    Raises:
        PlanError: the dependencies form a cycle (a server booting from a snapshot of itself).
    """
    by_key = {a.key: a for a in actions}
    waiting = {a.key: set(a.depends_on) for a in actions}
    dependents: dict[str, list[str]] = {}
    for action in actions:
        for dep in action.depends_on:
            dependents.setdefault(dep, []).append(action.key)
    ready = [(_priority(by_key[k]), k) for k, deps in waiting.items() if not deps]
    heapq.heapify(ready)
    result: list[Action] = []
    while ready:
        _, key = heapq.heappop(ready)
        result.append(by_key[key])
        for child in dependents.get(key, ()):
            waiting[child].discard(key)
            if not waiting[child]:
                heapq.heappush(ready, (_priority(by_key[child]), child))
    if len(result) != len(actions):
        stuck = sorted(set(by_key) - {a.key for a in result})
        raise PlanError(f"cannot plan: these actions wait for each other: {', '.join(stuck)}")
    return tuple(result)
