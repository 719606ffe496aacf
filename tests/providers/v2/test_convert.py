"""The v2 wire → model converters on recorded v2 bodies (live 2021 recordings and OpenAPI examples)."""

from __future__ import annotations

import base64

import pytest

from providers.v2.wiredata import body
from vultr_state.model.live import LiveServer
from vultr_state.model.server import BootKind, InstallState, PowerState, SnapshotState
from vultr_state.providers.v2 import convert
from vultr_state.providers.v2.convert import WireShapeError


def _instances(name: str) -> list[LiveServer]:
    return [convert.server(item) for item in body(name)["instances"]]


def test_recorded_instance_list_keeps_uuids_region_and_plan_ids() -> None:
    servers = _instances("instances_list.2021.json")
    assert [s.id for s in servers] == [
        "123",
        "bccc8184-ae8b-49d9-ab7c-2dd5c507a4fd",
        "75c17a64-e703-4d3e-9969-70d39b6db3bf",
    ]
    first = servers[0]
    assert (first.label, first.region_id, first.plan_id, first.os_id) == ("test1", "fra", "vc2-1c-2gb", "477")
    assert (first.install, first.power, first.boot) == (InstallState.READY, PowerState.RUNNING, BootKind.OS)
    assert first.main_ip == "45.76.83.44"
    assert first.os_name == "Debian 11 x64"  # the instance's short name; /os says "Debian 11 x64 (bullseye)"
    assert first.date_created == "2021-09-01T13:25:48+00:00"


def test_absent_strings_become_none_and_vpc_address_is_kept() -> None:
    servers = _instances("instances_list.2021.json")
    assert all(s.v6_main_ip is None and s.v6_network is None for s in servers)
    assert not any(s.ipv6_enabled for s in servers)
    assert [s.internal_ip for s in servers] == [None, None, "10.8.96.3"]
    assert servers[2].install is InstallState.BOOTING
    assert all(s.ready for s in servers)  # active with a real address, even while still booting


def test_pending_create_answer_has_no_address_and_no_password() -> None:
    created = body("instances_create.2021.json")["instance"]
    assert created["default_password"]  # the recording carries it ...
    server = convert.server(created)
    assert server.main_ip is None  # "0.0.0.0" placeholder
    assert (server.install, server.power) == (InstallState.PENDING, PowerState.RUNNING)
    assert not server.ready
    assert server.internal_ip == "10.7.96.6"
    assert server.tag == "dimgal1223444"  # 2021 shape: the single 'tag' string
    assert created["default_password"] not in repr(server)  # ... the model never does
    assert "default_password" not in LiveServer.__slots__


def test_resizing_answer_shows_the_new_plan_and_is_not_ready() -> None:
    server = convert.server(body("instance_update_plan.resizing.2021.json")["instance"])
    assert (server.install, server.plan_id) == (InstallState.RESIZING, "vc2-1c-2gb")
    assert not server.ready


def test_features_give_backups_and_ipv6_and_padded_ipv6_is_compressed() -> None:
    server = convert.server(body("doc-examples/instances_list.json")["instances"][0])
    assert server.auto_backups is True
    # The wire says 2001:0db8:1112:18fb:0200:00ff:fe00:0000 (zero-padded groups).
    assert server.v6_main_ip == "2001:db8:1112:18fb:200:ff:fe00:0"
    assert server.v6_network == "2001:db8:1112:18fb::"  # from 2001:0db8:1112:18fb::
    assert server.ipv6_enabled
    assert server.tag == "a tag"
    plain = convert.server(body("instance_get.2021.json")["instance"])
    assert plain.auto_backups is False and not plain.ipv6_enabled


def test_reserved_owner_tags_are_hidden_from_user_tags() -> None:
    record = dict(body("doc-examples/instance_get.json")["instance"])
    record["tags"] = ["vultr-state:web", "blue", "vultr-state:ops", "blue", "", "team-a"]
    tags = convert.split_tags(record)
    assert tags.user == ("blue", "team-a")
    assert tags.projects == ("ops", "web")
    assert convert.server(record).tag == "blue"
    only_owner = dict(record, tags=[convert.owner_tag("web")])
    assert convert.server(only_owner).tag == ""


def test_tags_list_wins_over_the_deprecated_tag_string() -> None:
    record = dict(body("instance_get.2021.json")["instance"], tag="old", tags=["new"])
    assert convert.split_tags(record).user == ("new",)
    assert convert.split_tags(dict(record, tags=None)).user == ("old",)


def test_v6_networks_list_of_the_schema_is_a_fallback() -> None:
    record = dict(
        body("instance_get.2021.json")["instance"],
        v6_networks=[
            {"network": "2001:0db8:0005:06bb::", "main_ip": "2001:0db8:5:6bb::1", "network_size": 64}
        ],
    )
    server = convert.server(record)
    assert (server.v6_network, server.v6_main_ip) == ("2001:db8:5:6bb::", "2001:db8:5:6bb::1")


def test_ssh_keys_from_list_get_and_create() -> None:
    listed = [convert.ssh_key(k) for k in body("ssh-keys_list.2021.json")["ssh_keys"]]
    fetched = convert.ssh_key(body("ssh-key_get.2021.json")["ssh_key"])
    created = convert.ssh_key(body("ssh-keys_create.2021.json")["ssh_key"])
    assert listed == [fetched]
    assert (fetched.id, fetched.name, fetched.date_created) == ("123", "tester", "2019-09-20T11:14:26+00:00")
    assert fetched.public_key.startswith("ssh-rsa AAAAB3NzaC1yc2E")
    assert created.public_key == fetched.public_key and created.date_created != fetched.date_created
    assert fetched.public_key not in repr(fetched)


