"""The explicit route table of the emulated v1 API: path → (methods, key requirement, handler).

Read by ``v1.api`` for every request and by the route-coverage test. ``Auth.PUBLIC`` endpoints work with and
without a key (and are not rate-limited without one); ``Auth.OPTIONAL`` is the same for the one endpoint
documented as "key optional" (regions/availability).

Every endpoint answers 405 to the method it was not documented with, except three GET endpoints for which
a real client uses POST and the live answer was never recorded, so the emulator accepts both:
``server/upgrade_plan_list`` (elixir-vultr) and ``server/list_ipv6`` / ``server/reverse_list_ipv6``
(Vultr's own vultr-node, 0.1.x to 1.0.4, declares them POST).
"""

from __future__ import annotations

from dataclasses import dataclass
from enum import Enum

from vultr_state.emulator.v1.handlers import (
    account,
    backup,
    catalog,
    misc,
    server,
    server_extras,
    server_network,
    server_power,
    snapshot,
    sshkey,
    startupscript,
)
from vultr_state.emulator.v1.handlers.base import Handler

PREFIX = "/v1/"


class Auth(Enum):
    """Whether an endpoint needs the API key."""

    REQUIRED = "required"
    OPTIONAL = "optional"
    PUBLIC = "public"


@dataclass(frozen=True, slots=True)
class Route:
    """One endpoint."""

    path: str
    methods: frozenset[str]
    auth: Auth
    handler: Handler


GET, POST, BOTH = frozenset({"GET"}), frozenset({"POST"}), frozenset({"GET", "POST"})
KEY, PUBLIC, OPTIONAL = Auth.REQUIRED, Auth.PUBLIC, Auth.OPTIONAL

_TABLE: tuple[tuple[str, frozenset[str], Auth, Handler], ...] = (
    ("account/info", GET, KEY, account.account_info),
    ("auth/info", GET, KEY, account.auth_info),
    ("app/list", GET, PUBLIC, catalog.app_list),
    ("iso/list", GET, KEY, catalog.iso_list),
    ("os/list", GET, PUBLIC, catalog.os_list),
    ("plans/list", GET, PUBLIC, catalog.plans_list),
    ("plans/list_vc2", GET, PUBLIC, catalog.plans_list_vc2),
    ("plans/list_vdc2", GET, PUBLIC, catalog.plans_list_vdc2),
    ("plans/list_vc2z", GET, PUBLIC, catalog.plans_list_vc2z),
    ("regions/list", GET, PUBLIC, catalog.regions_list),
    ("regions/availability", GET, OPTIONAL, catalog.regions_availability),
    ("regions/availability_vc2", GET, OPTIONAL, catalog.regions_availability_vc2),
    ("regions/availability_vdc2", GET, OPTIONAL, catalog.regions_availability_vdc2),
    ("backup/list", GET, KEY, backup.backup_list),
    ("firewall/group_list", GET, KEY, misc.firewall_group_list),
    ("network/list", GET, KEY, misc.network_list),
    ("server/app_change", POST, KEY, server_power.server_app_change),
    ("server/app_change_list", GET, KEY, server_power.server_app_change_list),
    ("server/backup_disable", POST, KEY, server_extras.server_backup_disable),
    ("server/backup_enable", POST, KEY, server_extras.server_backup_enable),
    ("server/backup_get_schedule", POST, KEY, server_extras.server_backup_get_schedule),
    ("server/backup_set_schedule", POST, KEY, server_extras.server_backup_set_schedule),
    ("server/bandwidth", GET, KEY, server.server_bandwidth),
    ("server/create", POST, KEY, server.server_create),
    ("server/create_ipv4", POST, KEY, server_network.server_create_ipv4),
    ("server/destroy", POST, KEY, server.server_destroy),
    ("server/destroy_ipv4", POST, KEY, server_network.server_destroy_ipv4),
    ("server/firewall_group_set", POST, KEY, server_extras.server_firewall_group_set),
    ("server/get_app_info", GET, KEY, server_extras.server_get_app_info),
    ("server/get_user_data", GET, KEY, server_extras.server_get_user_data),
    ("server/halt", POST, KEY, server_power.server_halt),
    ("server/ipv6_enable", POST, KEY, server_network.server_ipv6_enable),
    ("server/iso_attach", POST, KEY, server_extras.server_iso_attach),
    ("server/iso_detach", POST, KEY, server_extras.server_iso_detach),
    ("server/iso_status", GET, KEY, server_extras.server_iso_status),
    ("server/label_set", POST, KEY, server.server_label_set),
    ("server/list", GET, KEY, server.server_list),
    ("server/list_ipv4", GET, KEY, server_network.server_list_ipv4),
    ("server/list_ipv6", BOTH, KEY, server_network.server_list_ipv6),
    ("server/neighbors", GET, KEY, server_extras.server_neighbors),
    ("server/os_change", POST, KEY, server_power.server_os_change),
    ("server/os_change_list", GET, KEY, server_power.server_os_change_list),
    ("server/private_network_disable", POST, KEY, server_network.server_private_network_disable),
    ("server/private_network_enable", POST, KEY, server_network.server_private_network_enable),
    ("server/private_networks", GET, KEY, server_network.server_private_networks),
    ("server/reboot", POST, KEY, server_power.server_reboot),
    ("server/reinstall", POST, KEY, server_power.server_reinstall),
    ("server/restore_backup", POST, KEY, server_power.server_restore_backup),
    ("server/restore_snapshot", POST, KEY, server_power.server_restore_snapshot),
    ("server/reverse_default_ipv4", POST, KEY, server_network.server_reverse_default_ipv4),
    ("server/reverse_delete_ipv6", POST, KEY, server_network.server_reverse_delete_ipv6),
    ("server/reverse_list_ipv6", BOTH, KEY, server_network.server_reverse_list_ipv6),
    ("server/reverse_set_ipv4", POST, KEY, server_network.server_reverse_set_ipv4),
    ("server/reverse_set_ipv6", POST, KEY, server_network.server_reverse_set_ipv6),
    ("server/set_user_data", POST, KEY, server_extras.server_set_user_data),
    ("server/start", POST, KEY, server_power.server_start),
    ("server/tag_set", POST, KEY, server.server_tag_set),
    ("server/upgrade_plan", POST, KEY, server_power.server_upgrade_plan),
    ("server/upgrade_plan_list", BOTH, KEY, server_power.server_upgrade_plan_list),
    ("snapshot/create", POST, KEY, snapshot.snapshot_create),
    ("snapshot/destroy", POST, KEY, snapshot.snapshot_destroy),
    ("snapshot/list", GET, KEY, snapshot.snapshot_list),
    ("sshkey/create", POST, KEY, sshkey.sshkey_create),
    ("sshkey/destroy", POST, KEY, sshkey.sshkey_destroy),
    ("sshkey/list", GET, KEY, sshkey.sshkey_list),
    ("sshkey/update", POST, KEY, sshkey.sshkey_update),
    ("startupscript/create", POST, KEY, startupscript.startupscript_create),
    ("startupscript/destroy", POST, KEY, startupscript.startupscript_destroy),
    ("startupscript/list", GET, KEY, startupscript.startupscript_list),
    ("startupscript/update", POST, KEY, startupscript.startupscript_update),
)

ROUTES: dict[str, Route] = {
    PREFIX + path: Route(PREFIX + path, methods, auth, handler) for path, methods, auth, handler in _TABLE
}


def lookup(path: str) -> Route | None:
    """The route of a request path such as ``/v1/server/list``, or ``None``."""
    return ROUTES.get(path)
