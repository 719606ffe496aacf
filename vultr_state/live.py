"""The one reader of account state: v1 list answers (already normalised by the client) → ``Live``.

Called by the CLI (``plan``, ``apply``, ``show``, ``export``) and by the plan-file staleness check. It makes
one call per list endpoint (``sshkey/list``, ``startupscript/list``, ``server/list``, ``snapshot/list``,
``regions/list``, ``plans/list``, ``os/list``, plus ``iso/list`` only when a manifest boots from an ISO)
and per-server reverse-DNS reads only for active servers whose manifest entry manages reverse DNS, so
the number of calls does not grow with the account otherwise.

Everything wire-shaped stops here: field names such as ``SUBID`` or ``VPSPLANID``, ``"yes"``/``"no"``
flags, the registry scripts (split out into ``Live.registry``; other projects' registry scripts are
dropped, and so are the objects they own: a project never sees, adopts or counts another project's
objects) and server secrets (``default_password`` is never copied). ``fingerprint`` gives a short digest
of a live object for saved plans.
"""

from __future__ import annotations

import logging
import math
import re
from collections.abc import Iterable, Mapping
from typing import Any, Protocol

from vultr_state.catalog import OS_CUSTOM, OS_SNAPSHOT
from vultr_state.model.desired import Desired, Ensure, ReverseDns
from vultr_state.model.live import (
    Catalog,
    CatalogIso,
    CatalogOs,
    CatalogPlan,
    CatalogRegion,
    Live,
    LiveReverseDns,
    LiveServer,
    LiveSnapshot,
    LiveSshKey,
    LiveStartupScript,
)
from vultr_state.model.registry import Registry
from vultr_state.model.server import BootKind, InstallState, PowerState, SnapshotState
from vultr_state.registry import (
    decode_other_registries,
    decode_registry,
    is_registry_script,
    short_digest,
)

log = logging.getLogger(__name__)

_DIGITS = re.compile(r"[0-9]+")


class LiveSource(Protocol):
    """The client methods the reader needs (``VultrClient`` has them; tests may serve recorded dicts)."""

    def sshkey_list(self) -> dict[str, dict]: ...
    def startupscript_list(self) -> dict[str, dict]: ...
    def server_list(self) -> dict[str, dict]: ...
    def snapshot_list(self) -> dict[str, dict]: ...
    def regions_list(self) -> dict[str, dict]: ...
    def plans_list(self) -> dict[str, dict]: ...
    def os_list(self) -> dict[str, dict]: ...
    def iso_list(self) -> dict[str, dict]: ...
    def server_list_ipv4(self, subid: str) -> list[dict]: ...
    def server_reverse_list_ipv6(self, subid: str) -> list[dict]: ...


def id_order(object_id: str) -> tuple[int, int, str]:
    """A sort key that puts numeric ids in numeric order and the others after them, alphabetically."""
    if _DIGITS.fullmatch(object_id):
        return (0, len(object_id), object_id)
    return (1, 0, object_id)


def read_live(client: LiveSource, desired: Desired, *, hide_other_projects: bool = True) -> Live:
    """Read everything a plan for ``desired`` needs from the account.

    Args:
        client: A ``VultrClient`` (or any object with the same list methods and return shapes).
        desired: The manifest: its project selects the registry, its servers decide which reverse-DNS
            reads are needed, ``uses_iso`` whether ``iso/list`` is read.
        hide_other_projects: Leave out objects that other projects' registries own (what a plan wants);
            ``show`` and ``export`` see the whole account.

    Returns:
        The live state, every collection sorted by id.

    Raises:
        ApiError: a call failed (from the client).
        PlanError: the project's registry script is corrupt or ambiguous.
    """
    keys = client.sshkey_list()
    scripts = client.startupscript_list()
    servers = client.server_list()
    snapshots = client.snapshot_list()
    catalog = Catalog(
        regions=_sorted(_region(r) for r in client.regions_list().values()),
        plans=_sorted(_plan(p) for p in client.plans_list().values()),
        oses=_sorted(_os(o) for o in client.os_list().values()),
        isos=_sorted(_iso(i) for i in client.iso_list().values()) if desired.uses_iso else (),
    )
    registry_scripts = [
        (_str(s, "SCRIPTID"), _str(s, "name"), _str(s, "script"))
        for s in scripts.values()
        if is_registry_script(_str(s, "name"))
    ]
    registry = decode_registry(desired.project, registry_scripts)
    foreign = (
        _owned_elsewhere(desired.project, registry, registry_scripts) if hide_other_projects else frozenset()
    )

    def ours_to_see(kind: str, id_field: str, records: dict[str, dict]) -> list[Mapping[str, Any]]:
        return [r for r in records.values() if (kind, _str(r, id_field)) not in foreign]

    user_scripts = [s for s in scripts.values() if not is_registry_script(_str(s, "name"))]
    live_servers = _sorted(_server(s) for s in ours_to_see("server", "SUBID", servers))
    return Live(
        catalog=catalog,
        ssh_keys=_sorted(_ssh_key(k) for k in ours_to_see("ssh_key", "SSHKEYID", keys)),
        startup_scripts=_sorted(
            _script(s) for s in user_scripts if ("startup_script", _str(s, "SCRIPTID")) not in foreign
        ),
        servers=live_servers,
        snapshots=_sorted(_snapshot(s) for s in ours_to_see("snapshot", "SNAPSHOTID", snapshots)),
        reverse_dns=_read_reverse_dns(client, desired, live_servers, registry),
        registry=registry,
    )


