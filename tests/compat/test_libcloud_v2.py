"""apache-libcloud's Vultr v2 compute driver (``VultrNodeDriverV2``, libcloud 3.9.1), unmodified, against
the emulator's ``/v2/`` over HTTP: catalog, SSH keys, an instance from create to delete (power, resize),
snapshots, and, through the driver's own connection (libcloud has no call for them), startup scripts
and reverse DNS.

The driver is pointed at the emulator with its ``host``/``port``/``secure`` arguments. It sends
``Authorization: Bearer``, ``Content-Type: application/json`` and ``per_page=500`` on every request,
follows ``meta.links.next`` cursors, and raises ``VultrException(code, message)`` on errors.
"""

from __future__ import annotations

import base64
import json
from urllib.parse import urlsplit

import pytest

from tests.compat.conftest import PROVISION_SECONDS, SNAPSHOT_SECONDS, SSH_KEY
from vultr_state.emulator import DEFAULT_API_KEY, EmulatorServer, ManualClock

pytest.importorskip("libcloud")
from libcloud.common.vultr import VultrException
from libcloud.compute.drivers.vultr import VultrNodeDriver, VultrNodeDriverV2
from libcloud.compute.types import NodeState


def connect(url: str, key: str = DEFAULT_API_KEY) -> VultrNodeDriverV2:
    parts = urlsplit(url)
    return VultrNodeDriver(key, api_version="2", secure=False, host=parts.hostname, port=parts.port)


@pytest.fixture
def driver(server: EmulatorServer) -> VultrNodeDriverV2:
    return connect(server.url)


def by_id(items: list, item_id: str):
    return next(item for item in items if item.id == item_id)


def test_catalog(driver: VultrNodeDriverV2) -> None:
    assert isinstance(driver, VultrNodeDriverV2)
    amsterdam = by_id(driver.list_locations(), "ams")
    assert (amsterdam.name, amsterdam.country) == ("Amsterdam", "NL")
    size = by_id(driver.list_sizes(), "vc2-1c-1gb")
    assert (size.ram, size.disk, size.price) == (1024, 25, 5)
    assert by_id(driver.list_images(), "477").name == "Debian 11 x64 (bullseye)"
    available = driver.ex_list_available_sizes_for_location(amsterdam)
    assert "vc2-1c-1gb" in available


def test_key_pairs(driver: VultrNodeDriverV2) -> None:
    created = driver.import_key_pair_from_string("compat", SSH_KEY)
    assert [k.name for k in driver.list_key_pairs()] == ["compat"]
    assert driver.get_key_pair(created.extra["id"]).public_key == SSH_KEY
    assert driver.delete_key_pair(created)
    assert driver.list_key_pairs() == []
    with pytest.raises(VultrException) as missing:
        driver.get_key_pair(created.extra["id"])
    assert (missing.value.code, missing.value.message) == (404, "Invalid ssh key.")


def test_startup_scripts_through_the_drivers_connection(driver: VultrNodeDriverV2) -> None:
    body = base64.b64encode(b"#!/bin/sh\necho compat\n").decode()
    created = driver.connection.request(
        "/v2/startup-scripts", method="POST", data=json.dumps({"name": "compat", "script": body})
    )
    script_id = created.object["startup_script"]["id"]
    assert created.status == 201
    listed = driver._paginated_request("/v2/startup-scripts", "startup_scripts")
    assert [s["id"] for s in listed] == [script_id] and "script" not in listed[0]
    fetched = driver.connection.request(f"/v2/startup-scripts/{script_id}").object["startup_script"]
    assert base64.b64decode(fetched["script"]) == b"#!/bin/sh\necho compat\n"
    assert driver.connection.request(f"/v2/startup-scripts/{script_id}", method="DELETE").status == 204


def test_instance_lifecycle_reverse_dns_and_snapshot(
    driver: VultrNodeDriverV2, server: EmulatorServer, clock: ManualClock
) -> None:
    key = driver.import_key_pair_from_string("compat", SSH_KEY)
    location = by_id(driver.list_locations(), "ams")
    size = by_id(driver.list_sizes(), "vc2-1c-1gb")
    image = by_id(driver.list_images(), "477")
    node = driver.create_node(
        "compat-1",
        size,
        location,
        image,
        ex_ssh_key_ids=[key.extra["id"]],
        ex_enable_ipv6=True,
        ex_userdata="#cloud-config\n",
        ex_tag="compat",
    )
    assert (node.state, node.public_ips[0], node.extra["tag"]) == (NodeState.PENDING, "0.0.0.0", "compat")
    with pytest.raises(VultrException) as locked:
        driver.destroy_node(node)
    assert locked.value.code == 500 and "Server is currently locked" in locked.value.message
    clock.advance(PROVISION_SECONDS * 2)
    node = driver.ex_get_node(node.id)
    assert node.state == NodeState.RUNNING and node.public_ips[0] != "0.0.0.0"
    assert [n.id for n in driver.list_nodes()] == [node.id]

    assert driver.stop_node(node)
    assert driver.ex_get_node(node.id).state == NodeState.STOPPED
    assert driver.start_node(node) and driver.reboot_node(node)
    assert driver.ex_get_node(node.id).extra["power_status"] == "running"

    main_ip = node.public_ips[0]
    reverse = {"ip": main_ip, "reverse": "compat.example.com"}
    done = driver.connection.request(
        f"/v2/instances/{node.id}/ipv4/reverse", method="POST", data=json.dumps(reverse)
    )
    assert done.status == 204
    ipv4s = driver._paginated_request(f"/v2/instances/{node.id}/ipv4", "ipv4s")
    assert ipv4s[0]["reverse"] == "compat.example.com"
    v6 = driver.connection.request(f"/v2/instances/{node.id}/ipv6").object["ipv6s"][0]["ip"]
    body = json.dumps({"ip": v6, "reverse": "compat6.example.com"})
    assert (
        driver.connection.request(f"/v2/instances/{node.id}/ipv6/reverse", method="POST", data=body).status
        == 204
    )
    entries = driver.connection.request(f"/v2/instances/{node.id}/ipv6/reverse").object["reverse_ipv6s"]
    assert entries == [{"ip": v6, "reverse": "compat6.example.com"}]

    snapshot = driver.ex_create_snapshot(node, "compat snapshot")
    assert snapshot.state.value == "creating"
    assert driver.ex_get_snapshot(snapshot.id).state.value == "creating"
    clock.advance(SNAPSHOT_SECONDS)
    assert driver.ex_get_snapshot(snapshot.id).state.value == "available"
    assert [s.id for s in driver.ex_list_snapshots()] == [snapshot.id]

    bigger = by_id(driver.list_sizes(), "vc2-1c-2gb")
    assert driver.ex_resize_node(node, bigger)
    assert driver.ex_get_node(node.id).state == NodeState.RECONFIGURING
    clock.advance(PROVISION_SECONDS)
    assert driver.ex_get_node(node.id).extra["ram"] == 2048

    assert driver.destroy_node(node)
    assert driver.ex_delete_snapshot(snapshot)
    with pytest.raises(VultrException) as gone:
        driver.ex_get_node(node.id)
    assert (gone.value.code, gone.value.message) == (404, "instance not found")
    assert server.emulator.v2.instances() == [] and server.emulator.v2.snapshots() == []


def test_bad_key_is_reported_with_the_recorded_text(server: EmulatorServer) -> None:
    with pytest.raises(VultrException) as refused:
        connect(server.url, key="WRONG").list_key_pairs()
    assert (refused.value.code, refused.value.message) == (401, "Invalid API token.")
