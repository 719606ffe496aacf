"""python-vultr (PyPI ``vultr`` 1.0.1, spry-group/python-vultr), unmodified, against the emulator over HTTP.

The client is pointed at the emulator through its own ``api_endpoint`` attribute and its client-side pacing
(1 request/s by default) is raised with its own ``set_requests_per_second``. It authenticates with the
``api_key`` query parameter, also on POSTs whose parameters travel in the form body.
"""

from __future__ import annotations

import re

import pytest

from tests.compat.conftest import PROVISION_SECONDS, SNAPSHOT_SECONDS, SSH_KEY
from vultr_state.emulator import DEFAULT_API_KEY, EmulatorConfig, EmulatorServer, ManualClock

vultr = pytest.importorskip("vultr")
from vultr.utils import VultrBase, VultrError  # noqa: E402

INVALID_SERVER = "Invalid server.  Check SUBID value and ensure your API key matches the server's account"


def connect(url: str, key: str = DEFAULT_API_KEY, per_second: float = 1000) -> vultr.Vultr:
    """A ``vultr.Vultr`` whose every sub-client talks to ``url``."""
    client = vultr.Vultr(key)
    pending = [client]
    while pending:
        part = pending.pop()
        part.api_endpoint = url
        part.set_requests_per_second(per_second)
        pending.extend(value for value in vars(part).values() if isinstance(value, VultrBase))
    return client


@pytest.fixture
def client(server: EmulatorServer) -> vultr.Vultr:
    return connect(server.url)


def test_catalog_is_public_and_typed_as_the_real_api(server: EmulatorServer) -> None:
    anonymous = connect(server.url, key="WRONG-KEY")
    oses, plans, regions = anonymous.os.list(), anonymous.plans.list(), anonymous.regions.list()
    assert oses["167"]["OSID"] == 167
    assert {"159", "164", "180", "186"} <= set(oses)
    assert plans["201"]["VPSPLANID"] == "201"
    assert all(isinstance(dcid, int) for plan in plans.values() for dcid in plan["available_locations"])
    assert regions["1"]["DCID"] == "1"
    availability = anonymous.regions.availability(1)
    assert availability and all(isinstance(plan_id, int) for plan_id in availability)
    assert anonymous.app.list()


def test_empty_account_lists_are_empty_arrays(client: vultr.Vultr) -> None:
    lists = (client.server.list, client.sshkey.list, client.startupscript.list, client.snapshot.list)
    assert [read() for read in (*lists, client.backup.list, client.firewall.group_list)] == [[]] * 6
    info = client.account.info()
    assert set(info) == {"balance", "pending_charges", "last_payment_date", "last_payment_amount"}


def test_ssh_keys_and_startup_scripts(client: vultr.Vultr) -> None:
    key_id = client.sshkey.create("deploy", SSH_KEY)["SSHKEYID"]
    client.sshkey.update(key_id, {"name": "deploy-2"})
    assert client.sshkey.list()[key_id]["name"] == "deploy-2"
    with pytest.raises(
        VultrError, match=re.escape("Unable to create SSH Key: Invalid SSH key.  Keys should be")
    ):
        client.sshkey.create("broken", "not a key")

    created = client.startupscript.create("boot", "#!/bin/sh\necho hello")
    assert isinstance(created["SCRIPTID"], int)
    script_id = str(created["SCRIPTID"])
    client.startupscript.update(script_id, {"script": "#!/bin/sh\necho bye"})
    listed = client.startupscript.list()[script_id]
    assert (listed["SCRIPTID"], listed["type"], listed["script"]) == (
        script_id,
        "boot",
        "#!/bin/sh\necho bye",
    )

    client.sshkey.destroy(key_id)
    client.startupscript.destroy(script_id)
    with pytest.raises(VultrError, match=r"Invalid SSH Key\.  Check SSHKEYID"):
        client.sshkey.destroy(key_id)
    with pytest.raises(VultrError, match=r"Invalid statup script\.  Check SCRIPTID"):
        client.startupscript.destroy(script_id)
    assert client.sshkey.list() == [] and client.startupscript.list() == []


def test_server_lifecycle(client: vultr.Vultr, clock: ManualClock) -> None:
    key_id = client.sshkey.create("deploy", SSH_KEY)["SSHKEYID"]
    script_id = client.startupscript.create("boot", "#!/bin/sh\necho hi")["SCRIPTID"]
    options = {"label": "web-1", "SSHKEYID": key_id, "SCRIPTID": script_id}
    subid = client.server.create(1, 201, 167, {**options, "enable_ipv6": "yes", "auto_backups": "yes"})[
        "SUBID"
    ]
    pending = client.server.list(subid)
    assert (pending["SUBID"], pending["status"], pending["label"]) == (subid, "pending", "web-1")
    assert list(client.server.list()) == [subid]

    clock.advance(PROVISION_SECONDS * 3)
    active = client.server.list(subid)
    assert (active["status"], active["power_status"], active["server_state"]) == ("active", "running", "ok")
    assert active["default_password"] and active["main_ip"] != "0.0.0.0"

    client.server.label_set(subid, "web-renamed")
    assert client.server.list(subid)["label"] == "web-renamed"
    usage = client.server.bandwidth(subid)
    assert all(isinstance(count, str) for _, count in usage["incoming_bytes"])

    client.server.halt(subid)
    assert client.server.list(subid)["power_status"] == "stopped"
    client.server.start(subid)
    client.server.reboot(subid)
    assert client.server.list(subid)["power_status"] == "running"

    targets = client.server.os_change_list(subid)
    assert "381" in targets and targets["381"]["surcharge"] == "0.00"
    client.server.os_change(subid, 381)
    client.server.reinstall(subid)
    clock.advance(PROVISION_SECONDS * 3)
    assert client.server.list(subid)["os"] == targets["381"]["name"]

    upgrades = client.server.upgrade_plan_list(subid)
    client.server.upgrade_plan(subid, upgrades[0])
    assert client.server.list(subid)["VPSPLANID"] == str(upgrades[0])

    client.server.set_user_data(subid, "I2Nsb3VkLWNvbmZpZwo=")
    assert client.server.get_user_data(subid) == {"userdata": "I2Nsb3VkLWNvbmZpZwo="}

    client.server.destroy(subid)
    assert client.server.list() == []
    with pytest.raises(VultrError, match=re.escape(INVALID_SERVER)):
        client.server.list(subid)


