"""SSH keys, startup scripts and snapshots: create/list/update/destroy, type quirks and errors."""

from __future__ import annotations

import base64

import pytest

from tests.emulator.conftest import SSH_ED25519, Api

FIXTURES = "/work/shared/fixtures/errors/"


def _text(name: str) -> str:
    with open(FIXTURES + name) as fixture:
        return fixture.read()


def _rsa_key() -> str:
    blob = b"\x00\x00\x00\x07ssh-rsa" + b"\x00\x00\x00\x03\x01\x00\x01" + b"\x00\x00\x00\x02\x00\xff"
    return "ssh-rsa " + base64.b64encode(blob).decode() + " me@host"


def test_sshkey_lifecycle(api: Api) -> None:
    created = api.ok(api.post("sshkey/create", name="deploy", ssh_key=SSH_ED25519))
    key_id = created["SSHKEYID"]
    assert len(key_id) == 13 and int(key_id, 16) >= 0
    listed = api.ok(api.get("sshkey/list"))
    assert list(listed[key_id]) == ["SSHKEYID", "date_created", "name", "ssh_key"]
    assert listed[key_id]["ssh_key"] == SSH_ED25519
    api.ok(api.post("sshkey/update", SSHKEYID=key_id, name="renamed", ssh_key=_rsa_key()))
    updated = api.ok(api.get("sshkey/list"))[key_id]
    assert (updated["name"], updated["ssh_key"]) == ("renamed", _rsa_key())
    api.ok(api.post("sshkey/destroy", SSHKEYID=key_id))
    assert api.get("sshkey/list").text == "[]"
    assert api.post("sshkey/destroy", SSHKEYID=key_id).text == _text("412_invalid_sshkey.txt")
    assert api.post("sshkey/update", SSHKEYID=key_id, name="x").text == _text("412_invalid_sshkey.txt")


@pytest.mark.parametrize(
    "bad",
    [
        "",
        "not a key",
        "ssh-rsa",
        "ssh-rsa !!!notbase64!!!",
        "ssh-ed25519 " + base64.b64encode(b"\x00\x00\x00\x07ssh-rsa").decode(),  # type mismatch
        "ssh-foo AAAAC3NzaC1lZDI1NTE5",
    ],
)
def test_sshkey_must_be_in_authorized_keys_format(api: Api, bad: str) -> None:
    response = api.post("sshkey/create", name="bad", ssh_key=bad)
    assert response.status_code == 412
    assert response.text.startswith(_text("412_sshkey_create_invalid_key.prefix.txt"))


def test_startupscript_lifecycle_and_scriptid_types(api: Api, clock) -> None:
    created = api.ok(api.post("startupscript/create", name="boot", script="#!/bin/sh\necho hi"))
    script_id = created["SCRIPTID"]
    assert isinstance(script_id, int)
    listed = api.ok(api.get("startupscript/list"))
    entry = listed[str(script_id)]
    assert entry["SCRIPTID"] == str(script_id) and entry["type"] == "boot"
    clock.advance(61)
    api.ok(api.post("startupscript/update", SCRIPTID=script_id, script="#!/bin/sh\necho bye"))
    updated = api.ok(api.get("startupscript/list"))[str(script_id)]
    assert updated["script"].endswith("bye") and updated["date_modified"] > updated["date_created"]
    pxe = api.ok(api.post("startupscript/create", name="ipxe", script="#!ipxe\nshell", type="pxe"))
    assert api.ok(api.get("startupscript/list"))[str(pxe["SCRIPTID"])]["type"] == "pxe"
    assert api.post("startupscript/create", name="x", script="y", type="cloud").status_code == 412
    assert api.post("startupscript/create", name="x").status_code == 412
    server = api.create_server(SCRIPTID=script_id)
    assert server
    api.ok(api.post("startupscript/destroy", SCRIPTID=script_id))
    assert api.post("startupscript/destroy", SCRIPTID=script_id).text == _text(
        "412_invalid_startupscript.txt"
    )
    assert api.post("startupscript/update", SCRIPTID=999).text == _text("412_invalid_startupscript.txt")


def test_snapshot_lifecycle_pending_to_complete(api: Api, active_server: str, clock) -> None:
    created = api.ok(api.post("snapshot/create", SUBID=active_server, description="golden"))
    snapshot_id = created["SNAPSHOTID"]
    snapshot = api.ok(api.get("snapshot/list"))[snapshot_id]
    assert (snapshot["status"], snapshot["description"], snapshot["OSID"]) == ("pending", "golden", "1743")
    assert snapshot["size"].isdigit() and snapshot["APPID"] == "0"
    clock.advance(5)
    assert api.ok(api.get("snapshot/list", SNAPSHOTID=snapshot_id))[snapshot_id]["status"] == "complete"
    assert api.get("snapshot/list", SNAPSHOTID="nope").text == "[]"
    assert api.post("snapshot/create", SUBID=1).text.startswith("Invalid server.  ")
    api.ok(api.post("snapshot/destroy", SNAPSHOTID=snapshot_id))
    assert api.post("snapshot/destroy", SNAPSHOTID=snapshot_id).text == _text("412_invalid_snapshot.txt")


def test_create_with_ssh_keys_and_script_references(api: Api) -> None:
    one = api.ok(api.post("sshkey/create", name="a", ssh_key=SSH_ED25519))["SSHKEYID"]
    two = api.ok(api.post("sshkey/create", name="b", ssh_key=_rsa_key()))["SSHKEYID"]
    assert one != two
    assert api.create_server(SSHKEYID=f"{one},{two}")
    bad = api.post("server/create", DCID=1, VPSPLANID=201, OSID=1743, SSHKEYID=f"{one},zzz")
    assert bad.text == _text("412_invalid_sshkey.txt")
