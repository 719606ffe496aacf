"""The steps that act on servers and their reverse DNS.

Registered in ``executor.steps.STEPS``; each runs on a scheduler worker and returns a ``StepOutcome``.

- create: resolve the SSH key, startup script and snapshot names to ids (they may have been created
  earlier in this apply), ``create_server`` through ``create_once`` (no duplicate after a lost answer),
  then wait - through the shared waiter, without holding a worker - until the server is ``active`` with
  a real ``main_ip`` (and IPv6 address when asked for); a server wanted ``stopped`` is halted then.
- replace: destroy the old server FIRST, then create the new one with the same label. The label is the
  server's identity, so two servers never carry it at once, and a rerun after a crash between the two
  simply creates the missing server. The price is downtime until the new server is active (its address
  is new anyway). If the destroy is refused (v1's 5-minute rule, a locked server) the old server stays.
- reinstall: ``reinstall`` from the spec's boot source (an OS, or a snapshot), then wait until the
  install is no longer locked; power is then set as the manifest asks.
- update: ``update_server`` (label, tag) and ``power_off``/``power_on`` for the in-place changes, one
  call per change in field order.
- reverse DNS: ``set_reverse_dns`` for each managed address, ``reset_reverse_dns`` where a name stops
  being managed.
"""

from __future__ import annotations

import logging
from collections.abc import Callable

from vultr_state.errors import ApiOutcomeUnknown, PlanError
from vultr_state.executor.context import ApplyContext
from vultr_state.executor.creates import create_once, destroy_tolerant
from vultr_state.executor.inputs import in_place_changes, live_id_of, spec_of
from vultr_state.executor.scheduler import StepOutcome
from vultr_state.model.live import LiveServer
from vultr_state.model.plan import Action, FieldChange, Kind, ReverseDnsSpec, ServerSpec
from vultr_state.model.server import (
    BootKind,
    BootSource,
    InstallState,
    PowerState,
    ServerCreate,
    ServerUpdate,
)

log = logging.getLogger(__name__)

Ready = Callable[[LiveServer], bool]


# -- readiness predicates -------------------------------------------------------------------------------


def _ready(spec: ServerSpec) -> Ready:
    def ready(server: LiveServer) -> bool:
        addressed = bool(server.main_ip) and (not spec.ipv6 or server.v6_main_ip is not None)
        return server.install.active and addressed

    return ready


def _reinstalled(server: LiveServer) -> bool:
    return server.install.active and server.install is not InstallState.INSTALLING


def _wait_then_power(
    ctx: ApplyContext, server_id: str, spec: ServerSpec, what: str, ready: Ready
) -> StepOutcome:
    """Wait through the shared waiter, remember the listed record, then halt if the spec says stopped."""

    def after(server: LiveServer) -> StepOutcome:
        ctx.remember_servers([server])
        if spec.power == "stopped" and server.power is not PowerState.STOPPED:
            ctx.ops.power_off(server_id)
        elif spec.power == "running" and server.power is PowerState.STOPPED:
            _start(ctx, server_id)
        return StepOutcome(server_id)

    return StepOutcome(server_id, wait=ctx.waiter.watch("server", server_id, ready, what), then=after)


# -- create / replace / reinstall -----------------------------------------------------------------------


def _boot(ctx: ApplyContext, spec: ServerSpec) -> BootSource:
    """The spec's boot source with its snapshot resolved to an id."""
    if spec.snapshot:
        return BootSource.snapshot(ctx.resolve(Kind.SNAPSHOT, spec.snapshot))
    if spec.iso_id:
        return BootSource.iso(spec.iso_id)
    return BootSource.os(spec.os_id or "")


def _send_create(ctx: ApplyContext, spec: ServerSpec, known_ids: tuple[str, ...]) -> str:
    ssh_key_ids = tuple(ctx.resolve(Kind.SSH_KEY, name) for name in spec.ssh_keys)
    script_id = ctx.resolve(Kind.STARTUP_SCRIPT, spec.startup_script) if spec.startup_script else None
    request = ServerCreate(
        label=spec.label,
        region_id=spec.region_id,
        plan_id=spec.plan_id,
        boot=_boot(ctx, spec),
        ssh_key_ids=ssh_key_ids,
        startup_script_id=script_id,
        ipv6=spec.ipv6,
        private_network=spec.private_network,
        auto_backups=spec.auto_backups,
        hostname=spec.hostname,
        tag=spec.tag,
    )
    server_id = create_once(ctx, Kind.SERVER, spec.label, lambda: ctx.ops.create_server(request), known_ids)
    ctx.record(Kind.SERVER, spec.label, server_id)
    return server_id


def create_server(ctx: ApplyContext, action: Action) -> StepOutcome:
    """``create_server``, then wait until active with its addresses."""
    spec = spec_of(action, ServerSpec)
    server_id = _send_create(ctx, spec, ())
    what = f"server {spec.label} ({server_id}) to be active with a main IP"
    return _wait_then_power(ctx, server_id, spec, what, _ready(spec))


def replace_server(ctx: ApplyContext, action: Action) -> StepOutcome:
    """Destroy the old server, then create its replacement (see the module docstring for why)."""
    spec = spec_of(action, ServerSpec)
    old = live_id_of(action)
    destroy_tolerant(ctx.ops, Kind.SERVER, old)
    server_id = _send_create(ctx, spec, (old,))
    what = f"server {spec.label} ({server_id}, replacing {old}) to be active with a main IP"
    return _wait_then_power(ctx, server_id, spec, what, _ready(spec))


