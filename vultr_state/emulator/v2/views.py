"""Wire shapes of v2 account objects, lifecycle-dependent fields computed at read time.

Called by the v2 handlers and the ``V2Api`` inspection helpers. Nothing runs in the background: status,
server status, addresses and sizes are derived from the record, the injected clock and the config.

Instance lifecycle (P = ``provision_seconds``, ``core.lifecycle``): ``pending``/``none`` for P with the
recorded placeholders (``main_ip`` and ``gateway_v4`` "0.0.0.0", ``netmask_v4`` "", ``disk`` 0, ``kvm``
""; ``internal_ip``, ``features``, ``label``, ``tags``, ``plan``, ``os_id`` already final), then
``active``/``locked``, ``active``/``installingbooting``, ``active``/``ok``. A reinstall or restore starts
again at ``locked``. A plan change shows ``resizing``/``locked`` for P with ``disk`` 0, ``kvm`` "", the new
``plan`` and the old ``ram``/``vcpu_count`` (the 2021 recording), then the new plan's figures.

Field order is the recorded 2021 order, then the later additions ``hostname`` (before ``tag``, as in the
documentation), ``tags`` and ``user_scheme``; ``default_password`` is the last key when shown (see
``instance_view``). Dates are ISO-8601 with ``+00:00``.
"""

from __future__ import annotations

import functools
import ipaddress
import time
from typing import Any

from vultr_state.emulator.core.config import EmulatorConfig
from vultr_state.emulator.core.lifecycle import Stage, done_after, install_stage
from vultr_state.emulator.v2.catalog import Catalog
from vultr_state.emulator.v2.models import (
    InstanceRecord,
    IsoRecord,
    ScriptRecord,
    SnapshotRecord,
    SshKeyRecord,
)

KVM_URL = "https://my.vultr.com/subs/vps/novnc/api.php?data="
NETMASK_V4 = "255.255.254.0"
PASSWORD_WINDOW_SECONDS = 600.0  # single reads show default_password this long after it was issued
GIB = 1024**3

_STATUS = {
    Stage.PENDING: ("pending", "none"),
    Stage.LOCKED: ("active", "locked"),
    Stage.INSTALLING: ("active", "installingbooting"),
    Stage.OK: ("active", "ok"),
}


@functools.lru_cache(maxsize=65_536)
def format_date(epoch: float) -> str:
    """``YYYY-MM-DDTHH:MM:SS+00:00``, the v2 date format."""
    return time.strftime("%Y-%m-%dT%H:%M:%S+00:00", time.gmtime(epoch))


def stage(instance: InstanceRecord, now: float, config: EmulatorConfig) -> Stage:
    """The install stage of an instance at ``now``."""
    return install_stage(
        instance.install_started_at,
        first=instance.install_count == 1,
        now=now,
        provision_seconds=config.provision_seconds,
    )


def resizing(instance: InstanceRecord, now: float, config: EmulatorConfig) -> bool:
    """Whether a plan change is still running."""
    started = instance.resize_started_at
    return started >= 0 and not done_after(started, now=now, seconds=config.provision_seconds)


def is_locked(instance: InstanceRecord, now: float, config: EmulatorConfig) -> bool:
    """Whether destructive calls are refused now (server status ``none`` or ``locked``)."""
    return resizing(instance, now, config) or stage(instance, now, config) in (Stage.PENDING, Stage.LOCKED)


@functools.lru_cache(maxsize=65_536)
def expanded_v6(address: str) -> str:
    """An IPv6 address with every group written out (``2001:0db8:0000:...``)."""
    return ipaddress.IPv6Address(address).exploded


@functools.lru_cache(maxsize=65_536)
def v6_network_text(network: str) -> str:
    """A /64 network as the instance shows it: zero-padded groups then ``::``."""
    return ":".join(expanded_v6(network).split(":")[:4]) + "::"


def default_reverse(ip: str) -> str:
    """The PTR name an IPv4 address has until it is changed (real: ``<ip>.vultrusercontent.com``)."""
    return f"{ip}.vultrusercontent.com"