def _owned_elsewhere(
    project: str, registry: Registry, registry_scripts: list[tuple[str, str, str]]
) -> frozenset[tuple[str, str]]:
    """(kind, id) of objects another project's registry owns and ours does not: they are hidden from
    this project's plan, so it never adopts, counts or touches another project's objects."""
    ours = {(o.kind, o.id) for o in registry.owned}
    return frozenset(
        (o.kind, o.id)
        for other in decode_other_registries(project, registry_scripts).values()
        for o in other.owned
        if (o.kind, o.id) not in ours
    )


def _read_reverse_dns(
    client: LiveSource, desired: Desired, servers: tuple[LiveServer, ...], registry: Registry
) -> tuple[LiveReverseDns, ...]:
    """Reverse DNS of the active live servers that a present manifest entry with ``reverse_dns`` names
    (by label, or by the name the registry recorded for an owned server whose label drifted)."""
    managed: dict[str, ReverseDns] = {
        s.label: s.reverse_dns
        for s in desired.servers
        if s.state is Ensure.PRESENT and s.reverse_dns is not None
    }
    if not managed:
        return ()
    owned_names = {o.id: o.name for o in registry.owned if o.kind == "server"}
    result = []
    for server in servers:
        wanted = managed.get(server.label) or managed.get(owned_names.get(server.id, ""))
        if wanted is None or not server.install.active:
            continue  # v1 reads addresses only for active servers; a pending one shows as to-be-set
        ipv4 = tuple(
            (_str(e, "ip"), _str(e, "reverse"))
            for e in client.server_list_ipv4(server.id)
            if e.get("ip") and e.get("type") != "private"
        )
        wants_v6 = wanted.ipv6 is not None or bool(wanted.ipv6_extra)
        ipv6: tuple[tuple[str, str], ...] = ()
        if wants_v6 and server.ipv6_enabled:
            ipv6 = tuple(
                (_str(e, "ip"), _str(e, "reverse"))
                for e in client.server_reverse_list_ipv6(server.id)
                if e.get("ip")
            )
        result.append(LiveReverseDns(server_id=server.id, ipv4=tuple(sorted(ipv4)), ipv6=tuple(sorted(ipv6))))
    return tuple(result)


# -- wire → model ---------------------------------------------------------------------------------------


def _str(record: Mapping[str, Any], name: str) -> str:
    value = record.get(name)
    return "" if value is None or value is False else str(value)


def _opt(record: Mapping[str, Any], name: str) -> str | None:
    value = record.get(name)
    return None if value is None or value is False or value == "" else str(value)


def _flag(record: Mapping[str, Any], name: str) -> bool:
    value = record.get(name)
    return value is True or (isinstance(value, str) and value.lower() == "yes")


def _sorted(items: Iterable[Any]) -> tuple[Any, ...]:
    return tuple(sorted(items, key=lambda item: id_order(item.id)))


def _region(r: Mapping[str, Any]) -> CatalogRegion:
    return CatalogRegion(
        id=_str(r, "DCID"), name=_str(r, "name"), code=_str(r, "regioncode"), country=_str(r, "country")
    )


def _plan(p: Mapping[str, Any]) -> CatalogPlan:
    locations = p.get("available_locations") or []
    return CatalogPlan(
        id=_str(p, "VPSPLANID"),
        name=_str(p, "name"),
        available_locations=tuple(str(x) for x in locations),
        monthly_cost=_price(p, "price_per_month"),
    )


def _price(record: Mapping[str, Any], name: str) -> float | None:
    """A price field (``"5.00"``), or None when it is missing or not a finite non-negative number."""
    try:
        value = float(_str(record, name))
    except ValueError:
        return None
    return value if math.isfinite(value) and value >= 0 else None


def _os(o: Mapping[str, Any]) -> CatalogOs:
    return CatalogOs(id=_str(o, "OSID"), name=_str(o, "name"), family=_str(o, "family"))


def _iso(i: Mapping[str, Any]) -> CatalogIso:
    return CatalogIso(id=_str(i, "ISOID"), filename=_str(i, "filename"), status=_str(i, "status"))


def _ssh_key(k: Mapping[str, Any]) -> LiveSshKey:
    return LiveSshKey(
        id=_str(k, "SSHKEYID"),
        name=_str(k, "name"),
        public_key=_str(k, "ssh_key"),
        date_created=_opt(k, "date_created"),
    )


