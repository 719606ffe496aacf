"""v2 instances: create/get/list/patch/delete, the lifecycle on the injectable clock, the recorded shapes
and error bodies, default_password rules, tags and the legacy tag, locked refusals."""

from __future__ import annotations

import base64

import pytest

from tests.emulator.v2.conftest import V2, recorded
from vultr_state.emulator import ManualClock

LIVE_ORDER = list(recorded("instance_get.2021.json")["instance"])
LATER_FIELDS = ("hostname", "tags", "user_scheme")


def _expected_order(with_password: bool) -> list[str]:
    order = [name for name in LIVE_ORDER]
    order.insert(order.index("tag"), "hostname")
    order += ["tags", "user_scheme"]
    return order + (["default_password"] if with_password else [])


def test_create_answer_has_the_recorded_shape_types_and_placeholders(v2: V2) -> None:
    created = v2.create_instance(label="test123", tag="dimgal1223444", enable_vpc=True, ddos_protection=True)
    reference = recorded("instances_create.2021.json")["instance"]
    assert list(created) == _expected_order(with_password=True)
    for name, value in reference.items():
        assert type(created[name]) is type(value), name
    placeholders = (
        "disk",
        "main_ip",
        "status",
        "netmask_v4",
        "gateway_v4",
        "power_status",
        "server_status",
        "v6_network",
        "v6_main_ip",
        "v6_network_size",
        "kvm",
        "app_id",
        "image_id",
        "firewall_group_id",
        "features",
        "tag",
        "label",
        "allowed_bandwidth",
        "ram",
        "vcpu_count",
    )
    assert {name: created[name] for name in placeholders} == {name: reference[name] for name in placeholders}
    assert created["internal_ip"].startswith("10.") and created["tags"] == ["dimgal1223444"]
    assert len(created["default_password"]) == 16
    assert created["date_created"].endswith("+00:00") and len(created["id"]) == 36


def test_lifecycle_runs_on_the_clock(v2: V2, clock: ManualClock) -> None:
    instance_id = v2.create_instance()["id"]
    seen = []
    for _ in range(5):
        got = v2.ok(v2.get(f"/instances/{instance_id}"))["instance"]
        seen.append((got["status"], got["server_status"], got["main_ip"] != "0.0.0.0"))
        clock.advance(5)
    assert seen == [
        ("pending", "none", False),
        ("pending", "none", False),
        ("active", "locked", True),
        ("active", "installingbooting", True),
        ("active", "ok", True),
    ]
    active = v2.ok(v2.get(f"/instances/{instance_id}"))["instance"]
    reference = recorded("instance_get.2021.json")["instance"]
    assert active["disk"] == reference["disk"] and active["netmask_v4"] == reference["netmask_v4"]
    assert active["kvm"].startswith("https://my.vultr.com/subs/vps/novnc/api.php?data=")


def test_default_password_in_create_and_single_reads_for_ten_minutes_never_in_lists(
    v2: V2, clock: ManualClock
) -> None:
    created = v2.create_instance()
    path = f"/instances/{created['id']}"
    assert v2.ok(v2.get(path))["instance"]["default_password"] == created["default_password"]
    assert all("default_password" not in item for item in v2.ok(v2.get("/instances"))["instances"])
    clock.advance(600)
    assert "default_password" not in v2.ok(v2.get(path))["instance"]


def test_delete_while_locked_is_the_recorded_500_then_204_once_installed(v2: V2, clock: ManualClock) -> None:
    instance_id = v2.create_instance()["id"]
    refused = v2.delete(f"/instances/{instance_id}")
    assert refused.status_code == 500 and refused.headers["Content-Type"] == "application/json"
    assert refused.json() == recorded("500_instance_delete_locked.2024.json")
    clock.advance(11)  # locked (pending for provision_seconds = 10, then locked for 5)
    assert v2.delete(f"/instances/{instance_id}").status_code == 500
    clock.advance(5)  # installingbooting
    v2.ok(v2.delete(f"/instances/{instance_id}"), 204)
    gone = v2.get(f"/instances/{instance_id}")
    assert (gone.status_code, gone.json()) == (404, {"error": "instance not found", "status": 404})


