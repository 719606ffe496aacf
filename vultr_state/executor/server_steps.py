"""The steps that act on servers and their reverse DNS.

Registered in ``executor.steps.STEPS``; each runs on a scheduler worker and returns a ``StepOutcome``.

- create: resolve the SSH key, startup script and snapshot names to ids (they may have been created
  earlier in this apply), ``server/create`` through ``create_once`` (no duplicate after a lost answer),
  then wait - through the shared waiter, without holding a worker - until the server is ``active`` with
  a real ``main_ip`` (and IPv6 address when asked for); a server wanted ``stopped`` is halted then.
- replace: destroy the old server FIRST, then create the new one with the same label. The label is the
  server's identity, so two servers never carry it at once, and a rerun after a crash between the two
  simply creates the missing server. The price is downtime until the new server is active (its address
  is new anyway). If the destroy is refused (v1's 5-minute rule, a locked server) the old server stays.
- reinstall: ``server/os_change`` or ``server/restore_snapshot``, then wait until the install has moved
  past ``locked``; power is then set as the manifest asks.
- update: ``label_set``, ``tag_set``, ``halt``/``start`` for the in-place changes.
- reverse DNS: ``reverse_set_ipv4`` / ``reverse_set_ipv6`` for each managed address, and
  ``reverse_default_ipv4`` / ``reverse_delete_ipv6`` where a name stops being managed.
"""

from __future__ import annotations

import logging
from collections.abc import Mapping
from typing import Any

from vultr_state.errors import ApiOutcomeUnknown, PlanError
from vultr_state.executor.context import ApplyContext
from vultr_state.executor.creates import create_once, destroy_tolerant
from vultr_state.executor.inputs import in_place_changes, live_id_of, spec_of
from vultr_state.executor.scheduler import StepOutcome
from vultr_state.model.plan import Action, FieldChange, Kind, ReverseDnsSpec, ServerSpec

log = logging.getLogger(__name__)

SNAPSHOT_OSID = "164"


# -- readiness predicates -------------------------------------------------------------------------------


def v6_main_ip(server: Mapping[str, Any]) -> str | None:
    """The server's main IPv6 address, from ``v6_main_ip`` or the first of ``v6_networks``."""
    if server.get("v6_main_ip"):
        return str(server["v6_main_ip"])
    for network in server.get("v6_networks") or ():
        if network.get("v6_main_ip"):
            return str(network["v6_main_ip"])
    return None


def _ready(spec: ServerSpec):
    def ready(server: Mapping[str, Any]) -> bool:
        addressed = bool(server.get("main_ip")) and (not spec.ipv6 or v6_main_ip(server) is not None)
        return server.get("status") == "active" and addressed

    return ready


def _reinstalled(server: Mapping[str, Any]) -> bool:
    return server.get("status") == "active" and server.get("server_state") != "locked"


def _wait_then_power(ctx: ApplyContext, subid: str, spec: ServerSpec, what: str, ready) -> StepOutcome:
    """Wait through the shared waiter, remember the listed record, then halt if the spec says stopped."""

    def after(server: Mapping[str, Any]) -> StepOutcome:
        ctx.remember_servers([server])
        if spec.power == "stopped" and server.get("power_status") != "stopped":
            ctx.client.server_halt(subid)
        elif spec.power == "running" and server.get("power_status") == "stopped":
            _start(ctx, subid)
        return StepOutcome(subid)

    return StepOutcome(subid, wait=ctx.waiter.watch("server", subid, ready, what), then=after)


# -- create / replace / reinstall -----------------------------------------------------------------------


def _send_create(ctx: ApplyContext, spec: ServerSpec, known_ids: tuple[str, ...]) -> str:
    ssh_key_ids = [ctx.resolve(Kind.SSH_KEY, name) for name in spec.ssh_keys]
    script_id = ctx.resolve(Kind.STARTUP_SCRIPT, spec.startup_script) if spec.startup_script else None
    snapshot_id = ctx.resolve(Kind.SNAPSHOT, spec.snapshot) if spec.snapshot else None

    def send() -> str:
        return ctx.client.server_create(
            spec.region_id,
            spec.plan_id,
            spec.os_id,
            label=spec.label,
            sshkeyids=ssh_key_ids,
            scriptid=script_id,
            snapshotid=snapshot_id,
            isoid=spec.iso_id,
            enable_ipv6=spec.ipv6,
            enable_private_network=spec.private_network,
            auto_backups=spec.auto_backups,
            hostname=spec.hostname,
            tag=spec.tag,
        )

    subid = create_once(ctx, Kind.SERVER, spec.label, send, known_ids)
    ctx.record(Kind.SERVER, spec.label, subid)
    return subid


def create_server(ctx: ApplyContext, action: Action) -> StepOutcome:
    """``server/create``, then wait until active with its addresses."""
    spec = spec_of(action, ServerSpec)
    subid = _send_create(ctx, spec, ())
    what = f"server {spec.label} ({subid}) to be active with a main IP"
    return _wait_then_power(ctx, subid, spec, what, _ready(spec))


