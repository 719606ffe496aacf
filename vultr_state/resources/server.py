"""Servers: identified by label. Which field changes are in place, reinstall, replace or create-time only.

Called by the planner with a manifest server whose catalog references are already resolved to ids
(``Resolved``). The default classes (DESIGN.md section 4; each provider's ``Capabilities`` overrides
what differs on its API, by the rule names below):

==========================  ===============  ========================================================
rule                        default class    what it covers
==========================  ===============  ========================================================
label, power, tag, tags     in place         one call each
plan.upgrade                in place         a plan the catalog says is bigger (``is_upgrade``)
plan                        replace          any other plan change (a downgrade, another family)
ipv6                        in place         enabling IPv6
ipv6.disable                replace          neither API takes IPv6 away
private_network             in place         attaching a private network
private_network.disable     replace          detaching it
auto_backups                in place         backups on or off
os                          reinstall        ``reinstall`` with another OS
snapshot                    reinstall        restore from a snapshot
region                      replace
hostname                    create-time      where the API reads it back and can reinstall with
                                             it (v2), a capability makes it a reinstall
ssh_keys, startup_script,   create-time      never read back: the registry's create digest
iso, user_data                               detects a change
==========================  ===============  ========================================================

Create-time fields the API does not read back (``Capabilities.readable_create_fields``) are compared
through the registry's compound create digest (6 hex per field); a change shows with ``old = None``
(rendered "(set at creation)"). A server adopted without a recorded digest reports no create-time change
until the digest is recorded. The boot source is one of them on an API that cannot read it back (v2):
then only the digest says whether a snapshot-booted server still boots what the manifest names.

IPv6 and private networking are compared only once the server is active: a pending server has no
addresses yet. ``tags`` are compared when the manifest gives some (the provider has already left the
reserved ``vultr-state:<project>`` tags out of the live ones), in sorted order.
"""

from __future__ import annotations

import functools
from collections.abc import Callable
from dataclasses import dataclass, replace

from vultr_state.model.capabilities import Capabilities
from vultr_state.model.desired import DesiredServer
from vultr_state.model.live import CatalogPlan, LiveServer
from vultr_state.model.plan import ChangeClass, FieldChange, Kind, ServerSpec
from vultr_state.model.registry import OwnedObject
from vultr_state.model.server import BootKind, PowerState
from vultr_state.resources.base import FieldRule, ResourceSpec, part_digest
from vultr_state.resources.diffing import secret_digest

SPEC = ResourceSpec(
    kind=Kind.SERVER,
    identity="label",
    rules={
        "label": FieldRule(ChangeClass.IN_PLACE),
        "power": FieldRule(ChangeClass.IN_PLACE),
        "tag": FieldRule(ChangeClass.IN_PLACE),
        "tags": FieldRule(ChangeClass.IN_PLACE),
        "os": FieldRule(ChangeClass.REINSTALL),
        "region": FieldRule(ChangeClass.REPLACE),
        "plan": FieldRule(ChangeClass.REPLACE),
        "plan.upgrade": FieldRule(ChangeClass.IN_PLACE),
        "ipv6": FieldRule(ChangeClass.IN_PLACE),
        "ipv6.disable": FieldRule(ChangeClass.REPLACE),
        "private_network": FieldRule(ChangeClass.IN_PLACE),
        "private_network.disable": FieldRule(ChangeClass.REPLACE),
        "auto_backups": FieldRule(ChangeClass.IN_PLACE),
        "hostname": FieldRule(ChangeClass.CREATE_TIME_ONLY),
    },
)

# Create-time fields kept in the registry's compound digest, in this order. ``user_data`` is a fifth
# part only when a server has user data, so the digests recorded before it existed stay valid.
DIGEST_PARTS = ("ssh_keys", "startup_script", "hostname", "boot")
USER_DATA_PART = "user_data"
_DIGEST_CLASS = {
    "ssh_keys": ChangeClass.CREATE_TIME_ONLY,
    "startup_script": ChangeClass.CREATE_TIME_ONLY,
    "hostname": ChangeClass.CREATE_TIME_ONLY,
    USER_DATA_PART: ChangeClass.CREATE_TIME_ONLY,
}
# A rule name for the direction of a change: (field, new value) -> rule.
_DISABLE_RULES = {"ipv6": "ipv6.disable", "private_network": "private_network.disable"}


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
    """Display names of catalog ids, so a change reads ``'New Jersey' → 'Paris'`` rather than ids, and
    the catalog entry of a plan id (None when the catalog does not list it), to tell an upgrade."""

    region: Callable[[str], str]
    plan: Callable[[str], str]
    os: Callable[[str], str]
    plan_entry: Callable[[str], CatalogPlan | None] = lambda _plan_id: None


