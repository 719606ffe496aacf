"""Servers: identified by label. Which field changes are in place, reinstall, replace or create-time only.

Called by the planner with a manifest server whose catalog references are already resolved to ids
(``Resolved``). Classes (DESIGN.md section 4):

- in place: label, power, tag (one call each);
- reinstall: OS (``server/os_change``), snapshot boot source (``server/restore_snapshot``);
- replace: region, plan, IPv6 and private-network enablement;
- create-time only: SSH keys, startup script, hostname, ISO boot source, auto backups. The API never
  reads the first four back, so the registry keeps a compound create digest (6 hex per field) and a
  change shows with ``old = None`` (rendered "(set at creation)"); auto backups is read from
  ``server/list``. A server adopted without a recorded digest reports no create-time change until the
  digest is recorded.

IPv6 and private networking are compared only once the server is active: a pending server has no
addresses yet.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from vultr_state.model.capabilities import Capabilities
from vultr_state.model.desired import DesiredServer
from vultr_state.model.live import LiveServer
from vultr_state.model.plan import ChangeClass, FieldChange, Kind, ServerSpec
from vultr_state.model.registry import OwnedObject
from vultr_state.model.server import BootKind, PowerState
from vultr_state.resources.base import FieldRule, ResourceSpec, part_digest

SPEC = ResourceSpec(
    kind=Kind.SERVER,
    identity="label",
    rules={
        "label": FieldRule(ChangeClass.IN_PLACE),
        "power": FieldRule(ChangeClass.IN_PLACE),
        "tag": FieldRule(ChangeClass.IN_PLACE),
        "os": FieldRule(ChangeClass.REINSTALL),
        "region": FieldRule(ChangeClass.REPLACE),
        "plan": FieldRule(ChangeClass.REPLACE),
        "ipv6": FieldRule(ChangeClass.REPLACE),
        "private_network": FieldRule(ChangeClass.REPLACE),
        "auto_backups": FieldRule(ChangeClass.CREATE_TIME_ONLY),
    },
)

# Create-time fields kept in the registry's compound digest, in this order.
DIGEST_PARTS = ("ssh_keys", "startup_script", "hostname", "boot")
_DIGEST_CLASS = {
    "ssh_keys": ChangeClass.CREATE_TIME_ONLY,
    "startup_script": ChangeClass.CREATE_TIME_ONLY,
    "hostname": ChangeClass.CREATE_TIME_ONLY,
}


@dataclass(frozen=True, slots=True)
class Resolved:
    """A manifest server's catalog references as ids. For a snapshot or ISO boot ``os_id`` is the API's
    placeholder OS for that boot kind (``Catalog.placeholder_os``), or None when it has none."""

    region_id: str
    plan_id: str
    os_id: str | None
    iso_id: str | None = None


@dataclass(frozen=True, slots=True)
class Names:
    """Display names of catalog ids, so a change reads ``'New Jersey' → 'Paris'`` rather than ids."""

    region: Callable[[str], str]
    plan: Callable[[str], str]
    os: Callable[[str], str]


def _boot(desired: DesiredServer, resolved: Resolved) -> list[str]:
    if desired.snapshot:
        return ["snapshot", desired.snapshot]
    if desired.iso:
        return ["iso", desired.iso]
    return ["os", resolved.os_id or ""]


def create_digest(desired: DesiredServer, resolved: Resolved) -> str:
    """The compound digest of the create-time fields the API cannot read back (``a1b2c3.d4e5f6...``)."""
    values = {
        "ssh_keys": sorted(desired.ssh_keys),
        "startup_script": desired.startup_script or "",
        "hostname": desired.hostname or "",
        "boot": _boot(desired, resolved),
    }
    return ".".join(part_digest(values[name]) for name in DIGEST_PARTS)


def _recorded_parts(recorded: OwnedObject | None) -> dict[str, str]:
    """The per-field digests of a recorded create digest; empty when none (or another format) is known."""
    parts = recorded.create_digest.split(".") if recorded and recorded.create_digest else []
    return dict(zip(DIGEST_PARTS, parts, strict=True)) if len(parts) == len(DIGEST_PARTS) else {}


def _power(live: LiveServer) -> str:
    return "stopped" if live.power is PowerState.STOPPED else "running"


def compare(
    desired: DesiredServer,
    live: LiveServer,
    resolved: Resolved,
    recorded: OwnedObject | None,
    names: Names,
    capabilities: Capabilities | None = None,
) -> tuple[FieldChange, ...]:
    """The classified changes that turn ``live`` into ``desired``.

    Args:
        desired: The manifest entry.
        live: The matched live server.
        resolved: ``desired``'s catalog references as ids.
        recorded: The registry entry of ``live`` (None when it is not owned yet).
        names: Display names of catalog ids.
        capabilities: The API's overrides of the default change classes.

    Returns:
        The changes, sorted by field name.
    """
    live_view: dict[str, object] = {
        "label": live.label,
        "power": _power(live),
        "region": names.region(live.region_id),
        "plan": names.plan(live.plan_id),
        "auto_backups": live.auto_backups,
    }
    desired_view: dict[str, object] = {
        "label": desired.label,
        "power": desired.power.value,
        "region": names.region(resolved.region_id),
        "plan": names.plan(resolved.plan_id),
        "auto_backups": desired.auto_backups,
    }
    if desired.tag is not None:
        live_view["tag"], desired_view["tag"] = live.tag, desired.tag
    if not desired.snapshot and not desired.iso:
        live_view["os"], desired_view["os"] = names.os(live.os_id), names.os(resolved.os_id or "")
    if live.install.active:
        live_view["ipv6"], desired_view["ipv6"] = live.ipv6_enabled, desired.ipv6
        live_view["private_network"] = live.internal_ip is not None
        desired_view["private_network"] = desired.private_network
    changes = list(SPEC.classify(live_view, desired_view, capabilities))
    changes.extend(_create_time_changes(desired, live, resolved, recorded, names))
    return tuple(sorted(changes, key=lambda c: c.field))


def _create_time_changes(
    desired: DesiredServer, live: LiveServer, resolved: Resolved, recorded: OwnedObject | None, names: Names
) -> list[FieldChange]:
    recorded_parts = _recorded_parts(recorded)
    wanted = dict(zip(DIGEST_PARTS, create_digest(desired, resolved).split("."), strict=True))
    changes = []
    values = {
        "ssh_keys": tuple(sorted(desired.ssh_keys)),  # a list, as a create shows it
        "startup_script": desired.startup_script,
        "hostname": desired.hostname,
    }
    for name, change_class in _DIGEST_CLASS.items():
        if recorded_parts and recorded_parts[name] != wanted[name]:
            changes.append(FieldChange(name, None, values[name], change_class))
    boot_changed = bool(recorded_parts) and recorded_parts["boot"] != wanted["boot"]
    if desired.snapshot and (live.boot is not BootKind.SNAPSHOT or boot_changed):
        old = None if live.boot is BootKind.SNAPSHOT else names.os(live.os_id)
        changes.append(FieldChange("snapshot", old, desired.snapshot, ChangeClass.REINSTALL))
    elif desired.iso and (live.boot is not BootKind.ISO or boot_changed):
        old = None if live.boot is BootKind.ISO else names.os(live.os_id)
        changes.append(FieldChange("iso", old, desired.iso, ChangeClass.CREATE_TIME_ONLY))
    return changes


def to_spec(desired: DesiredServer, resolved: Resolved) -> ServerSpec:
    """What ``server/create`` needs (references to keys, script and snapshot stay names)."""
    return ServerSpec(
        label=desired.label,
        region_id=resolved.region_id,
        plan_id=resolved.plan_id,
        os_id=resolved.os_id,
        snapshot=desired.snapshot,
        iso_id=resolved.iso_id,
        ssh_keys=tuple(sorted(desired.ssh_keys)),
        startup_script=desired.startup_script,
        ipv6=desired.ipv6,
        private_network=desired.private_network,
        auto_backups=desired.auto_backups,
        power=desired.power.value,
        hostname=desired.hostname,
        tag=desired.tag,
        create_digest=create_digest(desired, resolved),
    )