def replace_server(ctx: ApplyContext, action: Action) -> StepOutcome:
    """Destroy the old server, then create its replacement (see the module docstring for why)."""
    spec = spec_of(action, ServerSpec)
    old = live_id_of(action)
    destroy_tolerant(ctx.client.server_destroy, old)
    subid = _send_create(ctx, spec, (old,))
    what = f"server {spec.label} ({subid}, replacing {old}) to be active with a main IP"
    return _wait_then_power(ctx, subid, spec, what, _ready(spec))


def reinstall_server(ctx: ApplyContext, action: Action) -> StepOutcome:
    """``server/restore_snapshot`` (boot source is a snapshot) or ``server/os_change``, then wait."""
    spec = spec_of(action, ServerSpec)
    subid = live_id_of(action)
    _apply_in_place(ctx, subid, action, skip_power=True)
    if spec.os_id == SNAPSHOT_OSID and spec.snapshot:
        snapshot_id = ctx.resolve(Kind.SNAPSHOT, spec.snapshot)
        ctx.client.server_restore_snapshot(subid, snapshot_id)
    else:
        try:
            ctx.client.server_os_change(subid, spec.os_id)
        except ApiOutcomeUnknown:
            # Look before repeating: a second os_change would restart the install.
            if ctx.listing(Kind.SERVER, fresh=True).get(subid, {}).get("OSID") != spec.os_id:
                raise
    what = f"server {spec.label} ({subid}) to finish reinstalling"
    return _wait_then_power(ctx, subid, spec, what, _reinstalled)


# -- in-place updates -----------------------------------------------------------------------------------


def _start(ctx: ApplyContext, subid: str) -> None:
    """``server/start``; after a lost answer, it counts as done if the server is running."""
    try:
        ctx.client.server_start(subid)
    except ApiOutcomeUnknown:
        if ctx.listing(Kind.SERVER, fresh=True).get(subid, {}).get("power_status") != "running":
            raise


def _apply_in_place(ctx: ApplyContext, subid: str, action: Action, *, skip_power: bool = False) -> None:
    for change in in_place_changes(action):
        if change.field == "label":
            ctx.client.server_label_set(subid, str(change.new))
        elif change.field == "tag":
            ctx.client.server_tag_set(subid, str(change.new or ""))
        elif change.field == "power":
            if skip_power:
                continue
            if change.new == "stopped":
                ctx.client.server_halt(subid)
            else:
                _start(ctx, subid)
        else:
            raise PlanError(f"{action.key}: cannot change {change.field!r} of a live server in place")


def update_server(ctx: ApplyContext, action: Action) -> StepOutcome:
    """The in-place changes of a server: label, tag, power."""
    subid = live_id_of(action)
    _apply_in_place(ctx, subid, action)
    return StepOutcome(subid)


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
    subid = ctx.resolve(Kind.SERVER, spec.server)
    targets = _targets(action, spec)
    needs_v6 = any(family == "v6" and address is None for family, address, _ in targets)

    def ready(server: Mapping[str, Any]) -> bool:
        active = server.get("status") == "active" and bool(server.get("main_ip"))
        if active and needs_v6 and v6_main_ip(server) is None:
            if server.get("server_state") == "ok":  # fully booted without IPv6: it will never have one
                raise PlanError(f"{action.key}: server {subid} has no IPv6 address (enable ipv6 on it)")
            return False
        return active

    def set_names(server: Mapping[str, Any]) -> StepOutcome:
        for family, address, name in targets:
            _set_one(ctx, action, subid, server, family, address, name)
        return StepOutcome(subid)

    server = ctx.server_record(subid)
    if ready(server):
        return set_names(server)
    what = f"server {spec.server} ({subid}) to be active before setting its reverse DNS"
    return StepOutcome(subid, wait=ctx.waiter.watch("server", subid, ready, what), then=set_names)


def _set_one(
    ctx: ApplyContext,
    action: Action,
    subid: str,
    server: Mapping[str, Any],
    family: str,
    address: str | None,
    name: str | None,
) -> None:
    if family == "v4":
        ip = address or server.get("main_ip")
        if not ip:
            raise PlanError(f"{action.key}: server {subid} has no main IPv4 address")
        if name:
            ctx.client.server_reverse_set_ipv4(subid, ip, name)
        else:
            ctx.client.server_reverse_default_ipv4(subid, ip)
        return
    ip = address or v6_main_ip(server)
    if not ip:
        raise PlanError(f"{action.key}: server {subid} has no IPv6 address (enable ipv6 on it)")
    if name:
        ctx.client.server_reverse_set_ipv6(subid, ip, name)
    else:
        ctx.client.server_reverse_delete_ipv6(subid, ip)
