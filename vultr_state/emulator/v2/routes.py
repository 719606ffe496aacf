"""The explicit route table of the emulated v2 API: (method, path template, auth) → handler.

Read by ``v2.api`` for every request and by the route-coverage tests. Templates use the OpenAPI names of
their path parameters (``/instances/{instance-id}``); a literal segment always wins over a parameter, so
``/instances/start`` is the bulk action, not an instance. ``Auth.PUBLIC`` endpoints (``security: []`` in
the published schema) work with and without a key; a bad key on them is ignored, as clients send one
everywhere (whether the real API rejects it was never established).

Two aliases exist for Vultr's own Node.js client (``@vultr/vultr-node`` 2.x), which declares them so and
whose live answers were never recorded: ``POST /startup-scripts/{startup-id}`` reads a script (its
``getStartupScript``), and ``DELETE /instances/{instance-id}/ipv6/{ipv6}`` deletes a reverse entry (its
``deleteInstanceReverseIpv6``). Neither path is in the published document.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from enum import Enum

from vultr_state.emulator.core.reply import Reply
from vultr_state.emulator.v2.handlers import (
    bare_metal,
    catalog,
    instance_actions,
    instance_create,
    instance_extras,
    instance_network,
    instances,
    snapshots,
    ssh_keys,
    startup_scripts,
)
from vultr_state.emulator.v2.request import Call

PREFIX = "/v2"
Handler = Callable[[Call], Reply]


class Auth(Enum):
    """Whether an endpoint needs the API key."""

    REQUIRED = "required"
    PUBLIC = "public"


@dataclass(frozen=True, slots=True)
class Route:
    """One operation."""

    method: str
    template: str
    auth: Auth
    handler: Handler


KEY, PUBLIC = Auth.REQUIRED, Auth.PUBLIC
INSTANCE = "/instances/{instance-id}"

_TABLE: tuple[tuple[str, str, Auth, Handler], ...] = (
    ("GET", "/account", KEY, catalog.get_account),
    ("GET", "/regions", PUBLIC, catalog.list_regions),
    ("GET", "/regions/{region-id}/availability", PUBLIC, catalog.region_availability),
    ("GET", "/plans", PUBLIC, catalog.list_plans),
    ("GET", "/os", PUBLIC, catalog.list_os),
    ("GET", "/applications", PUBLIC, catalog.list_applications),
    ("GET", "/plans-metal", PUBLIC, bare_metal.list_metal_plans),
    ("GET", "/bare-metals", KEY, bare_metal.list_bare_metals),
    ("GET", "/iso", KEY, snapshots.list_isos),
    ("POST", "/iso", KEY, snapshots.create_iso),
    ("GET", "/iso/{iso-id}", KEY, snapshots.get_iso),
    ("DELETE", "/iso/{iso-id}", KEY, snapshots.delete_iso),
    ("GET", "/instances", KEY, instances.list_instances),
    ("POST", "/instances", KEY, instance_create.create_instance),
    ("POST", "/instances/start", KEY, instance_actions.start_instances),
    ("POST", "/instances/halt", KEY, instance_actions.halt_instances),
    ("POST", "/instances/reboot", KEY, instance_actions.reboot_instances),
    ("GET", INSTANCE, KEY, instances.get_instance),
    ("PATCH", INSTANCE, KEY, instances.update_instance_handler),
    ("DELETE", INSTANCE, KEY, instances.delete_instance),
    ("POST", INSTANCE + "/start", KEY, instance_actions.start_instance),
    ("POST", INSTANCE + "/halt", KEY, instance_actions.halt_instance),
    ("POST", INSTANCE + "/reboot", KEY, instance_actions.reboot_instance),
    ("POST", INSTANCE + "/reinstall", KEY, instance_actions.reinstall_instance),
    ("POST", INSTANCE + "/restore", KEY, instance_actions.restore_instance),
    ("GET", INSTANCE + "/ipv4", KEY, instance_network.list_ipv4),
    ("POST", INSTANCE + "/ipv4", KEY, instance_network.create_ipv4),
    ("DELETE", INSTANCE + "/ipv4/{ipv4}", KEY, instance_network.delete_ipv4),
    ("POST", INSTANCE + "/ipv4/reverse", KEY, instance_network.set_reverse_ipv4),
    ("POST", INSTANCE + "/ipv4/reverse/default", KEY, instance_network.default_reverse_ipv4),
    ("GET", INSTANCE + "/ipv6", KEY, instance_network.list_ipv6),
    ("GET", INSTANCE + "/ipv6/reverse", KEY, instance_network.list_reverse_ipv6),
    ("POST", INSTANCE + "/ipv6/reverse", KEY, instance_network.set_reverse_ipv6),
    ("DELETE", INSTANCE + "/ipv6/reverse/{ipv6}", KEY, instance_network.delete_reverse_ipv6),
    ("DELETE", INSTANCE + "/ipv6/{ipv6}", KEY, instance_network.delete_reverse_ipv6),  # vultr-node 2.x
    ("GET", INSTANCE + "/user-data", KEY, instance_extras.get_user_data),
    ("GET", INSTANCE + "/backup-schedule", KEY, instance_extras.get_backup_schedule),
    ("POST", INSTANCE + "/backup-schedule", KEY, instance_extras.set_backup_schedule),
    ("GET", INSTANCE + "/upgrades", KEY, instance_extras.get_upgrades),
    ("GET", INSTANCE + "/bandwidth", KEY, instance_extras.get_bandwidth),
    ("GET", "/ssh-keys", KEY, ssh_keys.list_ssh_keys),
    ("POST", "/ssh-keys", KEY, ssh_keys.create_ssh_key),
    ("GET", "/ssh-keys/{ssh-key-id}", KEY, ssh_keys.get_ssh_key),
    ("PATCH", "/ssh-keys/{ssh-key-id}", KEY, ssh_keys.update_ssh_key),
    ("DELETE", "/ssh-keys/{ssh-key-id}", KEY, ssh_keys.delete_ssh_key),
    ("GET", "/startup-scripts", KEY, startup_scripts.list_startup_scripts),
    ("POST", "/startup-scripts", KEY, startup_scripts.create_startup_script),
    ("GET", "/startup-scripts/{startup-id}", KEY, startup_scripts.get_startup_script),
    ("POST", "/startup-scripts/{startup-id}", KEY, startup_scripts.get_startup_script),  # vultr-node 2.x
    ("PATCH", "/startup-scripts/{startup-id}", KEY, startup_scripts.update_startup_script),
    ("DELETE", "/startup-scripts/{startup-id}", KEY, startup_scripts.delete_startup_script),
    ("GET", "/snapshots", KEY, snapshots.list_snapshots),
    ("POST", "/snapshots", KEY, snapshots.create_snapshot),
    ("POST", "/snapshots/create-from-url", KEY, snapshots.create_snapshot_from_url),
    ("GET", "/snapshots/{snapshot-id}", KEY, snapshots.get_snapshot),
    ("PUT", "/snapshots/{snapshot-id}", KEY, snapshots.update_snapshot),
    ("DELETE", "/snapshots/{snapshot-id}", KEY, snapshots.delete_snapshot),
)

ROUTES: tuple[Route, ...] = tuple(Route(m, t, a, h) for m, t, a, h in _TABLE)


def _segments(path: str) -> tuple[str, ...]:
    return tuple(part for part in path.strip("/").split("/"))


_BY_LENGTH: dict[int, list[tuple[tuple[str, ...], Route]]] = {}
for _route in ROUTES:
    _BY_LENGTH.setdefault(len(_segments(_route.template)), []).append((_segments(_route.template), _route))


@dataclass(frozen=True, slots=True)
class Match:
    """The operations of one path: route by method, and the path parameters."""

    routes: dict[str, Route]
    params: dict[str, str]


def _fit(template: tuple[str, ...], parts: tuple[str, ...]) -> tuple[int, dict[str, str]] | None:
    params, literals = {}, 0
    for pattern, part in zip(template, parts, strict=True):
        if pattern.startswith("{"):
            if not part:
                return None
            params[pattern[1:-1]] = part
        elif pattern != part:
            return None
        else:
            literals += 1
    return literals, params


def lookup(path: str) -> Match | None:
    """The operations of a path below ``/v2`` (``/instances/…``), or ``None`` when no template fits."""
    parts = _segments(path)
    best: tuple[int, dict[str, str]] | None = None
    routes: dict[str, Route] = {}
    for template, route in _BY_LENGTH.get(len(parts), ()):
        fit = _fit(template, parts)
        if fit is None:
            continue
        if best is None or fit[0] > best[0]:
            best, routes = fit, {}
        if fit[0] == best[0]:
            routes[route.method] = route
    return None if best is None else Match(routes, best[1])
