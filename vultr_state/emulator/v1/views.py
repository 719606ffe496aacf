"""Wire shapes of v1 account objects, with lifecycle-dependent fields computed at read time.

Called by the v1 handlers (and ``Emulator`` inspection helpers). Nothing runs in the background: status,
server_state, addresses, password, bandwidth and charges are derived from the record, the injected clock
and the config each time a view is built.

Lifecycle (P = ``provision_seconds``), measured from the start of the install:

* first install: ``pending``/``none`` during P with ``main_ip`` "0.0.0.0", ``default_password`` "",
  ``kvm_url`` "", ``v6_main_ip`` ``false`` and empty IPv6/private fields (the 2018/2020 recordings);
  then ``active``/``locked`` for P/2, ``active``/``installingbooting`` for P/2, then ``active``/``ok``.
* reinstall, os_change, restore_snapshot, restore_backup: the server stays ``active`` and runs
  ``locked`` → ``installingbooting`` → ``ok`` again (P/2 each).

Types follow the 2018-2020 service: every scalar a string except ``current_bandwidth_gb`` (number) and
``v6_main_ip`` (``false`` while pending). A server without IPv6 shows empty strings and ``v6_networks: []``.
Default reverse DNS of an IPv4 address (chosen; never recorded): ``<ip>.vultr.com``.
"""

from __future__ import annotations

import calendar
import functools
import time
from dataclasses import dataclass
from typing import Any

from vultr_state.emulator.core.config import EmulatorConfig
from vultr_state.emulator.core.lifecycle import Stage, done_after, install_stage
from vultr_state.emulator.v1.catalog import Catalog
from vultr_state.emulator.v1.models import (
    BackupRecord,
    ScriptRecord,
    ServerRecord,
    SnapshotRecord,
    SshKeyRecord,
)

NETMASK_V4 = "255.255.255.0"
KVM_URL = "https://my.vultr.com/subs/novnc/api.php?data="
DAY = 86_400.0
HOURS_PER_MONTH = 672


@dataclass(frozen=True, slots=True)
class Phase:
    """Where a server is in its lifecycle at one instant."""

    status: str
    server_state: str

    @property
    def pending(self) -> bool:
        return self.status == "pending"


@functools.lru_cache(maxsize=65_536)
def format_date(epoch: float) -> str:
    """``YYYY-MM-DD HH:MM:SS`` in UTC, the v1 date format."""
    return time.strftime("%Y-%m-%d %H:%M:%S", time.gmtime(epoch))


_PHASES = {
    Stage.PENDING: Phase("pending", "none"),
    Stage.LOCKED: Phase("active", "locked"),
    Stage.INSTALLING: Phase("active", "installingbooting"),
    Stage.OK: Phase("active", "ok"),
}


def phase(server: ServerRecord, now: float, config: EmulatorConfig) -> Phase:
    """The lifecycle phase of a server at ``now`` (``core.lifecycle`` in v1 words)."""
    stage = install_stage(
        server.install_started_at,
        first=server.install_count == 1,
        now=now,
        provision_seconds=config.provision_seconds,
    )
    return _PHASES[stage]


def active_since(server: ServerRecord, config: EmulatorConfig) -> float:
    """When the server first became active."""
    return server.created_at + config.provision_seconds


def _daily_bytes(seed: int, subid: str, day: int, share: float) -> tuple[int, int]:
    """Deterministic (incoming, outgoing) bytes of a server on a day (an integer hash, cheap on purpose)."""
    x = (int(subid) * 2_654_435_761 + day * 40_503 + seed * 97) & 0xFFFFFFFF
    x ^= x >> 15
    x = (x * 2_246_822_519) & 0xFFFFFFFF
    x ^= x >> 13
    return int((5_000_000 + x % 200_000_000) * share), int((1_000_000 + (x >> 7) % 20_000_000) * share)