def instance_view(
    instance: InstanceRecord, catalog: Catalog, now: float, config: EmulatorConfig, *, single: bool = False
) -> dict[str, Any]:
    """The instance object. ``single`` (create, get, update, reinstall answers) adds ``default_password``
    while it is fresh (``PASSWORD_WINDOW_SECONDS``); lists never show it."""
    current = stage(instance, now, config)
    status, server_status = _STATUS[current]
    pending = current is Stage.PENDING
    resize = resizing(instance, now, config)
    if resize:
        status, server_status = "resizing", "locked"
    figures = catalog.plans[instance.resize_from_plan if resize else instance.plan]
    has_v6 = bool(instance.v6_network) and not pending
    view: dict[str, Any] = {
        "id": instance.id,
        "os": instance.os_name,
        "ram": figures["ram"],
        "disk": 0 if pending or resize else catalog.plans[instance.plan]["disk"],
        "main_ip": "0.0.0.0" if pending else instance.main_ip,
        "vcpu_count": figures["vcpu_count"],
        "region": instance.region,
        "plan": instance.plan,
        "date_created": format_date(instance.created_at),
        "status": status,
        "allowed_bandwidth": figures["bandwidth"] * 1000 // 1024,
        "netmask_v4": "" if pending else NETMASK_V4,
        "gateway_v4": "0.0.0.0" if pending else instance.gateway_v4,
        "power_status": instance.power_status,
        "server_status": server_status,
        "v6_network": v6_network_text(instance.v6_network) if has_v6 else "",
        "v6_main_ip": expanded_v6(instance.v6_main_ip) if has_v6 else "",
        "v6_network_size": 64 if has_v6 else 0,
        "label": instance.label,
        "internal_ip": instance.internal_ip,
        "kvm": "" if pending or resize else KVM_URL + instance.kvm_token,
        "hostname": instance.hostname,
        "tag": instance.tag,
        "os_id": instance.os_id,
        "app_id": instance.app_id,
        "image_id": instance.image_id,
        "firewall_group_id": instance.firewall_group_id,
        "features": list(instance.features),
        "tags": list(instance.tags),
        "user_scheme": instance.user_scheme,
    }
    if single and now - instance.password_issued_at < PASSWORD_WINDOW_SECONDS:
        view["default_password"] = instance.default_password
    return view


def ssh_key_view(key: SshKeyRecord) -> dict[str, Any]:
    """The SSH key object (list and single read alike)."""
    return {
        "id": key.id,
        "date_created": format_date(key.created_at),
        "name": key.name,
        "ssh_key": key.ssh_key,
    }


def script_view(script: ScriptRecord, *, with_body: bool) -> dict[str, Any]:
    """The startup script object; list items omit ``script`` (the body), single reads include it."""
    view = {
        "id": script.id,
        "date_created": format_date(script.created_at),
        "date_modified": format_date(script.modified_at),
        "name": script.name,
        "type": script.type,
    }
    if with_body:
        view["script"] = script.script
    return view


def snapshot_view(snapshot: SnapshotRecord, now: float, config: EmulatorConfig) -> dict[str, Any]:
    """The snapshot object: ``pending`` with size 0, then ``complete`` with its size in bytes."""
    done = done_after(snapshot.created_at, now=now, seconds=config.snapshot_seconds)
    return {
        "id": snapshot.id,
        "date_created": format_date(snapshot.created_at),
        "description": snapshot.description,
        "size": snapshot.size if done else 0,
        "status": "complete" if done else "pending",
        "os_id": snapshot.os_id,
        "app_id": snapshot.app_id,
    }


def iso_done(iso: IsoRecord, now: float, config: EmulatorConfig) -> bool:
    """Whether an ISO download has finished."""
    return done_after(iso.created_at, now=now, seconds=config.snapshot_seconds)


def iso_view(iso: IsoRecord, now: float, config: EmulatorConfig) -> dict[str, Any]:
    """The ISO object; while ``pending`` it has no size or checksums (documented)."""
    view: dict[str, Any] = {
        "id": iso.id,
        "date_created": format_date(iso.created_at),
        "filename": iso.filename,
    }
    if iso_done(iso, now, config):
        view |= {"size": iso.size, "md5sum": iso.md5sum, "sha512sum": iso.sha512sum, "status": "complete"}
    else:
        view["status"] = "pending"
    return view


def snapshot_size(catalog: Catalog, plan_id: str) -> int:
    """Bytes of a complete snapshot of an instance of ``plan_id`` (recorded: a 25 GB plan gave 25 GiB)."""
    return catalog.plans[plan_id]["disk"] * GIB