def is_upgrade(old: CatalogPlan | None, new: CatalogPlan | None) -> bool:
    """True when moving from plan ``old`` to ``new`` is an upgrade both APIs do in place: the same
    family (where the catalog names one), a higher monthly price and no smaller disk (where known).

    Unknown plans (a retired plan the catalog no longer lists, a price the catalog does not give) are
    not upgrades: the change stays a replace rather than a call the API may refuse.
    """
    if old is None or new is None or old.monthly_cost is None or new.monthly_cost is None:
        return False
    if old.family and new.family and old.family != new.family:
        return False
    if old.disk_gb is not None and new.disk_gb is not None and new.disk_gb < old.disk_gb:
        return False
    return new.monthly_cost > old.monthly_cost


def create_digest(desired: DesiredServer, resolved: Resolved) -> str:
    """The compound digest of the create-time fields the API cannot read back (``a1b2c3.d4e5f6...``)."""
    parts = _create_parts(desired, resolved)
    if desired.user_data:
        parts = (*parts, part_digest(desired.user_data))
    return ".".join(parts)


def _create_parts(desired: DesiredServer, resolved: Resolved) -> tuple[str, ...]:
    """The digests of ``DIGEST_PARTS`` of a server (without user data)."""
    if desired.snapshot:
        boot = ("snapshot", desired.snapshot)
    elif desired.iso:
        boot = ("iso", desired.iso)
    else:
        boot = ("os", resolved.os_id or "")
    keys = tuple(sorted(desired.ssh_keys))
    return _part_digests(keys, desired.startup_script or "", desired.hostname or "", boot)


@functools.lru_cache(maxsize=4096)
def _part_digests(
    ssh_keys: tuple[str, ...], script: str, hostname: str, boot: tuple[str, str]
) -> tuple[str, ...]:
    """Remembered: thousands of servers share a few key sets, scripts and boot sources."""
    return (part_digest(list(ssh_keys)), part_digest(script), part_digest(hostname), part_digest(list(boot)))


def digest_parts(create_digest: str) -> dict[str, str]:
    """The per-field digests of a compound create digest; empty when it has another format.

    A digest without a ``user_data`` part records a server created without user data.
    """
    return dict(_split_digest(create_digest))


@functools.lru_cache(maxsize=4096)
def _split_digest(create_digest: str) -> tuple[tuple[str, str], ...]:
    """``digest_parts`` as pairs, remembered: a registry records the same few digests many times."""
    parts = create_digest.split(".") if create_digest else []
    if len(parts) == len(DIGEST_PARTS):
        parts.append(part_digest(""))
    if len(parts) != len(DIGEST_PARTS) + 1:
        return ()
    return tuple(zip((*DIGEST_PARTS, USER_DATA_PART), parts, strict=True))


def _wanted_parts(desired: DesiredServer, resolved: Resolved) -> dict[str, str]:
    """``digest_parts(create_digest(desired, resolved))``, without joining and splitting it."""
    user_data = part_digest(desired.user_data) if desired.user_data else part_digest("")
    return dict(
        zip((*DIGEST_PARTS, USER_DATA_PART), (*_create_parts(desired, resolved), user_data), strict=True)
    )


def _recorded_parts(recorded: OwnedObject | None) -> dict[str, str]:
    """The per-field digests the registry recorded; empty when none (or another format) is known."""
    return digest_parts(recorded.create_digest) if recorded else {}


def _readable(capabilities: Capabilities | None, name: str) -> bool:
    """Whether the API reads create-time field ``name`` back (v1 defaults: the boot source only)."""
    if capabilities is None:
        return name == "boot"
    return (Kind.SERVER, name) in capabilities.readable_create_fields


