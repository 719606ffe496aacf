"""Every client method against the emulator, in process and over HTTP (the ``api`` fixture runs both).

One walk through an account's life calls every endpoint of the client's table and checks each answer's
normalised shape and its effect in the emulator; a final check proves that no endpoint was skipped. What
is sent is checked too: the API-Key header (never a query parameter), the User-Agent, form-encoded POSTs,
booleans as yes/no, and no key on public catalog calls.
"""

from __future__ import annotations

import base64

import pytest
import requests

from providers.v1.client.support import TEST_KEY, Reply, ScriptedAdapter, ed25519_public_key
from vultr_state import __version__
from vultr_state.errors import ApiRequestFailed
from vultr_state.providers.v1.client import ClientSettings, RateLimiter, VultrClient
from vultr_state.providers.v1.client.endpoints import ENDPOINTS

PUBKEY = ed25519_public_key(b"client-tests", "deploy@ci")
SCRIPT = "#!/bin/sh\necho provisioned > /root/done\n"


def usable_os(client: VultrClient) -> str:
    oses = client.os_list()
    return next(
        osid
        for osid, os in oses.items()
        if os["family"] not in ("iso", "snapshot", "backup", "application") and not os["windows"]
    )


def test_catalog_calls(api):
    client = api.client
    regions = client.regions_list()
    assert regions and all(dcid == region["DCID"] for dcid, region in regions.items())
    plans = client.plans_list()
    assert all(isinstance(loc, int) for plan in plans.values() for loc in plan["available_locations"])
    assert set(client.plans_list(type="vc2")) <= set(plans)
    dcid = next(iter(regions))
    available = client.regions_availability(dcid)
    assert available and all(isinstance(plan, int) for plan in available)
    oses = client.os_list()
    assert all(isinstance(os["OSID"], str) for os in oses.values())
    apps = client.app_list()
    assert all(app["APPID"] == appid for appid, app in apps.items())
    assert isinstance(client.iso_list(), dict)
    assert client.account_info()["balance"] is not None
    assert all(isinstance(acl, str) for acl in client.auth_info()["acls"])


def test_public_catalog_calls_work_without_a_key(api):
    keyless = api.new_client(api_key=None)
    assert keyless.os_list() and keyless.regions_list() and keyless.plans_list() and keyless.app_list()
    assert keyless.regions_availability(next(iter(keyless.regions_list())))


