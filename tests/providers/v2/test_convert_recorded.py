"""The v2 converters on the recorded bodies ``test_convert`` leaves out: the documented create, update
and reinstall answers, the documented key, snapshot and script bodies, the live three-page ``/os``
listing, and every recorded instance body at once (what the model keeps, what it never does).

The bodies are vendored in ``wire/`` from ``/work/shared/fixtures/v2/`` (provenance in
``wire/SOURCES.md``: live 2021 recordings from apache/libcloud, documentation examples from Vultr's
OpenAPI document).
"""

from __future__ import annotations

import pytest

from providers.v2.wiredata import body
from vultr_state.model.server import BootKind, InstallState, PowerState, SnapshotState
from vultr_state.providers.v2 import catalog, convert, paging

INSTANCE_BODIES = [
    ("instances_list.2021.json", "instances"),
    ("instances_create.2021.json", "instance"),
    ("instance_get.2021.json", "instance"),
    ("instance_update_plan.resizing.2021.json", "instance"),
    ("doc-examples/instances_list.json", "instances"),
    ("doc-examples/instance_get.json", "instance"),
    ("doc-examples/instances_create.json", "instance"),
    ("doc-examples/instance_update.json", "instance"),
    ("doc-examples/instance_reinstall.json", "instance"),
]


def _records(name: str, key: str) -> list[dict]:
    found = body(name)[key]
    return found if isinstance(found, list) else [found]


def test_documented_create_answer_is_pending_and_keeps_tags_and_hostname_but_no_password() -> None:
    record = body("doc-examples/instances_create.json")["instance"]
    server = convert.server(record)
    assert (server.id, server.region_id, server.plan_id, server.os_id) == (
        "4f0f12e5-1f84-404f-aa84-85f431ea5ec2", "ewr", "vc2-1c-1gb", "401",
    )  # fmt: skip
    assert (server.install, server.power, server.boot) == (
        InstallState.PENDING,
        PowerState.RUNNING,
        BootKind.OS,
    )
    assert server.main_ip is None and server.v6_main_ip is None and not server.ready  # "0.0.0.0", ""
    assert (server.label, server.hostname) == ("", "my_hostname")
    assert (server.tags, server.tag, server.owners) == (("a tag", "another"), "a tag", ())
    assert record["default_password"] not in repr(server)


def test_documented_update_and_reinstall_answers_are_ready_with_their_features() -> None:
    updated = convert.server(body("doc-examples/instance_update.json")["instance"])
    assert (updated.install, updated.plan_id, updated.main_ip) == (
        InstallState.READY, "vc2-24c-97gb", "192.0.2.123",
    )  # fmt: skip
    assert updated.ready and updated.auto_backups
    # "ipv6" is among the features, yet the body has no IPv6 address: the model goes by the addresses.
    assert not updated.ipv6_enabled
    reinstalled = convert.server(body("doc-examples/instance_reinstall.json")["instance"])
    assert reinstalled.id == updated.id and reinstalled.hostname == "my_new_hostname"
    # This answer has the deprecated single 'tag' and no 'tags' list: the tag is still the user's.
    assert (reinstalled.tag, reinstalled.tags) == ("Example Tag", ("Example Tag",))


@pytest.mark.parametrize(("name", "key"), INSTANCE_BODIES)
def test_every_recorded_instance_body_converts_and_no_secret_enters_the_model(name: str, key: str) -> None:
    for record in _records(name, key):
        server = convert.server(record)
        assert server.id == record["id"] and server.label == record["label"]
        assert server.region_id == record["region"] and server.plan_id == record["plan"]
        assert server.os_id == str(record["os_id"])
        assert server.ready == (record["status"] == "active" and record["main_ip"] not in ("", "0.0.0.0"))
        shown = repr(server)
        for secret in ("default_password", "user_data"):
            if record.get(secret):
                assert record[secret] not in shown
        assert "kvm" not in shown and (not record.get("kvm") or record["kvm"] not in shown)


def test_documented_key_snapshot_and_script_bodies() -> None:
    (key,) = [convert.ssh_key(k) for k in body("doc-examples/ssh-keys_list.json")["ssh_keys"]]
    assert (key.id, key.name, key.public_key) == (
        "cb676a46-66fd-4dfb-b839-443f2e6c0b60", "Example SSH Key", "ssh-rsa AA... user@example.com",
    )  # fmt: skip
    (snapshot,) = [convert.snapshot(s) for s in body("doc-examples/snapshots_list.json")["snapshots"]]
    assert (snapshot.description, snapshot.state, snapshot.size, snapshot.os_id) == (
        "Example Snapshot", SnapshotState.COMPLETE, "42949672960", "215",
    )  # fmt: skip
    created = body("doc-examples/startup-scripts_create.json")["startup_script"]
    decoded = convert.script_body(created)
    script = convert.startup_script(created, decoded)
    assert (script.id, script.name, script.type, script.script) == (
        "cb676a46-66fd-4dfb-b839-443f2e6c0b60", "Example Startup Script", "pxe", "Base64 Example Data",
    )  # fmt: skip
    assert script.date_modified == "2020-10-10T01:56:20+00:00"
    assert decoded not in repr(script) and created["script"] not in repr(script)


def test_the_three_page_os_listing_converts_like_the_one_page_listing() -> None:
    pages = [body(f"os_list.page{n}.2021.json") for n in (1, 2, 3)]
    paged = [item for page in pages for item in paging.items(page, "os")]
    whole = paging.items(body("os_list.2021.json"), "os")
    assert len(paged) == len(whole) == 30 == pages[0]["meta"]["total"]
    converted = {entry.id: entry for entry in map(catalog.operating_system, paged) if entry is not None}
    expected = {entry.id: entry for entry in map(catalog.operating_system, whole) if entry is not None}
    assert converted == expected
    # The pseudo systems v2 boots from iso_id / snapshot_id / app_id are left out of the OS catalog.
    pseudo = {str(item["id"]) for item in whole if item["family"] in catalog.PSEUDO_OS_FAMILIES}
    assert pseudo and not pseudo & set(converted)
    assert len(converted) == len(whole) - len(pseudo)