def _rule_class(capabilities: Capabilities | None, rule: str) -> ChangeClass:
    default = SPEC.rules[rule].change_class
    return capabilities.change_class(Kind.SERVER, rule, default) if capabilities else default


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
    if desired.tags:
        live_view["tags"], desired_view["tags"] = tuple(sorted(live.tags)), tuple(sorted(desired.tags))
    if desired.hostname is not None and _readable(capabilities, "hostname"):
        live_view["hostname"], desired_view["hostname"] = live.hostname or "", desired.hostname
    if not desired.snapshot and not desired.iso:
        live_view["os"], desired_view["os"] = names.os(live.os_id), names.os(resolved.os_id or "")
    if live.install.active:
        live_view["ipv6"], desired_view["ipv6"] = live.ipv6_enabled, desired.ipv6
        live_view["private_network"] = live.internal_ip is not None
        desired_view["private_network"] = desired.private_network
    changes = [
        _directed(change, desired, live, resolved, names, capabilities)
        for change in SPEC.classify(live_view, desired_view, capabilities)
    ]
    seen = {change.field for change in changes}
    changes.extend(
        c
        for c in _create_time_changes(desired, live, resolved, recorded, names, capabilities)
        if c.field not in seen
    )
    return tuple(sorted(changes, key=lambda c: c.field))


def _directed(
    change: FieldChange,
    desired: DesiredServer,
    live: LiveServer,
    resolved: Resolved,
    names: Names,
    capabilities: Capabilities | None,
) -> FieldChange:
    """``change`` with the class of its direction: a plan upgrade, turning IPv6 or a private network
    off, a hostname change of a server that boots a snapshot or ISO (reinstalling would lose it)."""
    rule = None
    upgrade = is_upgrade(names.plan_entry(live.plan_id), names.plan_entry(resolved.plan_id))
    if change.field == "plan" and upgrade:
        rule = "plan.upgrade"
    elif change.field in _DISABLE_RULES and change.new is False:
        rule = _DISABLE_RULES[change.field]
    elif change.field == "hostname" and (desired.snapshot or desired.iso):
        return replace(change, change_class=ChangeClass.CREATE_TIME_ONLY)
    if rule is None:
        return change
    return replace(change, change_class=_rule_class(capabilities, rule))


def _create_time_changes(
    desired: DesiredServer,
    live: LiveServer,
    resolved: Resolved,
    recorded: OwnedObject | None,
    names: Names,
    capabilities: Capabilities | None,
) -> list[FieldChange]:
    recorded_parts = _recorded_parts(recorded)
    wanted = _wanted_parts(desired, resolved)
    changes = []
    values: dict[str, object] = {
        "ssh_keys": tuple(sorted(desired.ssh_keys)),  # a list, as a create shows it
        "startup_script": desired.startup_script,
        "hostname": desired.hostname,
        USER_DATA_PART: secret_digest(desired.user_data) if desired.user_data else None,
    }
    for name, change_class in _DIGEST_CLASS.items():
        if _readable(capabilities, name):
            continue  # compared with the live value instead
        if recorded_parts and recorded_parts[name] != wanted[name]:
            sensitive = name == USER_DATA_PART
            changes.append(FieldChange(name, None, values[name], change_class, sensitive=sensitive))
    boot_changed = bool(recorded_parts) and recorded_parts["boot"] != wanted["boot"]
    if not _readable(capabilities, "boot"):
        # The API cannot say what the server booted: the digest recorded at its creation (or at the
        # last reinstall) is the only witness, and without one nothing is reported.
        if boot_changed:
            changes.append(_boot_change(desired, None, resolved, names))
        return changes
    if desired.snapshot and (live.boot is not BootKind.SNAPSHOT or boot_changed):
        old = None if live.boot is BootKind.SNAPSHOT else names.os(live.os_id)
        changes.append(FieldChange("snapshot", old, desired.snapshot, ChangeClass.REINSTALL))
    elif desired.iso and (live.boot is not BootKind.ISO or boot_changed):
        old = None if live.boot is BootKind.ISO else names.os(live.os_id)
        changes.append(FieldChange("iso", old, desired.iso, ChangeClass.CREATE_TIME_ONLY))
    return changes


def _boot_change(desired: DesiredServer, old: str | None, resolved: Resolved, names: Names) -> FieldChange:
    """The change of boot source the digest revealed: a snapshot restore or OS change is a reinstall,
    an ISO create-time only."""
    if desired.snapshot:
        return FieldChange("snapshot", old, desired.snapshot, ChangeClass.REINSTALL)
    if desired.iso:
        return FieldChange("iso", old, desired.iso, ChangeClass.CREATE_TIME_ONLY)
    return FieldChange("os", old, names.os(resolved.os_id or ""), ChangeClass.REINSTALL)


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
        tags=desired.tags,
        user_data=desired.user_data,
        create_digest=create_digest(desired, resolved),
    )