def test_startup_script_list_items_carry_no_body_and_get_is_base64() -> None:
    item = body("doc-examples/startup-scripts_list.json")["startup_scripts"][0]
    assert "script" not in item
    listed = convert.startup_script(item)
    assert (listed.name, listed.type, listed.script) == ("Example Startup Script", "pxe", "")
    assert listed.date_modified == "2020-10-10T01:59:20+00:00"
    got = body("doc-examples/startup-script_get.json")["startup_script"]
    decoded = convert.script_body(got)
    assert decoded == "Base64 Example Data"
    full = convert.startup_script(got, decoded)
    assert full.script == decoded and full.id == listed.id
    assert decoded not in repr(full) and got["script"] not in repr(full)


def test_script_bodies_round_trip_through_base64() -> None:
    text = "#!/bin/sh\necho 'héllo' > /tmp/x\n"
    encoded = convert.encode_script(text)
    assert base64.b64decode(encoded).decode() == text
    assert convert.script_body({"id": "x", "script": encoded}) == text


@pytest.mark.parametrize("bad", [None, 12, "not base64!", base64.b64encode(b"\xff\xfe").decode()])
def test_a_bad_script_body_is_a_shape_error(bad: object) -> None:
    with pytest.raises(WireShapeError):
        convert.script_body({"id": "x", "script": bad})


def test_snapshots_pending_and_complete_with_integer_sizes() -> None:
    listed = [convert.snapshot(s) for s in body("snapshots_list.2021.json")["snapshots"]]
    assert [(s.description, s.state, s.size) for s in listed] == [
        ("test1", SnapshotState.COMPLETE, "26843545600"),
        ("test2", SnapshotState.PENDING, "0"),
    ]
    assert listed[0] == convert.snapshot(body("snapshot_get.2021.json")["snapshot"])
    created = convert.snapshot(body("snapshots_create.2021.json")["snapshot"])
    assert (created.state, created.size, created.os_id) == (SnapshotState.PENDING, "0", "362")
    documented = convert.snapshot(body("doc-examples/snapshot_get.json")["snapshot"])
    assert documented.size.isdigit()


def test_reverse_dns_skips_private_addresses_and_compresses_ipv6() -> None:
    entry = convert.reverse_dns(
        "srv",
        body("doc-examples/instance_ipv4_list.json")["ipv4s"],
        body("doc-examples/instance_ipv6_reverse_list.json")["reverse_ipv6s"],
    )
    assert entry.ipv4 == (("192.0.2.123", "host1.example.com"), ("203.0.113.123", "host2.example.com"))
    assert entry.ipv6 == (("2001:db8:5:6bb:5400:2ff:fee5:1", "foo.example.com"),)


def test_ipv6_forms_compare_equal_once_compressed_and_expand_for_writes() -> None:
    padded = "2001:0db8:0005:06bb:5400:02ff:fee5:0001"
    assert convert.compress_ipv6(padded) == convert.compress_ipv6("2001:db8:5:6bb:5400:2ff:fee5:1")
    assert convert.expand_ipv6("2001:db8:5:6bb:5400:2ff:fee5:1") == padded
    assert convert.compress_ipv6("") is None and convert.compress_ipv6("::") is None


@pytest.mark.parametrize(
    ("field", "value"),
    [
        ("id", None),
        ("id", 7),
        ("label", 3),
        ("os_id", "x"),
        ("features", "ipv6"),
        ("tags", "a"),
        ("main_ip", 1),
    ],
)
def test_malformed_instance_fields_are_shape_errors(field: str, value: object) -> None:
    record = dict(body("instance_get.2021.json")["instance"], **{field: value})
    with pytest.raises(WireShapeError):
        convert.server(record)


def test_a_non_object_is_a_shape_error() -> None:
    for reader in (convert.server, convert.ssh_key, convert.snapshot, convert.startup_script):
        with pytest.raises(WireShapeError):
            reader(["not", "an", "object"])  # type: ignore[arg-type]


@pytest.mark.parametrize(
    ("status", "server_status", "state"),
    [
        ("pending", "none", InstallState.PENDING),
        ("active", "none", InstallState.INSTALLING),
        ("active", "locked", InstallState.INSTALLING),
        ("active", "installingbooting", InstallState.BOOTING),
        ("active", "ok", InstallState.READY),
        ("resizing", "locked", InstallState.RESIZING),
        ("suspended", "ok", InstallState.SUSPENDED),
        ("closed", "", InstallState.UNKNOWN),
    ],
)
def test_install_states(status: str, server_status: str, state: InstallState) -> None:
    assert convert.install_state(status, server_status) is state


def test_boot_kinds() -> None:
    record = body("instance_get.2021.json")["instance"]
    assert convert.boot_kind(record) is BootKind.OS
    assert convert.boot_kind(dict(record, snapshot_id="5a1b")) is BootKind.SNAPSHOT
    assert convert.boot_kind(dict(record, os_id=164)) is BootKind.SNAPSHOT
    assert convert.boot_kind(dict(record, os_id=159)) is BootKind.ISO
    assert (
        convert.power_state("stopped") is PowerState.STOPPED
        and convert.power_state("?") is PowerState.UNKNOWN
    )