def test_every_endpoint_in_an_account_lifecycle(api):
    client, emulator, clock = api.client, api.emulator, api.clock
    assert client.account_info() and client.auth_info()["acls"] and client.plans_list() and client.app_list()
    assert client.iso_list() == {} or all(isinstance(iso["ISOID"], str) for iso in client.iso_list().values())
    dcid = next(iter(client.regions_list()))
    plan = client.regions_availability(dcid)[0]
    osid = usable_os(client)

    # SSH keys and startup scripts
    keyid = client.sshkey_create("deploy", PUBKEY)
    assert isinstance(keyid, str) and client.sshkey_list()[keyid]["name"] == "deploy"
    client.sshkey_update(keyid, name="deploy-2")
    client.sshkey_update(keyid, ssh_key=PUBKEY.replace("deploy@ci", "deploy@cd"))
    assert client.sshkey_list()[keyid]["ssh_key"].endswith("deploy@cd")
    scriptid = client.startupscript_create("bootstrap", SCRIPT)
    assert isinstance(scriptid, str) and client.startupscript_list()[scriptid]["script"] == SCRIPT
    client.startupscript_update(scriptid, name="bootstrap-2", script=SCRIPT + "# v2\n")
    assert client.startupscript_list()[scriptid]["name"] == "bootstrap-2"
    pxe = client.startupscript_create("chain", "#!ipxe\nshell\n", type="pxe")
    assert client.startupscript_list()[pxe]["type"] == "pxe"

    # a server
    subid = client.server_create(
        dcid, plan, osid, label="web-1", sshkeyids=[keyid], scriptid=scriptid, enable_ipv6=True,
        auto_backups=True, notify_activate=False, hostname="web-1", tag="web", userdata="#cloud-config\n",
    )  # fmt: skip
    assert isinstance(subid, str) and subid in client.server_list()
    pending = client.server_list(subid)
    assert pending["status"] == "pending" and isinstance(pending["v6_networks"], list)
    clock.advance(60)
    server = client.server_list(subid)
    assert server["status"] == "active" and server["SUBID"] == subid and server["label"] == "web-1"
    assert list(client.server_list(tag="web")) == [subid]
    assert list(client.server_list(label="web-1")) == [subid]
    assert list(client.server_list(main_ip=server["main_ip"])) == [subid]
    assert client.server_list(label="nope") == {}
    assert emulator.server(subid)["tag"] == "web"

    client.server_label_set(subid, "web-one")
    client.server_tag_set(subid, "frontend")
    assert client.server_list(subid)["label"] == "web-one"
    client.server_halt(subid)
    assert client.server_list(subid)["power_status"] == "stopped"
    client.server_start(subid)
    client.server_reboot(subid)
    assert client.server_list(subid)["power_status"] == "running"

    # IPv4
    main = client.server_list_ipv4(subid)
    assert [entry["type"] for entry in main] == ["main_ip"] and main[0]["ip"] == server["main_ip"]
    extra = client.server_create_ipv4(subid, reboot=False)
    assert extra is not None and extra in {entry["ip"] for entry in client.server_list_ipv4(subid)}
    client.server_reverse_set_ipv4(subid, server["main_ip"], "web-1.example.com")
    assert client.server_list_ipv4(subid)[0]["reverse"] == "web-1.example.com"
    client.server_reverse_default_ipv4(subid, server["main_ip"])
    assert client.server_list_ipv4(subid)[0]["reverse"] != "web-1.example.com"
    client.server_destroy_ipv4(subid, extra)
    assert extra not in {entry["ip"] for entry in client.server_list_ipv4(subid)}

    # IPv6
    v6 = client.server_list_ipv6(subid)
    assert v6 and v6[0]["ip"] == server["v6_main_ip"]
    assert client.server_reverse_list_ipv6(subid) == []
    client.server_reverse_set_ipv6(subid, server["v6_main_ip"], "web-1.example.com")
    assert client.server_reverse_list_ipv6(subid) == [
        {"ip": server["v6_main_ip"], "reverse": "web-1.example.com"}
    ]
    client.server_reverse_delete_ipv6(subid, server["v6_main_ip"])
    assert client.server_reverse_list_ipv6(subid) == []

    # in-place switches: IPv6 (already on: a no-op), private network, backups off and on
    client.server_ipv6_enable(subid)
    assert client.server_list(subid)["v6_main_ip"] == server["v6_main_ip"]
    client.server_private_network_enable(subid)
    assert client.server_list(subid)["internal_ip"]
    client.server_backup_disable(subid)
    assert client.server_list(subid)["auto_backups"] == "no"
    client.server_backup_enable(subid)
    assert client.server_list(subid)["auto_backups"] == "yes"

    # usage, reinstall, OS change, plan upgrade
    usage = client.server_bandwidth(subid)
    assert all(isinstance(count, int) for pairs in usage.values() for _, count in pairs)
    targets = client.server_os_change_list(subid)
    assert targets and all(os["OSID"] == key for key, os in targets.items())
    client.server_reinstall(subid, hostname="web-1b")
    clock.advance(60)
    other_os = next(key for key in targets if key != osid)
    client.server_os_change(subid, other_os)
    clock.advance(60)
    assert client.server_list(subid)["OSID"] == other_os
    upgrades = client.server_upgrade_plan_list(subid)
    assert all(isinstance(p, int) for p in upgrades)
    if upgrades:
        client.server_upgrade_plan(subid, upgrades[0])
        assert client.server_list(subid)["VPSPLANID"] == str(upgrades[0])
    clock.advance(60)

    # snapshots and backups
    snapid = client.snapshot_create(subid, description="golden")
    assert client.snapshot_list()[snapid]["description"] == "golden"
    assert list(client.snapshot_list(snapshotid=snapid)) == [snapid]
    clock.advance(60)
    assert client.snapshot_list()[snapid]["status"] == "complete"
    client.server_restore_snapshot(subid, snapid)
    clock.advance(60)
    backups = client.backup_list(subid=subid)
    assert backups and all(b["BACKUPID"] == key for key, b in backups.items())
    backupid = next(iter(backups))
    assert list(client.backup_list(backupid=backupid)) == [backupid]
    client.server_restore_backup(subid, backupid)
    clock.advance(60)

    # raw calls
    raw = client.raw("GET", "/v1/server/list", {"SUBID": subid})
    assert raw.status == 200 and subid in raw.body
    assert client.raw("POST", "server/label_set", {"SUBID": subid, "label": "raw"}).body == ""

    # teardown
    client.snapshot_destroy(snapid)
    client.server_destroy(subid)
    client.sshkey_destroy(keyid)
    client.startupscript_destroy(scriptid)
    client.startupscript_destroy(pxe)
    assert client.server_list() == {} and client.sshkey_list() == {} and client.snapshot_list() == {}
    assert client.startupscript_list() == {} and client.backup_list() == {}
    with pytest.raises(ApiRequestFailed, match="Invalid server"):
        client.server_list(subid)

    called = {call.split(" ", 1)[1] for call in client.calls_by_endpoint}
    missing = {path for path in ENDPOINTS if path not in called}
    assert missing == set(), f"endpoints not exercised: {sorted(missing)}"
    assert client.calls == sum(client.calls_by_endpoint.values())


def test_every_table_endpoint_has_a_method():
    for path in ENDPOINTS:
        assert callable(getattr(VultrClient, path.replace("/", "_"))), path


def test_wire_format_of_requests():
    """What goes out: header auth, user agent, form bodies, yes/no, base64 userdata, keyless catalog."""
    adapter = ScriptedAdapter(
        lambda sent: Reply(200, '{"SUBID":"7"}' if sent.path.endswith("create") else "{}")
    )
    session = requests.Session()
    session.mount("https://api.vultr.com/", adapter)
    client = VultrClient(ClientSettings(api_key=TEST_KEY), session=session, rate_limiter=RateLimiter(0))
    client.server_create(
        1, 201, "387", sshkeyids=["a", "b"], enable_ipv6=True, auto_backups=False, userdata="#cloud-config\n"
    )
    client.os_list()
    create, os_list = adapter.sent
    assert create.method == "POST" and create.query == {}
    assert (
        create.headers["API-Key"] == TEST_KEY and create.headers["User-Agent"] == f"vultr-state/{__version__}"
    )
    assert create.headers["Content-Type"] == "application/x-www-form-urlencoded"
    assert create.form == {
        "DCID": "1", "VPSPLANID": "201", "OSID": "387", "SSHKEYID": "a,b", "enable_ipv6": "yes",
        "auto_backups": "no", "userdata": base64.b64encode(b"#cloud-config\n").decode(),
    }  # fmt: skip
    assert TEST_KEY not in create.url and TEST_KEY not in os_list.url
    assert "API-Key" not in os_list.headers and os_list.path == "/v1/os/list"
