"""One function per (kind, action type): the API calls that carry out a plan action.

``run_step`` is what the scheduler runs on a worker thread for each action; it dispatches through the
explicit ``STEPS`` table. SSH keys, startup scripts, snapshots, destroys and adoptions are here; servers
and reverse DNS are in ``executor.server_steps``. Every call goes through the provider's typed
``Operations`` (and so through its shared rate limiter); creates go through ``creates.create_once`` so
that a lost answer never leads to a duplicate. Names in specs are resolved to ids at apply time by the
context.
"""

from __future__ import annotations

from collections.abc import Callable

from vultr_state.errors import PlanError
from vultr_state.executor.context import ApplyContext
from vultr_state.executor.creates import create_once, destroy_tolerant
from vultr_state.executor.inputs import in_place_changes, live_id_of, spec_of
from vultr_state.executor.scheduler import StepOutcome
from vultr_state.executor.server_steps import (
    create_server,
    reinstall_server,
    replace_server,
    set_reverse_dns,
    update_server,
)
from vultr_state.model.live import LiveSnapshot
from vultr_state.model.plan import (
    Action,
    ActionType,
    Kind,
    SnapshotSpec,
    SshKeySpec,
    StartupScriptSpec,
)
from vultr_state.model.server import SnapshotState

Step = Callable[[ApplyContext, Action], StepOutcome]


# -- SSH keys -------------------------------------------------------------------------------------------


def create_ssh_key(ctx: ApplyContext, action: Action) -> StepOutcome:
    """``create_ssh_key`` (adopting the key if the answer was lost)."""
    spec = spec_of(action, SshKeySpec)
    key_id = create_once(
        ctx, Kind.SSH_KEY, spec.name, lambda: ctx.ops.create_ssh_key(spec.name, spec.public_key)
    )
    ctx.record(Kind.SSH_KEY, spec.name, key_id)
    return StepOutcome(key_id)


def update_ssh_key(ctx: ApplyContext, action: Action) -> StepOutcome:
    """``update_ssh_key`` with the changed name and/or body (nothing for registry-only changes)."""
    fields = {c.field for c in in_place_changes(action)}
    key_id = live_id_of(action)
    if fields:
        spec = spec_of(action, SshKeySpec)
        ctx.ops.update_ssh_key(
            key_id,
            name=spec.name if "name" in fields else None,
            public_key=spec.public_key if "public_key" in fields else None,
        )
    return StepOutcome(key_id)


# -- startup scripts ------------------------------------------------------------------------------------


def create_startup_script(ctx: ApplyContext, action: Action) -> StepOutcome:
    """``create_startup_script`` (adopting the script if the answer was lost)."""
    spec = spec_of(action, StartupScriptSpec)
    script_id = create_once(
        ctx,
        Kind.STARTUP_SCRIPT,
        spec.name,
        lambda: ctx.ops.create_startup_script(spec.name, spec.script, spec.type),
    )
    ctx.record(Kind.STARTUP_SCRIPT, spec.name, script_id)
    return StepOutcome(script_id)


def update_startup_script(ctx: ApplyContext, action: Action) -> StepOutcome:
    """``update_startup_script`` with the changed name and/or body."""
    fields = {c.field for c in in_place_changes(action)}
    script_id = live_id_of(action)
    if fields:
        spec = spec_of(action, StartupScriptSpec)
        ctx.ops.update_startup_script(
            script_id,
            name=spec.name if "name" in fields else None,
            script=spec.script if "script" in fields else None,
        )
    return StepOutcome(script_id)


# -- snapshots ------------------------------------------------------------------------------------------


def _snapshot_complete(snapshot: LiveSnapshot) -> bool:
    return snapshot.state is SnapshotState.COMPLETE