def test_reverse_dns(client: vultr.Vultr, clock: ManualClock) -> None:
    subid = client.server.create(1, 201, 167, {"enable_ipv6": "yes"})["SUBID"]
    clock.advance(PROVISION_SECONDS * 3)
    server = client.server.list(subid)
    ipv4, ipv6 = server["main_ip"], server["v6_main_ip"]

    client.server.ipv4.reverse_set(subid, ipv4, "web.example.com")
    assert client.server.ipv4.list(subid)[subid][0]["reverse"] == "web.example.com"
    client.server.ipv4.reverse_default(subid, ipv4)
    assert client.server.ipv4.list(subid)[subid][0]["reverse"] != "web.example.com"

    assert client.server.ipv6.list_ipv6(subid)[subid][0]["ip"] == ipv6
    client.server.ipv6.reverse_set_ipv6(subid, ipv6, "web6.example.com")
    assert client.server.ipv6.reverse_list_ipv6(subid)[subid] == [{"ip": ipv6, "reverse": "web6.example.com"}]
    client.server.ipv6.reverse_delete_ipv6(subid, ipv6)
    assert client.server.ipv6.reverse_list_ipv6(subid)[subid] == []

    # The IP is validated before the SUBID on the reverse calls (real: NODEV integration tests).
    with pytest.raises(VultrError, match=re.escape("Body: \nInvalid IP address") + "$"):
        client.server.ipv4.reverse_set("1", "no", "x.example.com")
    with pytest.raises(VultrError, match=re.escape(INVALID_SERVER)):
        client.server.ipv4.reverse_set("1", ipv4, "x.example.com")


def test_snapshot_backup_and_restores(client: vultr.Vultr, clock: ManualClock) -> None:
    subid = client.server.create(1, 201, 167, {"auto_backups": "yes"})["SUBID"]
    clock.advance(PROVISION_SECONDS * 3)
    snapshot_id = client.snapshot.create(subid, {"description": "before upgrade"})["SNAPSHOTID"]
    assert client.snapshot.list()[snapshot_id]["status"] == "pending"
    clock.advance(SNAPSHOT_SECONDS * 2)
    snapshot = client.snapshot.list()[snapshot_id]
    assert (snapshot["status"], snapshot["description"], snapshot["OSID"]) == (
        "complete",
        "before upgrade",
        "167",
    )

    client.server.restore_snapshot(subid, snapshot_id)
    assert client.server.list(subid)["server_state"] != "ok"
    clock.advance(PROVISION_SECONDS * 3)
    backups = client.backup.list()
    assert len(backups) == 1
    client.server.restore_backup(subid, next(iter(backups)))
    clock.advance(PROVISION_SECONDS * 3)
    assert client.server.list(subid)["server_state"] == "ok"

    copy = client.server.create(1, 201, 164, {"SNAPSHOTID": snapshot_id})["SUBID"]
    assert client.server.list(copy)["os"] == "Snapshot"
    client.snapshot.destroy(snapshot_id)
    with pytest.raises(VultrError, match=r"Invalid snapshot\.  Check SNAPSHOTID"):
        client.snapshot.destroy(snapshot_id)


def test_error_paths(server: EmulatorServer, client: vultr.Vultr) -> None:
    with pytest.raises(VultrError, match="Invalid or missing API key"):
        connect(server.url, key="WRONG-KEY").server.list()
    # python-vultr's own test: an empty SUBID is an invalid server.
    with pytest.raises(VultrError, match=re.escape(INVALID_SERVER)):
        client.server.label_set("", "label")
    with pytest.raises(
        VultrError, match=re.escape("Plan is not available in the selected datacenter.  This could")
    ):
        client.server.create(1, 207, 167)
    for action in (
        client.server.halt,
        client.server.destroy,
        client.server.bandwidth,
        client.snapshot.create,
    ):
        with pytest.raises(VultrError, match=re.escape(INVALID_SERVER)):
            action("999999")


def test_rate_limit_answers_503_that_the_client_reports() -> None:
    clock = ManualClock()
    with EmulatorServer(config=EmulatorConfig(rate_limit=2, rate_burst=2, clock=clock)) as limited:
        client = connect(limited.url)
        client.server.list()
        client.server.list()
        with pytest.raises(VultrError, match="Rate limit hit"):
            client.server.list()
        assert connect(limited.url, key=None).os.list(), "requests without a key are not limited"
        clock.advance(1)
        assert client.server.list() == []
        limited.emulator.close()
