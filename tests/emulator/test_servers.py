"""Server lifecycle and the server/* calls (create, list, destroy, power, install, plan, extras)."""

from __future__ import annotations

import json

import pytest

from tests.emulator.conftest import Api, adapter_api
from vultr_state.emulator import ManualClock

FIXTURES = "/work/shared/fixtures/"
INVALID_SERVER = "Invalid server.  Check SUBID value and ensure your API key matches the server's account"


def test_a_new_server_is_listed_at_once_as_pending_then_provisions(api: Api, clock: ManualClock) -> None:
    subid = api.create_server(label="web-1", enable_ipv6="yes")
    assert subid.isdigit()
    pending = api.ok(api.get("server/list"))[subid]
    with open(FIXTURES + "server_list.json") as fixture:
        assert list(pending) == list(next(iter(json.load(fixture).values())))  # real field order
    assert (pending["status"], pending["server_state"], pending["power_status"]) == (
        "pending",
        "none",
        "running",
    )
    assert pending["main_ip"] == "0.0.0.0" and pending["default_password"] == ""
    assert pending["v6_main_ip"] is False and pending["v6_networks"] == []
    assert pending["current_bandwidth_gb"] == 0 and pending["OSID"] == "1743" and pending["DCID"] == "1"
    clock.advance(10)
    locked = api.ok(api.get("server/list", SUBID=subid))
    assert (locked["status"], locked["server_state"]) == ("active", "locked")
    assert locked["main_ip"].startswith(("192.0.2.", "198.51.100.", "203.0.113."))
    assert locked["default_password"] and locked["v6_network"].startswith("2001:db8:")
    assert locked["v6_networks"][0]["v6_network_size"] == "64"
    clock.advance(5)
    assert api.ok(api.get("server/list", SUBID=subid))["server_state"] == "installingbooting"
    clock.advance(5)
    done = api.ok(api.get("server/list", SUBID=subid))
    assert done["server_state"] == "ok"
    assert isinstance(done["current_bandwidth_gb"], float | int)


def test_server_without_ipv6_has_empty_ipv6_fields_once_active(api: Api, clock: ManualClock) -> None:
    subid = api.create_server()
    clock.advance(30)
    server = api.ok(api.get("server/list", SUBID=subid))
    assert (server["v6_main_ip"], server["v6_network"], server["v6_networks"]) == ("", "", [])


def test_list_filters_and_unwrapped_single_server(api: Api, active_server: str) -> None:
    other = api.create_server(label="db-1", tag="db")
    assert set(api.ok(api.get("server/list"))) == {active_server, other}
    assert set(api.ok(api.get("server/list", label="db-1"))) == {other}
    assert set(api.ok(api.get("server/list", tag="web"))) == {active_server}
    main_ip = api.ok(api.get("server/list", SUBID=active_server))["main_ip"]
    assert set(api.ok(api.get("server/list", main_ip=main_ip))) == {active_server}
    assert api.get("server/list", tag="none").text == "[]"
    unknown = api.get("server/list", SUBID=999)
    assert (unknown.status_code, unknown.text) == (412, INVALID_SERVER)


@pytest.mark.parametrize(
    ("params", "prefix"),
    [
        ({"DCID": 99}, "Invalid datacenter.  "),
        ({"VPSPLANID": 1}, "Invalid plan.  "),
        ({"DCID": 34}, "Plan is not available in the selected datacenter.  "),
        ({"OSID": 1}, "Invalid operating system.  "),
        ({"OSID": 164}, "Invalid snapshot.  "),
        ({"OSID": 159}, "Invalid ISO.  "),
        ({"OSID": 186, "APPID": 999}, "Invalid application.  "),
        ({"SCRIPTID": 5}, "Invalid statup script.  "),
        ({"SSHKEYID": "5806ab4970aba"}, "Invalid SSH Key.  "),
        ({"FIREWALLGROUPID": "4e83489b"}, "Invalid firewall group.  "),
    ],
)
def test_create_validation_errors(api: Api, params: dict, prefix: str) -> None:
    response = api.post("server/create", **{"DCID": 1, "VPSPLANID": 201, "OSID": 1743, **params})
    assert response.status_code == 412
    assert response.text.startswith(prefix)


def test_create_from_iso_app_and_snapshot_and_snapshotid_ignored_otherwise(
    api: Api, active_server: str
) -> None:
    snapshot_id = api.ok(api.post("snapshot/create", SUBID=active_server))["SNAPSHOTID"]
    from_snapshot = api.create_server(OSID=164, SNAPSHOTID=snapshot_id)
    from_iso = api.create_server(OSID=159, ISOID=24)
    from_app = api.create_server(OSID=186, APPID=1)
    plain = api.create_server(OSID=1743, SNAPSHOTID=snapshot_id)
    listed = api.ok(api.get("server/list"))
    assert (listed[from_snapshot]["os"], listed[from_snapshot]["OSID"]) == ("Snapshot", "164")
    assert listed[from_iso]["os"] == "Custom"
    assert (listed[from_app]["os"], listed[from_app]["APPID"]) == ("Application", "1")
    assert listed[plain]["os"] == "Ubuntu 22.04 x64"
    assert api.ok(api.get("server/iso_status", SUBID=from_iso)) == {"state": "isomounted", "ISOID": "24"}