def test_malformed_id_is_the_recorded_400(v2: V2) -> None:
    response = v2.get("/instances/123")
    assert response.json() == recorded("400_instance_get_invalid_instance_id.2021.json")
    assert response.status_code == 400


@pytest.mark.parametrize(
    ("body", "status", "text"),
    [
        ({"plan": "vc2-1c-1gb", "os_id": 477}, 400, "Bad request."),
        ({"region": "ams", "plan": "vbm-4c-32gb", "os_id": 477}, 400, "Invalid plan chosen."),
        (
            {"region": "ams", "plan": "vc2-1c-1gb", "os_id": 477, "sshkey_id": ["123"]},
            400,
            "Invalid UUID format.",
        ),
        ({"region": "xxx", "plan": "vc2-1c-1gb", "os_id": 477}, 400, "Invalid region chosen."),
        ({"region": "ams", "plan": "vdc-2vcpu-8gb", "os_id": 477}, 400, "Plan is not available"),
        ({"region": "ams", "plan": "vc2-1c-1gb"}, 400, "One of os_id"),
        ({"region": "ams", "plan": "vc2-1c-1gb", "os_id": 477, "app_id": 1}, 400, "Give only one"),
        ({"region": "ams", "plan": "vc2-1c-1gb", "os_id": 164}, 400, "Invalid os_id"),
        ({"region": "ams", "plan": "vc2-1c-1gb", "os_id": 477, "user_data": "%%%"}, 400, "not base64"),
        ({"region": "ams", "plan": 7, "os_id": 477}, 400, "must be a string"),
    ],
)
def test_create_errors(v2: V2, body: dict, status: int, text: str) -> None:
    response = v2.post("/instances", body)
    assert response.status_code == status
    assert response.json()["status"] == status and text in response.json()["error"]
    assert v2.ok(v2.get("/instances"))["meta"]["total"] == 0


def test_create_ignores_nulls_unknown_keys_and_per_page(v2: V2) -> None:
    body = {
        "region": "ams",
        "plan": "vc2-1c-1gb",
        "os_id": 477,
        "tags": None,
        "block_devices": None,
        "instance-id": "x",
        "enable_ipv6": False,
    }
    response = v2.post("/instances", body, params={"per_page": 500})
    assert v2.ok(response, 202)["instance"]["tags"] == []


def test_body_read_whatever_the_content_type(v2: V2) -> None:
    data = b'{"region":"ams","plan":"vc2-1c-1gb","os_id":477}'
    response = v2.call("POST", "/instances", data=data, headers={"Content-Type": "text/plain"})
    assert response.status_code == 202


def test_tags_and_legacy_tag_follow_each_other(v2: V2, clock: ManualClock) -> None:
    created = v2.create_instance(tags=["a", "b"])
    assert (created["tags"], created["tag"]) == (["a", "b"], "a")
    path = f"/instances/{created['id']}"
    patched = v2.ok(v2.patch(path, {"tag": "legacy"}), 202)["instance"]
    assert (patched["tags"], patched["tag"]) == (["legacy"], "legacy")
    cleared = v2.ok(v2.patch(path, {"tags": []}), 202)["instance"]
    assert (cleared["tags"], cleared["tag"]) == ([], "")


def test_list_filters(v2: V2, clock: ManualClock) -> None:
    web = v2.create_instance(label="web", tags=["front"])
    v2.create_instance(label="db", region="ewr")
    clock.advance(60)
    assert [i["id"] for i in v2.ok(v2.get("/instances", params={"label": "web"}))["instances"]] == [web["id"]]
    assert [i["id"] for i in v2.ok(v2.get("/instances", params={"tag": "front"}))["instances"]] == [web["id"]]
    assert v2.ok(v2.get("/instances", params={"region": "ewr"}))["meta"]["total"] == 1
    main_ip = v2.ok(v2.get(f"/instances/{web['id']}"))["instance"]["main_ip"]
    assert v2.ok(v2.get("/instances", params={"main_ip": main_ip}))["instances"][0]["id"] == web["id"]
    assert v2.ok(v2.get("/instances", params={"label": "nope"}))["instances"] == []


