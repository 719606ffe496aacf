"""The steps that act on servers and their reverse DNS.

Registered in ``executor.steps.STEPS``; each runs on a scheduler worker and returns a ``StepOutcome``.

- create: resolve the SSH key, startup script and snapshot names to ids (they may have been created
  earlier in this apply), ``create_server`` through ``create_once`` (no duplicate after a lost answer),
  then wait - through the shared waiter, without holding a worker - until the server is ``active`` with
  a real ``main_ip`` (and IPv6 address when asked for); a server wanted ``stopped`` is halted then.
- replace: first ask whether the spec's plan can still be ordered in its region (``plan_available``)
  and stop, with the old server intact, when it cannot; then destroy the old server FIRST and create the
  new one with the same label. The label is the server's identity, so two servers never carry it at
  once, and a rerun after a crash between the two simply creates the missing server. The price is
  downtime until the new server is active (its address is new anyway). If the destroy is refused (v1's
  5-minute rule, a locked server) the old server stays.
- reinstall: ``reinstall`` from the spec's boot source (an OS, or a snapshot) when that changes, and/or
  with the new host name (v2), then wait until the install has been seen to begin (pending, locked,
  installing or booting: a server still showing its old ready state has not started yet) and is no
  longer locked; power is then set as the manifest asks.
- update: one ``update_server`` with every in-place field (label, tag(s), backups, enabling IPv6 or a
  private network, a plan upgrade), then ``power_off``/``power_on``. After a plan upgrade (v2:
  ``resizing``) or enabling IPv6 the step waits until the server lists the new plan, is active again and
  has its IPv6 address, before power is set and reverse DNS (which waits for this step) is written.
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
from vultr_state.model.plan import Action, ChangeClass, FieldChange, Kind, ReverseDnsSpec, ServerSpec
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


def _reinstalled(before: LiveServer) -> Ready:
    """Ready once the reinstall is seen to have begun and is over.

    Begun: the server was listed in a state other than ready (pending, locked, installing, booting), or
    it already shows something the reinstall changed (its OS, boot source or host name differ from
    ``before``, the record listed before the call). A listing identical to ``before`` right after the
    call is the old, ready server of an API whose lists lag behind: it is not taken for a finished
    install.
    """
    begun = False
    old = (before.os_id, before.boot, before.hostname)

    def ready(server: LiveServer) -> bool:
        nonlocal begun
        if server.install is not InstallState.READY or (server.os_id, server.boot, server.hostname) != old:
            begun = True
        return begun and server.install.active and server.install is not InstallState.INSTALLING

    return ready


def _updated(plan_id: str | None, ipv6: bool) -> Ready:
    """Ready once an upgrade shows (the new plan, active again, not resizing) and IPv6 has an address."""

    def ready(server: LiveServer) -> bool:
        if plan_id is not None and (server.plan_id != plan_id or not server.install.active):
            return False
        return not ipv6 or server.v6_main_ip is not None

    return ready


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
        tags=spec.tags,
        user_data=spec.user_data,
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
    """Check the plan can still be ordered, destroy the old server, then create its replacement (see
    the module docstring for why in this order).

    Raises:
        PlanError: the spec's plan is no longer available in its region (nothing was destroyed).
    """
    spec = spec_of(action, ServerSpec)
    old = live_id_of(action)
    if not ctx.ops.plan_available(spec.region_id, spec.plan_id):
        plan = spec.plan_name or spec.plan_id
        region = spec.region_name or spec.region_id
        raise PlanError(
            f"{action.key}: plan {plan!r} can no longer be ordered in region {region!r}; the old server "
            f"{old} was left as it is (choose another plan or region, then plan again)"
        )
    destroy_tolerant(ctx.ops, Kind.SERVER, old)
    server_id = _send_create(ctx, spec, (old,))
    what = f"server {spec.label} ({server_id}, replacing {old}) to be active with a main IP"
    return _wait_then_power(ctx, server_id, spec, what, _ready(spec))


_BOOT_FIELDS = ("os", "snapshot", "iso")


def reinstall_server(ctx: ApplyContext, action: Action) -> StepOutcome:
    """``reinstall`` from the spec's snapshot or OS and/or with its new host name, then wait."""
    spec = spec_of(action, ServerSpec)
    server_id = live_id_of(action)
    _apply_in_place(ctx, server_id, action, skip_power=True)
    reinstalls = {c.field for c in action.changes if c.change_class is ChangeClass.REINSTALL}
    boot_changed = bool(reinstalls & set(_BOOT_FIELDS))
    hostname = spec.hostname if "hostname" in reinstalls else None
    boot = _boot(ctx, spec) if boot_changed else None
    before = ctx.server_record(server_id)
    try:
        ctx.ops.reinstall(server_id, boot, hostname=hostname)
    except ApiOutcomeUnknown:
        # Look before repeating: a second OS change would restart the install.
        if boot is not None and boot.kind is BootKind.SNAPSHOT:
            raise
        listed = ctx.relisted_server(server_id)
        if listed is None or not _shows(listed, spec, boot, hostname):
            raise
    what = f"server {spec.label} ({server_id}) to finish reinstalling"
    return _wait_then_power(ctx, server_id, spec, what, _reinstalled(before))