def _traffic(
    server: ServerRecord, now: float, config: EmulatorConfig, first_day: int
) -> list[tuple[int, int, int]]:
    """(day number, incoming, outgoing) from ``first_day`` (or activation) to today; today's figures
    grow with the time elapsed today."""
    start = active_since(server, config)
    if now < start:
        return []
    return [
        (day, *_daily_bytes(config.seed, server.subid, day, min(1.0, (now - day * DAY) / DAY)))
        for day in range(max(first_day, int(start // DAY)), int(now // DAY) + 1)
    ]


def daily_bandwidth(server: ServerRecord, now: float, config: EmulatorConfig) -> list[tuple[str, int, int]]:
    """(date, incoming bytes, outgoing bytes) for each day since activation, at most the last 31 days."""
    return [
        (time.strftime("%Y-%m-%d", time.gmtime(day * DAY)), incoming, outgoing)
        for day, incoming, outgoing in _traffic(server, now, config, int(now // DAY) - 30)
    ]


@functools.lru_cache(maxsize=64)
def _month_start_day(today: int) -> int:
    return int(calendar.timegm((*time.gmtime(today * DAY)[:2], 1, 0, 0, 0)) // DAY)


def current_bandwidth_gb(server: ServerRecord, now: float, config: EmulatorConfig) -> float:
    """Traffic of the current month in GB (a JSON number, 3 decimals)."""
    used = sum(i + o for _, i, o in _traffic(server, now, config, _month_start_day(int(now // DAY))))
    return round(used / 1e9, 3)


def pending_charges(server: ServerRecord, catalog: Catalog, now: float) -> str:
    """Charges accrued since creation: hourly share of the monthly price, capped at the monthly price."""
    price = float(catalog.plans[server.plan_id]["price_per_month"])
    hours = max(0, int((now - server.created_at) // 3600))
    return f"{min(price, price * hours / HOURS_PER_MONTH):.2f}"


def server_view(server: ServerRecord, catalog: Catalog, now: float, config: EmulatorConfig) -> dict[str, Any]:
    """The ``server/list`` object, every field in the real order."""
    plan = catalog.plans[server.plan_id]
    current = phase(server, now, config)
    pending = current.pending
    has_v6 = bool(server.v6_network) and not pending
    v6_networks = (
        [{"v6_main_ip": server.v6_main_ip, "v6_network_size": "64", "v6_network": server.v6_network}]
        if has_v6
        else []
    )
    return {
        "SUBID": server.subid,
        "os": server.os_name,
        "ram": f"{plan['ram']} MB",
        "disk": f"Virtual {plan['disk']} GB",
        "main_ip": "0.0.0.0" if pending else server.main_ip,
        "vcpu_count": plan["vcpu_count"],
        "location": catalog.regions[server.dcid]["name"],
        "DCID": str(server.dcid),
        "default_password": "" if pending else server.default_password,
        "date_created": format_date(server.created_at),
        "pending_charges": pending_charges(server, catalog, now),
        "status": current.status,
        "cost_per_month": plan["price_per_month"],
        "current_bandwidth_gb": 0 if pending else current_bandwidth_gb(server, now, config),
        "allowed_bandwidth_gb": str(int(float(plan["bandwidth"]) * 1000)),
        "netmask_v4": "" if pending else NETMASK_V4,
        "gateway_v4": "" if pending else server.gateway_v4,
        "power_status": server.power_status,
        "server_state": current.server_state,
        "VPSPLANID": str(server.plan_id),
        "v6_main_ip": False if pending else (server.v6_main_ip if has_v6 else ""),
        "v6_network_size": "64" if has_v6 else "",
        "v6_network": server.v6_network if has_v6 else "",
        "v6_networks": v6_networks,
        "label": server.label,
        "internal_ip": "" if pending else server.internal_ip,
        "kvm_url": "" if pending else KVM_URL + server.kvm_token,
        "auto_backups": "yes" if server.auto_backups else "no",
        "tag": server.tag,
        "OSID": str(server.osid),
        "APPID": str(server.appid),
        "FIREWALLGROUPID": server.firewall_group or "0",
    }


def default_reverse(ip: str) -> str:
    """The PTR name an IPv4 address has until it is changed (emulator choice: ``<ip>.vultr.com``)."""
    return f"{ip}.vultr.com"


def sshkey_view(key: SshKeyRecord) -> dict[str, Any]:
    """The ``sshkey/list`` entry."""
    return {
        "SSHKEYID": key.key_id,
        "date_created": key.date_created,
        "name": key.name,
        "ssh_key": key.ssh_key,
    }


def script_view(script: ScriptRecord) -> dict[str, Any]:
    """The ``startupscript/list`` entry (SCRIPTID as a string, as listed by the real service)."""
    return {
        "SCRIPTID": script.script_id,
        "date_created": script.date_created,
        "date_modified": script.date_modified,
        "name": script.name,
        "type": script.script_type,
        "script": script.script,
    }


def snapshot_view(snapshot: SnapshotRecord, now: float, config: EmulatorConfig) -> dict[str, Any]:
    """The ``snapshot/list`` entry; ``pending`` for ``snapshot_seconds`` after creation."""
    done = done_after(snapshot.created_at, now=now, seconds=config.snapshot_seconds)
    return {
        "SNAPSHOTID": snapshot.snapshot_id,
        "date_created": format_date(snapshot.created_at),
        "description": snapshot.description,
        "size": str(snapshot.size),
        "status": "complete" if done else "pending",
        "OSID": str(snapshot.osid),
        "APPID": str(snapshot.appid),
    }


def backup_view(backup: BackupRecord) -> dict[str, Any]:
    """The ``backup/list`` entry."""
    return {
        "BACKUPID": backup.backup_id,
        "date_created": format_date(backup.created_at),
        "description": backup.description,
        "size": str(backup.size),
        "status": "complete",
    }