def create_snapshot(ctx: ApplyContext, action: Action) -> StepOutcome:
    """``snapshot_server`` of the named server, then wait until the snapshot is complete."""
    spec = spec_of(action, SnapshotSpec)
    server_id = ctx.resolve(Kind.SERVER, spec.server)
    snapshot_id = create_once(
        ctx, Kind.SNAPSHOT, spec.description, lambda: ctx.ops.snapshot_server(server_id, spec.description)
    )
    ctx.record(Kind.SNAPSHOT, spec.description, snapshot_id)
    what = f"snapshot {spec.description!r} ({snapshot_id}) to complete"
    return StepOutcome(snapshot_id, wait=ctx.waiter.watch("snapshot", snapshot_id, _snapshot_complete, what))


def update_snapshot(ctx: ApplyContext, action: Action) -> StepOutcome:
    """``rename_snapshot`` for a declared rename (v2); nothing for a registry-only change."""
    snapshot_id = live_id_of(action)
    if any(c.field == "description" for c in in_place_changes(action)):
        ctx.ops.rename_snapshot(snapshot_id, spec_of(action, SnapshotSpec).description)
    return StepOutcome(snapshot_id)


# -- kind-independent -----------------------------------------------------------------------------------

_DESTROYABLE = (Kind.SSH_KEY, Kind.STARTUP_SCRIPT, Kind.SERVER, Kind.SNAPSHOT)


def destroy_object(ctx: ApplyContext, action: Action) -> StepOutcome:
    """``destroy`` of the live object (destroy and prune); "already gone" counts as done."""
    object_id = live_id_of(action)
    destroy_tolerant(ctx.ops, action.kind, object_id)
    return StepOutcome(object_id)


def adopt_object(ctx: ApplyContext, action: Action) -> StepOutcome:
    """No API call: the registry write at the end of the apply records the object as owned."""
    return StepOutcome(live_id_of(action))


def replace_simple(create: Step) -> Step:
    """A replace for kinds without addresses: destroy the old object, then create the new one."""

    def replace(ctx: ApplyContext, action: Action) -> StepOutcome:
        destroy_tolerant(ctx.ops, action.kind, live_id_of(action))
        return create(ctx, action)

    return replace


STEPS: dict[tuple[Kind, ActionType], Step] = {
    (Kind.SSH_KEY, ActionType.CREATE): create_ssh_key,
    (Kind.SSH_KEY, ActionType.UPDATE): update_ssh_key,
    (Kind.SSH_KEY, ActionType.REPLACE): replace_simple(create_ssh_key),
    (Kind.STARTUP_SCRIPT, ActionType.CREATE): create_startup_script,
    (Kind.STARTUP_SCRIPT, ActionType.UPDATE): update_startup_script,
    (Kind.STARTUP_SCRIPT, ActionType.REPLACE): replace_simple(create_startup_script),
    (Kind.SERVER, ActionType.CREATE): create_server,
    (Kind.SERVER, ActionType.UPDATE): update_server,
    (Kind.SERVER, ActionType.REINSTALL): reinstall_server,
    (Kind.SERVER, ActionType.REPLACE): replace_server,
    (Kind.REVERSE_DNS, ActionType.CREATE): set_reverse_dns,
    (Kind.REVERSE_DNS, ActionType.UPDATE): set_reverse_dns,
    (Kind.SNAPSHOT, ActionType.CREATE): create_snapshot,
    (Kind.SNAPSHOT, ActionType.UPDATE): update_snapshot,
    (Kind.SNAPSHOT, ActionType.REPLACE): replace_simple(create_snapshot),
    **{(kind, ActionType.DESTROY): destroy_object for kind in _DESTROYABLE},
    **{(kind, ActionType.PRUNE): destroy_object for kind in _DESTROYABLE},
    **{(kind, ActionType.ADOPT): adopt_object for kind in _DESTROYABLE},
}


def run_step(ctx: ApplyContext, action: Action) -> StepOutcome:
    """Carry out ``action`` (called on a worker thread by the scheduler).

    Raises:
        PlanError: the plan holds an action this executor cannot carry out.
        ApiError: a call failed.
    """
    step = STEPS.get((action.kind, action.type))
    if step is None:
        raise PlanError(f"{action.key}: cannot {action.type} a {action.kind.value.replace('_', ' ')}")
    return step(ctx, action)
