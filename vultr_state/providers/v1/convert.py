"""v1 wire records (already normalised by the client) → the neutral live model.

Called by ``provider.V1Provider`` on every list answer and by ``operations`` for the waiter's listings.
This is the one place where v1's field names (``SUBID``, ``DCID``, ``VPSPLANID``, ``OSID``...), its
``"yes"``/``"no"`` flags, its states (``status`` + ``server_state``, ``power_status``) and its pseudo OS
ids (159 boots an ISO, 164 a snapshot) are undone. Server secrets (``default_password``) are never
copied.
"""

from __future__ import annotations

import math
from collections.abc import Iterable, Mapping
from typing import Any

from vultr_state.model.live import (
    CatalogIso,
    CatalogOs,
    CatalogPlan,
    CatalogRegion,
    LiveServer,
    LiveSnapshot,
    LiveSshKey,
    LiveStartupScript,
    id_order,
)
from vultr_state.model.registry import Blob
from vultr_state.model.server import BootKind, InstallState, PowerState, SnapshotState

OS_CUSTOM = "159"  # v1's OSID that boots an ISO (or an iPXE chain)
OS_SNAPSHOT = "164"  # v1's OSID that boots a snapshot


def text(record: Mapping[str, Any], name: str) -> str:
    """A field as text; "" when absent, null or ``false``."""
    value = record.get(name)
    return "" if value is None or value is False else str(value)


def _opt(record: Mapping[str, Any], name: str) -> str | None:
    value = record.get(name)
    return None if value is None or value is False or value == "" else str(value)


def _flag(record: Mapping[str, Any], name: str) -> bool:
    value = record.get(name)
    return value is True or (isinstance(value, str) and value.lower() == "yes")


def sorted_by_id(items: Iterable[Any]) -> tuple[Any, ...]:
    """Model objects in ``id_order``."""
    return tuple(sorted(items, key=lambda item: id_order(item.id)))


def region(r: Mapping[str, Any]) -> CatalogRegion:
    """A ``regions/list`` record."""
    return CatalogRegion(
        id=text(r, "DCID"), name=text(r, "name"), code=text(r, "regioncode"), country=text(r, "country")
    )


def plan(p: Mapping[str, Any]) -> CatalogPlan:
    """A ``plans/list`` record."""
    locations = p.get("available_locations") or []
    return CatalogPlan(
        id=text(p, "VPSPLANID"),
        name=text(p, "name"),
        available_locations=tuple(str(x) for x in locations),
        monthly_cost=_price(p, "price_per_month"),
        family=text(p, "plan_type"),
        disk_gb=_whole(p, "disk"),
    )


def _whole(record: Mapping[str, Any], name: str) -> int | None:
    """A whole-number field (``"25"``), or None when it is missing or not a non-negative integer."""
    value = text(record, name)
    return int(value) if value.isdigit() else None


def _price(record: Mapping[str, Any], name: str) -> float | None:
    """A price field (``"5.00"``), or None when it is missing or not a finite non-negative number."""
    try:
        value = float(text(record, name))
    except ValueError:
        return None
    return value if math.isfinite(value) and value >= 0 else None


def os(o: Mapping[str, Any]) -> CatalogOs:
    """An ``os/list`` record."""
    osid = text(o, "OSID")
    return CatalogOs(id=osid, name=text(o, "name"), family=text(o, "family"), boot=boot_kind(osid))


def iso(i: Mapping[str, Any]) -> CatalogIso:
    """An ``iso/list`` record."""
    return CatalogIso(id=text(i, "ISOID"), filename=text(i, "filename"), status=text(i, "status"))


def ssh_key(k: Mapping[str, Any]) -> LiveSshKey:
    """An ``sshkey/list`` record."""
    return LiveSshKey(
        id=text(k, "SSHKEYID"),
        name=text(k, "name"),
        public_key=text(k, "ssh_key"),
        date_created=_opt(k, "date_created"),
    )


def script(s: Mapping[str, Any]) -> LiveStartupScript:
    """A ``startupscript/list`` record (not a registry one)."""
    return LiveStartupScript(
        id=text(s, "SCRIPTID"),
        name=text(s, "name"),
        type=text(s, "type") or "boot",
        script=text(s, "script"),
        date_created=_opt(s, "date_created"),
        date_modified=_opt(s, "date_modified"),
    )


def install_state(status: str, server_state: str) -> InstallState:
    """v1's ``status`` (pending/active/suspended/closed) and ``server_state`` (none/locked/
    installingbooting/isomounting/ok) as one neutral state."""
    if status == "active":
        if server_state == "locked":
            return InstallState.INSTALLING
        return InstallState.READY if server_state == "ok" else InstallState.BOOTING
    return {"pending": InstallState.PENDING, "suspended": InstallState.SUSPENDED}.get(
        status, InstallState.UNKNOWN
    )


def power_state(power_status: str) -> PowerState:
    """v1's ``power_status`` (running/stopped)."""
    return {"running": PowerState.RUNNING, "stopped": PowerState.STOPPED}.get(
        power_status, PowerState.UNKNOWN
    )


def snapshot_state(status: str) -> SnapshotState:
    """v1's snapshot ``status`` (pending/complete)."""
    return {"pending": SnapshotState.PENDING, "complete": SnapshotState.COMPLETE}.get(
        status, SnapshotState.UNKNOWN
    )


def boot_kind(osid: str) -> BootKind:
    """What an ``OSID`` says the server was installed from."""
    return {OS_SNAPSHOT: BootKind.SNAPSHOT, OS_CUSTOM: BootKind.ISO}.get(osid, BootKind.OS)


def server(s: Mapping[str, Any]) -> LiveServer:
    """A ``server/list`` record (``v6_networks``' first entry stands in for missing main IPv6 fields)."""
    networks = s.get("v6_networks") or []
    first_v6 = networks[0] if networks and isinstance(networks[0], Mapping) else {}
    return LiveServer(
        id=text(s, "SUBID"),
        label=text(s, "label"),
        region_id=text(s, "DCID"),
        plan_id=text(s, "VPSPLANID"),
        os_id=text(s, "OSID"),
        os_name=text(s, "os"),
        boot=boot_kind(text(s, "OSID")),
        install=install_state(text(s, "status"), text(s, "server_state")),
        power=power_state(text(s, "power_status")),
        main_ip=_opt(s, "main_ip"),
        v6_main_ip=_opt(s, "v6_main_ip") or _opt(first_v6, "v6_main_ip"),
        v6_network=_opt(s, "v6_network") or _opt(first_v6, "v6_network"),
        internal_ip=_opt(s, "internal_ip"),
        auto_backups=_flag(s, "auto_backups"),
        tag=text(s, "tag"),
        date_created=_opt(s, "date_created"),
        tags=(text(s, "tag"),) if text(s, "tag") else (),
    )


def snapshot(s: Mapping[str, Any]) -> LiveSnapshot:
    """A ``snapshot/list`` record."""
    return LiveSnapshot(
        id=text(s, "SNAPSHOTID"),
        description=text(s, "description"),
        state=snapshot_state(text(s, "status")),
        size=text(s, "size") or "0",
        os_id=text(s, "OSID"),
        date_created=_opt(s, "date_created"),
    )


def blob(s: Mapping[str, Any]) -> Blob:
    """A startup script record as a blob of the registry's store."""
    return Blob(id=text(s, "SCRIPTID"), name=text(s, "name"), body=text(s, "script"))