def test_destroy_removes_the_server_and_the_five_minute_rule_is_optional(make_emulator, clock) -> None:
    api = adapter_api(make_emulator())
    subid = api.create_server()
    assert api.post("server/destroy", SUBID=subid).content == b""
    assert api.get("server/list").text == "[]"
    assert api.post("server/destroy", SUBID=subid).text == INVALID_SERVER
    strict = adapter_api(make_emulator(destroy_min_age_seconds=300, refuse_destroy_when_locked=True))
    young = strict.create_server()
    too_young = strict.post("server/destroy", SUBID=young)
    with open(FIXTURES + "errors/412_destroy_within_5_minutes.txt") as fixture:
        assert (too_young.status_code, too_young.text) == (412, fixture.read())
    clock.advance(300)
    strict.post("server/reinstall", SUBID=young)
    with open(FIXTURES + "errors/412_destroy_locked.txt") as fixture:
        assert strict.post("server/destroy", SUBID=young).text == fixture.read()
    clock.advance(10)
    assert strict.post("server/destroy", SUBID=young).status_code == 200


def test_power_calls_change_power_status(api: Api, active_server: str) -> None:
    def power() -> str:
        return api.ok(api.get("server/list", SUBID=active_server))["power_status"]

    api.ok(api.post("server/halt", SUBID=active_server))
    assert power() == "stopped"
    api.ok(api.post("server/start", SUBID=active_server))
    assert power() == "running"
    api.ok(api.post("server/halt", SUBID=active_server))
    api.ok(api.post("server/reboot", SUBID=active_server))
    assert power() == "running"


@pytest.mark.parametrize(
    "endpoint",
    [
        "halt", "start", "reboot", "reinstall", "os_change", "restore_backup", "restore_snapshot",
        "label_set", "tag_set", "destroy", "create_ipv4", "destroy_ipv4", "upgrade_plan", "set_user_data",
        "ipv6_enable",
        "private_network_enable", "private_network_disable", "backup_enable", "backup_disable", "iso_attach",
        "iso_detach", "app_change", "firewall_group_set", "backup_get_schedule", "backup_set_schedule",
    ],
)  # fmt: skip
def test_every_post_server_call_checks_subid_first(api: Api, endpoint: str) -> None:
    response = api.post(f"server/{endpoint}", SUBID=1, ip="no", OSID=1, BACKUPID=1, SNAPSHOTID="x")
    assert (response.status_code, response.text) == (412, INVALID_SERVER)
    assert api.post(f"server/{endpoint}", SUBID="").text == INVALID_SERVER


@pytest.mark.parametrize(
    "endpoint",
    [
        "bandwidth", "list_ipv4", "list_ipv6", "os_change_list", "reverse_list_ipv6", "upgrade_plan_list",
        "get_user_data", "iso_status", "neighbors", "app_change_list", "private_networks", "get_app_info",
    ],
)  # fmt: skip
def test_every_get_server_call_checks_subid(api: Api, endpoint: str) -> None:
    assert api.get(f"server/{endpoint}", SUBID=42).text == INVALID_SERVER


def test_reinstall_and_os_change_rerun_the_install_cycle(api: Api, active_server: str, clock) -> None:
    before = api.ok(api.get("server/list", SUBID=active_server))
    api.ok(api.post("server/reinstall", SUBID=active_server, hostname="web"))
    again = api.ok(api.get("server/list", SUBID=active_server))
    assert (again["status"], again["server_state"]) == ("active", "locked")
    assert again["main_ip"] == before["main_ip"] and again["default_password"] != before["default_password"]
    targets = api.ok(api.get("server/os_change_list", SUBID=active_server))
    assert targets["2136"]["surcharge"] == "0.00" and isinstance(targets["2136"]["OSID"], int)
    assert "164" not in targets and "240" not in targets  # no Windows on a 1 GB plan
    bad = api.post("server/os_change", SUBID=active_server, OSID=164)
    assert bad.status_code == 412 and bad.text.startswith("Invalid operating system.  ")
    api.ok(api.post("server/os_change", SUBID=active_server, OSID=2136))
    clock.advance(10)
    changed = api.ok(api.get("server/list", SUBID=active_server))
    assert (changed["os"], changed["OSID"], changed["server_state"]) == (
        "Debian 12 x64 (bookworm)",
        "2136",
        "ok",
    )