def test_patch_label_user_data_and_features(v2: V2, active_instance: dict) -> None:
    path = f"/instances/{active_instance['id']}"
    user_data = base64.b64encode(b"#cloud-config\n").decode()
    body = {
        "label": "renamed",
        "user_data": user_data,
        "backups": "enabled",
        "ddos_protection": True,
        "enable_ipv6": False,
    }
    patched = v2.ok(v2.patch(path, body), 202)["instance"]
    assert patched["label"] == "renamed"
    assert patched["features"] == ["ddos_protection", "ipv6", "auto_backups"]
    assert v2.ok(v2.get(path + "/user-data")) == {"user_data": {"data": user_data}}


def test_plan_change_shows_resizing_like_the_recording(
    v2: V2, active_instance: dict, clock: ManualClock
) -> None:
    path = f"/instances/{active_instance['id']}"
    resizing = v2.ok(v2.patch(path, {"plan": "vc2-1c-2gb"}), 202)["instance"]
    reference = recorded("instance_update_plan.resizing.2021.json")["instance"]
    fields = ("status", "server_status", "disk", "kvm", "plan", "ram", "vcpu_count", "allowed_bandwidth")
    assert {f: resizing[f] for f in fields} == {f: reference[f] for f in fields}
    assert v2.delete(path).status_code == 500
    clock.advance(10)
    done = v2.ok(v2.get(path))["instance"]
    assert (done["status"], done["ram"], done["disk"]) == ("active", 2048, 55)


def test_downgrade_is_refused(v2: V2, clock: ManualClock) -> None:
    instance = v2.create_instance(plan="vc2-2c-4gb")
    clock.advance(60)
    response = v2.patch(f"/instances/{instance['id']}", {"plan": "vc2-1c-1gb"})
    assert response.status_code == 400 and "Invalid plan chosen" in response.json()["error"]


def test_reinstall_runs_the_install_cycle_again_with_a_new_password(
    v2: V2, active_instance: dict, clock: ManualClock
) -> None:
    path = f"/instances/{active_instance['id']}"
    again = v2.ok(v2.post(path + "/reinstall", {"hostname": "fresh"}), 202)["instance"]
    assert (again["status"], again["server_status"], again["hostname"]) == ("active", "locked", "fresh")
    assert again["default_password"] != active_instance["default_password"]
    refused = v2.post(path + "/reinstall")
    assert refused.status_code == 500
    assert refused.json()["error"] == "Unable to reinstall server: Server is currently locked"
    clock.advance(10)
    assert v2.ok(v2.get(path))["instance"]["server_status"] == "ok"


def test_patch_os_id_reinstalls_with_that_os(v2: V2, active_instance: dict) -> None:
    path = f"/instances/{active_instance['id']}"
    changed = v2.ok(v2.patch(path, {"os_id": "1743"}), 202)["instance"]
    assert (changed["os_id"], changed["os"], changed["server_status"]) == (
        1743,
        "Ubuntu 22.04 LTS x64",
        "locked",
    )


@pytest.mark.parametrize(
    ("action", "power"), [("halt", "stopped"), ("start", "running"), ("reboot", "running")]
)
def test_power_actions_answer_204_and_change_power(
    v2: V2, active_instance: dict, action: str, power: str
) -> None:
    path = f"/instances/{active_instance['id']}"
    v2.ok(v2.post(path + "/halt"), 204)
    v2.ok(v2.call("POST", f"{path}/{action}", data=b"", headers={"Content-Type": "application/json"}), 204)
    got = v2.ok(v2.get(path))["instance"]
    assert (got["power_status"], got["status"]) == (power, "active")


def test_power_action_on_a_locked_instance_is_refused(v2: V2) -> None:
    instance_id = v2.create_instance()["id"]
    response = v2.post(f"/instances/{instance_id}/halt")
    assert response.status_code == 500
    assert response.json()["error"] == "Unable to halt server: Server is currently locked"