def _shows(listed: LiveServer, spec: ServerSpec, boot: BootSource | None, hostname: str | None) -> bool:
    """Whether the listed server already shows the reinstall whose answer was lost."""
    if boot is not None and listed.os_id != spec.os_id:
        return False
    return hostname is None or listed.hostname == hostname


# -- in-place updates -----------------------------------------------------------------------------------


def _start(ctx: ApplyContext, server_id: str) -> None:
    """``power_on``; after a lost answer, it counts as done if the server is running."""
    try:
        ctx.ops.power_on(server_id)
    except ApiOutcomeUnknown:
        listed = ctx.relisted_server(server_id)
        if listed is None or listed.power is not PowerState.RUNNING:
            raise


def _in_place_update(action: Action) -> ServerUpdate:
    """Every in-place field change of ``action`` but power, as one ``ServerUpdate``.

    Raises:
        PlanError: a field that cannot change in place.
    """
    fields: dict[str, object] = {}
    for change in in_place_changes(action):
        if change.field == "power":
            continue
        if change.field == "label":
            fields["label"] = str(change.new)
        elif change.field == "tag":
            fields["tag"] = str(change.new or "")
        elif change.field == "tags":
            fields["tags"] = tuple(change.new or ())
        elif change.field == "plan":
            fields["plan_id"] = spec_of(action, ServerSpec).plan_id  # the change shows the plan's name
        elif change.field == "ipv6":
            fields["enable_ipv6"] = bool(change.new)
        elif change.field == "private_network":
            fields["private_network"] = bool(change.new)
        elif change.field == "auto_backups":
            fields["auto_backups"] = bool(change.new)
        else:
            raise PlanError(f"{action.key}: cannot change {change.field!r} of a live server in place")
    return ServerUpdate(**fields)  # type: ignore[arg-type]


def _apply_in_place(ctx: ApplyContext, server_id: str, action: Action, *, skip_power: bool = False) -> None:
    update = _in_place_update(action)
    if not update.empty:
        ctx.ops.update_server(server_id, update)
    if skip_power:
        return
    for change in in_place_changes(action):
        if change.field == "power":
            if change.new == "stopped":
                ctx.ops.power_off(server_id)
            else:
                _start(ctx, server_id)


def update_server(ctx: ApplyContext, action: Action) -> StepOutcome:
    """The in-place changes of a server: label, tag(s), backups, IPv6, private network, a plan upgrade
    (then wait until it shows), power."""
    server_id = live_id_of(action)
    update = _in_place_update(action)
    if update.plan_id is None and not update.enable_ipv6:
        _apply_in_place(ctx, server_id, action)
        return StepOutcome(server_id)
    spec = spec_of(action, ServerSpec)
    _apply_in_place(ctx, server_id, action, skip_power=True)
    what = (
        f"server {spec.label} ({server_id}) to be back on plan {spec.plan_name or spec.plan_id}"
        if update.plan_id is not None
        else f"server {spec.label} ({server_id}) to have its IPv6 address"
    )
    return _wait_then_power(ctx, server_id, spec, what, _updated(update.plan_id, bool(update.enable_ipv6)))


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