def reinstall_server(ctx: ApplyContext, action: Action) -> StepOutcome:
    """``reinstall`` from the spec's snapshot or OS, then wait."""
    spec = spec_of(action, ServerSpec)
    server_id = live_id_of(action)
    _apply_in_place(ctx, server_id, action, skip_power=True)
    boot = _boot(ctx, spec)
    try:
        ctx.ops.reinstall(server_id, boot)
    except ApiOutcomeUnknown:
        # Look before repeating: a second OS change would restart the install.
        if boot.kind is BootKind.SNAPSHOT:
            raise
        listed = ctx.relisted_server(server_id)
        if listed is None or listed.os_id != spec.os_id:
            raise
    what = f"server {spec.label} ({server_id}) to finish reinstalling"
    return _wait_then_power(ctx, server_id, spec, what, _reinstalled)


# -- in-place updates -----------------------------------------------------------------------------------


def _start(ctx: ApplyContext, server_id: str) -> None:
    """``power_on``; after a lost answer, it counts as done if the server is running."""
    try:
        ctx.ops.power_on(server_id)
    except ApiOutcomeUnknown:
        listed = ctx.relisted_server(server_id)
        if listed is None or listed.power is not PowerState.RUNNING:
            raise


def _apply_in_place(ctx: ApplyContext, server_id: str, action: Action, *, skip_power: bool = False) -> None:
    for change in in_place_changes(action):
        if change.field == "label":
            ctx.ops.update_server(server_id, ServerUpdate(label=str(change.new)))
        elif change.field == "tag":
            ctx.ops.update_server(server_id, ServerUpdate(tag=str(change.new or "")))
        elif change.field == "power":
            if skip_power:
                continue
            if change.new == "stopped":
                ctx.ops.power_off(server_id)
            else:
                _start(ctx, server_id)
        else:
            raise PlanError(f"{action.key}: cannot change {change.field!r} of a live server in place")


def update_server(ctx: ApplyContext, action: Action) -> StepOutcome:
    """The in-place changes of a server: label, tag, power."""
    server_id = live_id_of(action)
    _apply_in_place(ctx, server_id, action)
    return StepOutcome(server_id)


# -- reverse DNS ----------------------------------------------------------------------------------------


def _targets(action: Action, spec: ReverseDnsSpec) -> list[tuple[str, str | None, str | None]]:
    """(family, explicit address or None for the main one, name or None to unset) for each change.

    The planner's fields are ``ipv4``, ``ipv6`` (the main addresses) and ``ipv6[<address>]`` (extras).
    With no field changes listed, every name of the spec is set.
    """
    changes = in_place_changes(action)
    if not changes:
        wanted: list[tuple[str, str | None, str | None]] = []
        if spec.ipv4:
            wanted.append(("v4", None, spec.ipv4))
        if spec.ipv6:
            wanted.append(("v6", None, spec.ipv6))
        wanted.extend(("v6", address, name) for address, name in spec.ipv6_extra)
        return wanted
    return [_target(action, change) for change in changes]


def _target(action: Action, change: FieldChange) -> tuple[str, str | None, str | None]:
    name = str(change.new) if change.new else None
    if change.field == "ipv4":
        return ("v4", None, name)
    if change.field == "ipv6":
        return ("v6", None, name)
    if change.field.startswith("ipv6[") and change.field.endswith("]"):
        return ("v6", change.field[len("ipv6[") : -1], name)  # an extra address: ipv6[2001:db8::5]
    raise PlanError(f"{action.key}: unknown reverse DNS field {change.field!r}")


def set_reverse_dns(ctx: ApplyContext, action: Action) -> StepOutcome:
    """Set (or reset) the reverse DNS names of one server's addresses.

    Addresses exist only once a server is active: for a server that is not yet (one adopted while still
    installing), the names are set after the shared waiter has seen it ready.
    """
    spec = spec_of(action, ReverseDnsSpec)
    server_id = ctx.resolve(Kind.SERVER, spec.server)
    targets = _targets(action, spec)
    needs_v6 = any(family == "v6" and address is None for family, address, _ in targets)

    def ready(server: LiveServer) -> bool:
        active = server.install.active and bool(server.main_ip)
        if active and needs_v6 and server.v6_main_ip is None:
            if server.install is InstallState.READY:  # fully booted without IPv6: it will never have one
                raise PlanError(f"{action.key}: server {server_id} has no IPv6 address (enable ipv6 on it)")
            return False
        return active

    def set_names(server: LiveServer) -> StepOutcome:
        for family, address, name in targets:
            _set_one(ctx, action, server, family, address, name)
        return StepOutcome(server_id)

    server = ctx.server_record(server_id)
    if ready(server):
        return set_names(server)
    what = f"server {spec.server} ({server_id}) to be active before setting its reverse DNS"
    return StepOutcome(server_id, wait=ctx.waiter.watch("server", server_id, ready, what), then=set_names)


def _set_one(
    ctx: ApplyContext,
    action: Action,
    server: LiveServer,
    family: str,
    address: str | None,
    name: str | None,
) -> None:
    if family == "v4":
        ip = address or server.main_ip
        if not ip:
            raise PlanError(f"{action.key}: server {server.id} has no main IPv4 address")
    else:
        ip = address or server.v6_main_ip
        if not ip:
            raise PlanError(f"{action.key}: server {server.id} has no IPv6 address (enable ipv6 on it)")
    if name:
        ctx.ops.set_reverse_dns(server.id, ip, name)
    else:
        ctx.ops.reset_reverse_dns(server.id, ip)