def _script(s: Mapping[str, Any]) -> LiveStartupScript:
    return LiveStartupScript(
        id=_str(s, "SCRIPTID"),
        name=_str(s, "name"),
        type=_str(s, "type") or "boot",
        script=_str(s, "script"),
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


def _boot_kind(osid: str) -> BootKind:
    return {OS_SNAPSHOT: BootKind.SNAPSHOT, OS_CUSTOM: BootKind.ISO}.get(osid, BootKind.OS)


def _server(s: Mapping[str, Any]) -> LiveServer:
    networks = s.get("v6_networks") or []
    first_v6 = networks[0] if networks and isinstance(networks[0], Mapping) else {}
    return LiveServer(
        id=_str(s, "SUBID"),
        label=_str(s, "label"),
        region_id=_str(s, "DCID"),
        plan_id=_str(s, "VPSPLANID"),
        os_id=_str(s, "OSID"),
        os_name=_str(s, "os"),
        boot=_boot_kind(_str(s, "OSID")),
        install=install_state(_str(s, "status"), _str(s, "server_state")),
        power=power_state(_str(s, "power_status")),
        main_ip=_opt(s, "main_ip"),
        v6_main_ip=_opt(s, "v6_main_ip") or _opt(first_v6, "v6_main_ip"),
        v6_network=_opt(s, "v6_network") or _opt(first_v6, "v6_network"),
        internal_ip=_opt(s, "internal_ip"),
        auto_backups=_flag(s, "auto_backups"),
        tag=_str(s, "tag"),
        date_created=_opt(s, "date_created"),
    )


def _snapshot(s: Mapping[str, Any]) -> LiveSnapshot:
    return LiveSnapshot(
        id=_str(s, "SNAPSHOTID"),
        description=_str(s, "description"),
        state=snapshot_state(_str(s, "status")),
        size=_str(s, "size") or "0",
        os_id=_str(s, "OSID"),
        date_created=_opt(s, "date_created"),
    )


# -- fingerprints ---------------------------------------------------------------------------------------

# The fields whose change makes a saved plan stale. Progress fields that move on their own while a
# server installs or a snapshot completes (install state, snapshot state, size, dates) are left out.
_FINGERPRINT_FIELDS: dict[type, tuple[str, ...]] = {
    LiveSshKey: ("id", "name", "public_key"),
    LiveStartupScript: ("id", "name", "type", "script"),
    LiveServer: (
        "id",
        "label",
        "region_id",
        "plan_id",
        "os_id",
        "power",
        "main_ip",
        "v6_main_ip",
        "v6_network",
        "internal_ip",
        "auto_backups",
        "tag",
    ),
    LiveSnapshot: ("id", "description", "os_id"),
    LiveReverseDns: ("server_id", "ipv4", "ipv6"),
}


def fingerprint(
    obj: LiveSshKey | LiveStartupScript | LiveServer | LiveSnapshot | LiveReverseDns | Registry,
) -> str:
    """A short digest of what a plan depends on in one live object (secrets are only hashed).

    Args:
        obj: A live object, reverse-DNS record or the registry.

    Returns:
        12 hex characters; equal for objects the planner cannot tell apart.
    """
    if isinstance(obj, Registry):
        owned = [[o.kind, o.id, o.name, o.protect, o.create_digest] for o in obj.owned]
        pending = [[p.kind, p.name, list(p.known_ids)] for p in obj.pending]
        return short_digest([owned, pending])
    fields = _FINGERPRINT_FIELDS[type(obj)]
    return short_digest([getattr(obj, name) for name in fields])


def catalog_fingerprint(catalog: Catalog) -> str:
    """A short digest of the catalog entries a plan resolves names against."""
    return short_digest(
        [
            [[r.id, r.name, r.code] for r in catalog.regions],
            [[p.id, p.name, list(p.available_locations)] for p in catalog.plans],
            [[o.id, o.name] for o in catalog.oses],
            [[i.id, i.filename] for i in catalog.isos],
        ]
    )


def live_fingerprints(live: Live) -> tuple[tuple[str, str], ...]:
    """``("<kind>:<id>", digest)`` for every object in ``live``, in a stable order.

    Used by the planner (``Plan.fingerprints``) and by the saved-plan staleness check, which compares
    the pairs of a fresh read with the saved ones.
    """
    pairs: list[tuple[str, str]] = [("catalog:all", catalog_fingerprint(live.catalog))]
    pairs += [(f"ssh_key:{k.id}", fingerprint(k)) for k in live.ssh_keys]
    pairs += [(f"startup_script:{s.id}", fingerprint(s)) for s in live.startup_scripts]
    pairs += [(f"server:{s.id}", fingerprint(s)) for s in live.servers]
    pairs += [(f"reverse_dns:{r.server_id}", fingerprint(r)) for r in live.reverse_dns]
    pairs += [(f"snapshot:{s.id}", fingerprint(s)) for s in live.snapshots]
    pairs.append((f"registry:{live.registry.project}", fingerprint(live.registry)))
    return tuple(pairs)