def test_restore_snapshot_and_backup(api: Api, active_server: str) -> None:
    snapshot_id = api.ok(api.post("snapshot/create", SUBID=active_server))["SNAPSHOTID"]
    assert api.post("server/restore_snapshot", SUBID=active_server, SNAPSHOTID="nope").text.startswith(
        "Invalid snapshot.  "
    )
    api.ok(api.post("server/restore_snapshot", SUBID=active_server, SNAPSHOTID=snapshot_id))
    assert api.ok(api.get("server/list", SUBID=active_server))["os"] == "Snapshot"
    assert api.get("backup/list").text == "[]"
    api.ok(api.post("server/backup_enable", SUBID=active_server))
    backups = api.ok(api.get("backup/list", SUBID=active_server))
    (backup_id,) = backups
    assert backups[backup_id]["status"] == "complete" and backups[backup_id]["size"].isdigit()
    assert api.ok(api.get("server/list", SUBID=active_server))["auto_backups"] == "yes"
    assert api.post("server/restore_backup", SUBID=active_server, BACKUPID="x").text.startswith(
        "Invalid backup."
    )
    api.ok(api.post("server/restore_backup", SUBID=active_server, BACKUPID=backup_id))
    schedule = api.ok(api.post("server/backup_get_schedule", SUBID=active_server))
    assert schedule["enabled"] is True
    api.ok(api.post("server/backup_disable", SUBID=active_server))
    assert api.ok(api.get("server/list", SUBID=active_server))["auto_backups"] == "no"


def test_upgrade_plan_list_and_upgrade(api: Api, active_server: str) -> None:
    targets = api.ok(api.get("server/upgrade_plan_list", SUBID=active_server))
    assert 202 in targets and 201 not in targets and 115 not in targets
    bad = api.post("server/upgrade_plan", SUBID=active_server, VPSPLANID=115)
    assert bad.status_code == 412
    api.ok(api.post("server/upgrade_plan", SUBID=active_server, VPSPLANID=202))
    server = api.ok(api.get("server/list", SUBID=active_server))
    assert (server["VPSPLANID"], server["ram"], server["cost_per_month"]) == ("202", "2048 MB", "10.00")
    top = api.create_server(VPSPLANID=208, DCID=12)
    assert api.get("server/upgrade_plan_list", SUBID=top).text == "[]"


def test_label_tag_user_data_iso_app_neighbors_and_firewall(api: Api, active_server: str) -> None:
    api.ok(api.post("server/label_set", SUBID=active_server, label="renamed"))
    api.ok(api.post("server/tag_set", SUBID=active_server, tag="blue"))
    server = api.ok(api.get("server/list", SUBID=active_server))
    assert (server["label"], server["tag"]) == ("renamed", "blue")
    api.ok(api.post("server/set_user_data", SUBID=active_server, userdata="I2Nsb3VkLWNvbmZpZw=="))
    assert api.ok(api.get("server/get_user_data", SUBID=active_server)) == {
        "userdata": "I2Nsb3VkLWNvbmZpZw=="
    }
    assert api.ok(api.get("server/iso_status", SUBID=active_server)) == {"state": "ready", "ISOID": "0"}
    assert api.post("server/iso_attach", SUBID=active_server, ISOID=1).text.startswith("Invalid ISO.")
    api.ok(api.post("server/iso_attach", SUBID=active_server, ISOID=204515))
    assert api.ok(api.get("server/iso_status", SUBID=active_server))["ISOID"] == "204515"
    api.ok(api.post("server/iso_detach", SUBID=active_server))
    assert api.ok(api.get("server/neighbors", SUBID=active_server)) == []
    assert "17" in api.ok(api.get("server/app_change_list", SUBID=active_server))
    api.ok(api.post("server/app_change", SUBID=active_server, APPID=17))
    assert api.ok(api.get("server/get_app_info", SUBID=active_server))["app_info"]
    assert api.get("firewall/group_list").text == "[]"
    assert (
        api.post("server/firewall_group_set", SUBID=active_server, FIREWALLGROUPID="abc").status_code == 412
    )
    api.ok(api.post("server/firewall_group_set", SUBID=active_server, FIREWALLGROUPID="0"))


def test_bandwidth_has_per_day_string_records(api: Api, active_server: str, clock: ManualClock) -> None:
    clock.advance(2 * 86_400)
    bandwidth = api.ok(api.get("server/bandwidth", SUBID=active_server))
    assert list(bandwidth) == ["incoming_bytes", "outgoing_bytes"]
    assert len(bandwidth["incoming_bytes"]) == 3
    day, count = bandwidth["incoming_bytes"][0]
    assert len(day) == 10 and isinstance(count, str) and count.isdigit()
    pending = api.create_server()
    assert api.ok(api.get("server/bandwidth", SUBID=pending)) == {"incoming_bytes": [], "outgoing_bytes": []}
