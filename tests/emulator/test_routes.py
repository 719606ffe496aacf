"""Every endpoint named in issue 2 is routed, with the documented method and key requirement."""

from __future__ import annotations

from vultr_state.emulator.v1.routes import ROUTES, Auth, lookup

ISSUE_ENDPOINTS = [
    "account/info", "os/list", "iso/list", "plans/list", "regions/availability", "regions/list",
    "server/bandwidth", "server/create", "server/destroy", "server/create_ipv4", "server/destroy_ipv4",
    "server/halt", "server/label_set", "server/list", "server/list_ipv4", "server/list_ipv6",
    "server/os_change", "server/os_change_list", "server/reboot", "server/reinstall",
    "server/restore_backup", "server/restore_snapshot", "server/reverse_default_ipv4",
    "server/reverse_delete_ipv6", "server/reverse_list_ipv6", "server/reverse_set_ipv4",
    "server/reverse_set_ipv6", "server/start", "snapshot/create", "snapshot/destroy", "snapshot/list",
    "sshkey/create", "sshkey/destroy", "sshkey/list", "sshkey/update", "startupscript/create",
    "startupscript/destroy", "startupscript/list", "startupscript/update", "backup/list", "auth/info",
    "server/tag_set", "server/upgrade_plan", "server/upgrade_plan_list", "server/set_user_data",
    "server/get_user_data", "firewall/group_list", "server/ipv6_enable",
    "server/private_network_enable", "server/backup_enable", "server/backup_disable",
    "server/iso_attach", "server/iso_detach", "server/iso_status", "app/list", "server/app_change_list",
    "server/neighbors",
]  # fmt: skip

GETS = {"list", "info", "availability", "bandwidth", "list_ipv4", "list_ipv6", "os_change_list"}
PUBLIC = {"os/list", "plans/list", "regions/list", "app/list"}


def test_every_issue_endpoint_is_routed() -> None:
    missing = [endpoint for endpoint in ISSUE_ENDPOINTS if lookup("/v1/" + endpoint) is None]
    assert missing == []


def test_methods_and_auth_follow_the_reference() -> None:
    for endpoint in ISSUE_ENDPOINTS:
        route = ROUTES["/v1/" + endpoint]
        action = endpoint.split("/")[1]
        if action in GETS or action == "reverse_list_ipv6":
            assert "GET" in route.methods, endpoint
        elif action.endswith(("create", "destroy", "update", "set", "_ipv4", "_ipv6")):
            assert route.methods == {"POST"}, endpoint
        expected = Auth.PUBLIC if endpoint in PUBLIC else None
        if expected is not None:
            assert route.auth is expected, endpoint
    assert ROUTES["/v1/regions/availability"].auth is Auth.OPTIONAL
    assert ROUTES["/v1/server/list"].auth is Auth.REQUIRED


def test_every_handler_docstring_names_its_call() -> None:
    for path, route in ROUTES.items():
        assert route.handler.__doc__, path
