"""v2 SSH keys, startup scripts and snapshots: status codes, envelopes, recorded shapes and errors,
base64 bodies, list items without script bodies, snapshot lifecycle."""

from __future__ import annotations

import base64

from tests.emulator.v2.conftest import SCRIPT_B64, SSH_KEY, V2, recorded
from vultr_state.emulator import ManualClock

UNKNOWN = "3f2a9c10-0999-4000-8000-000000000000"


def test_ssh_key_crud(v2: V2) -> None:
    created = v2.ok(v2.post("/ssh-keys", {"name": "tester", "ssh_key": SSH_KEY}), 201)["ssh_key"]
    assert list(created) == list(recorded("ssh-keys_create.2021.json")["ssh_key"])
    path = f"/ssh-keys/{created['id']}"
    assert v2.ok(v2.get(path)) == {"ssh_key": created}
    v2.ok(v2.patch(path, {"name": "renamed"}), 204)
    assert v2.ok(v2.get("/ssh-keys"))["ssh_keys"][0]["name"] == "renamed"
    v2.ok(v2.delete(path), 204)
    missing = v2.get(path)
    assert (missing.status_code, missing.json()) == (404, recorded("404_ssh_key_get_invalid.2023.json"))


def test_ssh_key_errors(v2: V2) -> None:
    bad = v2.post("/ssh-keys", {"name": "x", "ssh_key": "ssh-rsa not-base64!"})
    assert bad.status_code == 400 and "authorized_keys" in bad.json()["error"]
    assert v2.post("/ssh-keys", {"ssh_key": SSH_KEY}).status_code == 400
    assert v2.get("/ssh-keys/123").json() == {"error": "Invalid UUID format.", "status": 400}
    assert v2.patch(f"/ssh-keys/{UNKNOWN}", {"name": "x"}).status_code == 404


def test_startup_script_crud_base64_and_list_without_bodies(v2: V2, clock: ManualClock) -> None:
    created = v2.ok(v2.post("/startup-scripts", {"name": "boot", "script": SCRIPT_B64}), 201)[
        "startup_script"
    ]
    assert list(created) == list(recorded("doc-examples/startup-script_get.json")["startup_script"])
    assert (created["type"], created["script"]) == ("boot", SCRIPT_B64)
    listed = v2.ok(v2.get("/startup-scripts"))["startup_scripts"]
    assert list(listed[0]) == list(recorded("doc-examples/startup-scripts_list.json")["startup_scripts"][0])
    path = f"/startup-scripts/{created['id']}"
    clock.advance(60)
    body = base64.b64encode(b"#!/bin/sh\necho changed\n").decode()
    v2.ok(v2.patch(path, {"script": body, "type": "pxe"}), 204)
    got = v2.ok(v2.get(path))["startup_script"]
    assert (got["script"], got["type"]) == (body, "pxe") and got["date_modified"] != got["date_created"]
    v2.ok(v2.delete(path), 204)
    assert v2.get(path).json() == {"error": "Invalid startup script ID", "status": 404}


def test_startup_script_errors(v2: V2) -> None:
    assert "not base64" in v2.post("/startup-scripts", {"name": "x", "script": "@@@"}).json()["error"]
    big = base64.b64encode(b"x" * (64 * 1024 + 1)).decode()
    assert v2.post("/startup-scripts", {"name": "x", "script": big}).status_code == 400
    assert v2.post("/startup-scripts", {"name": "x", "script": SCRIPT_B64, "type": "cron"}).status_code == 400


def test_snapshot_lifecycle_and_envelopes(v2: V2, active_instance: dict, clock: ManualClock) -> None:
    created = v2.ok(
        v2.post("/snapshots", {"instance_id": active_instance["id"], "description": "Test Snapshot"}), 201
    )
    reference = recorded("snapshots_create.2021.json")["snapshot"]
    snapshot = created["snapshot"]
    assert list(snapshot) == list(reference)
    assert {k: snapshot[k] for k in ("description", "size", "status", "app_id")} == {
        k: reference[k] for k in ("description", "size", "status", "app_id")
    }
    clock.advance(5)
    got = v2.ok(v2.get(f"/snapshots/{snapshot['id']}"))["snapshot"]
    assert (got["status"], got["size"]) == (
        "complete",
        recorded("snapshot_get.2021.json")["snapshot"]["size"],
    )
    v2.ok(v2.put(f"/snapshots/{snapshot['id']}", {"description": "renamed"}), 204)
    listed = v2.ok(v2.get("/snapshots", params={"description": "renamed"}))
    assert [s["id"] for s in listed["snapshots"]] == [snapshot["id"]] and listed["meta"]["total"] == 1
    v2.ok(v2.delete(f"/snapshots/{snapshot['id']}"), 204)
    assert v2.get(f"/snapshots/{snapshot['id']}").status_code == 404


def test_snapshot_of_an_unknown_instance_and_from_url(v2: V2) -> None:
    assert v2.post("/snapshots", {"instance_id": UNKNOWN}).status_code == 404
    assert v2.post("/snapshots", {}).status_code == 400
    from_url = v2.ok(v2.post("/snapshots/create-from-url", {"url": "https://example.com/disk.raw"}), 202)
    assert from_url["snapshot"]["status"] == "pending"
    assert v2.post("/snapshots/create-from-url", {"url": "ftp:nothing"}).status_code == 400


def test_v1_and_v2_accounts_are_separate(v2: V2, emulator) -> None:
    v2.create_key()
    v2.create_instance()
    assert emulator.ssh_keys() == [] and emulator.servers() == []
    assert len(emulator.v2.ssh_keys()) == 1 and len(emulator.v2.instances()) == 1


def test_iso_get_list_and_delete(v2: V2, clock: ManualClock) -> None:
    iso = v2.ok(v2.post("/iso", {"url": "https://example.com/images/rescue.iso"}), 201)["iso"]
    assert (iso["filename"], iso["status"]) == ("rescue.iso", "pending")
    clock.advance(5)
    done = v2.ok(v2.get(f"/iso/{iso['id']}"))["iso"]
    assert list(done) == list(recorded("doc-examples/iso_list.json")["isos"][0])
    assert done["status"] == "complete" and isinstance(done["size"], int)
    assert [i["id"] for i in v2.ok(v2.get("/iso"))["isos"]] == [iso["id"]]
    v2.ok(v2.delete(f"/iso/{iso['id']}"), 204)
    assert v2.get(f"/iso/{iso['id']}").status_code == 404
    assert v2.post("/iso", {"url": "not a url"}).status_code == 400