def test_bulk_power_actions(v2: V2, clock: ManualClock) -> None:
    ids = [v2.create_instance()["id"] for _ in range(3)]
    clock.advance(60)
    v2.ok(v2.post("/instances/halt", {"instance_ids": ids[:2]}), 204)
    assert [i["power_status"] for i in v2.ok(v2.get("/instances"))["instances"]] == [
        "stopped",
        "stopped",
        "running",
    ]
    v2.ok(v2.post("/instances/start", {"instance_ids": ids}), 204)
    assert {i["power_status"] for i in v2.ok(v2.get("/instances"))["instances"]} == {"running"}
    assert v2.post("/instances/reboot", {"instance_ids": ["nope"]}).status_code == 400


def test_instance_from_snapshot_and_from_iso(v2: V2, active_instance: dict, clock: ManualClock) -> None:
    snapshot = v2.ok(
        v2.post("/snapshots", {"instance_id": active_instance["id"], "description": "golden"}), 201
    )
    not_ready = v2.post(
        "/instances", {"region": "ams", "plan": "vc2-1c-1gb", "snapshot_id": snapshot["snapshot"]["id"]}
    )
    assert not_ready.status_code == 400
    iso = v2.ok(v2.post("/iso", {"url": "https://example.com/images/rescue.iso"}), 201)["iso"]
    assert iso["status"] == "pending" and "size" not in iso
    clock.advance(5)
    restored = v2.create_instance(os_id=None, snapshot_id=snapshot["snapshot"]["id"])
    assert (restored["os_id"], restored["os"]) == (477, "Debian 11 x64")
    booted = v2.create_instance(os_id=None, iso_id=iso["id"])
    assert (booted["os_id"], booted["os"]) == (159, "Custom")


def test_restore_from_snapshot_reinstalls(v2: V2, active_instance: dict, clock: ManualClock) -> None:
    snapshot_id = v2.ok(v2.post("/snapshots", {"instance_id": active_instance["id"]}), 201)["snapshot"]["id"]
    clock.advance(5)
    path = f"/instances/{active_instance['id']}"
    answer = v2.ok(v2.post(path + "/restore", {"snapshot_id": snapshot_id}), 202)
    assert answer == {
        "status": {"restore_type": "snapshot_id", "restore_id": snapshot_id, "status": "inprogress"}
    }
    assert v2.ok(v2.get(path))["instance"]["server_status"] == "locked"
    unknown = v2.post(path + "/restore", {"backup_id": "3f2a9c10-0999-4000-8000-000000000000"})
    assert unknown.status_code == 404


def test_backup_schedule_upgrades_and_bandwidth(v2: V2, active_instance: dict, clock: ManualClock) -> None:
    path = f"/instances/{active_instance['id']}"
    schedule = v2.ok(v2.get(path + "/backup-schedule"))["backup_schedule"]
    assert list(schedule) == list(
        recorded("doc-examples/instance_backup-schedule_get.json")["backup_schedule"]
    )
    assert schedule["enabled"] is False
    v2.ok(v2.patch(path, {"backups": "enabled"}), 202)
    assert v2.post(path + "/backup-schedule", {"type": "weekly", "hour": 3, "dow": 2}).status_code == 200
    schedule = v2.ok(v2.get(path + "/backup-schedule"))["backup_schedule"]
    assert (schedule["enabled"], schedule["type"], schedule["hour"], schedule["dow"]) == (
        True,
        "weekly",
        3,
        2,
    )
    assert v2.post(path + "/backup-schedule", {"type": "hourly"}).status_code == 400
    upgrades = v2.ok(v2.get(path + "/upgrades"))["upgrades"]
    assert "vc2-1c-2gb" in upgrades["plans"] and "vc2-1c-1gb" not in upgrades["plans"]
    assert all(entry["id"] not in (159, 164, 180, 186) for entry in upgrades["os"])
    assert list(v2.ok(v2.get(path + "/upgrades", params={"type": "plans"}))["upgrades"]) == ["plans"]
    clock.advance(86_400)
    days = v2.ok(v2.get(path + "/bandwidth"))["bandwidth"]
    assert len(days) == 2 and all(isinstance(d["incoming_bytes"], int) for d in days.values())
