"""Unit tests of the live reader on recorded wire bodies (quirks included), served by RecordedAccount."""

from __future__ import annotations

import pytest

from providers.v1.live.recorded import RecordedAccount, load_recording
from vultr_state.errors import PlanError
from vultr_state.model.desired import Desired, DesiredServer, Ensure, ReverseDns
from vultr_state.model.registry import OwnedObject, Registry
from vultr_state.planner.fingerprints import fingerprint, fingerprints_of, live_fingerprints
from vultr_state.providers.base import read_live
from vultr_state.providers.v1 import V1Provider
from vultr_state.registry import encode_registry

PENDING_2020 = {
    "SUBID": "41326860", "os": "Ubuntu 20.04 x64", "main_ip": "0.0.0.0", "DCID": "1", "VPSPLANID": "201",
    "default_password": "s3cret!", "status": "pending", "power_status": "running", "server_state": "none",
    "v6_main_ip": False, "v6_network": "", "v6_network_size": "", "v6_networks": [], "label": "web-2",
    "internal_ip": "", "auto_backups": "no", "tag": "", "OSID": 387, "date_created": "2020-10-15 03:17:22",
}  # fmt: skip
ACTIVE = {
    "SUBID": "576965", "os": "Ubuntu 20.04 x64", "main_ip": "123.123.123.123", "DCID": "1",
    "VPSPLANID": "201", "default_password": "hunter2", "status": "active", "power_status": "running",
    "server_state": "ok",
    "v6_main_ip": "", "v6_network": "::", "v6_network_size": "0",
    "v6_networks": [
        {"v6_main_ip": "2001:DB8:1000::100", "v6_network": "2001:DB8:1000::", "v6_network_size": "64"}
    ],
    "label": "web-1", "internal_ip": "0", "auto_backups": "yes", "tag": "web", "OSID": "387",
}  # fmt: skip


def _recording(**extra):
    rec = load_recording(None)
    rec.update(
        {
            "sshkey/list": [],
            "startupscript/list": {
                "3": {"SCRIPTID": 3, "name": "boot", "type": "boot", "script": "#!/bin/sh"}
            },
            "server/list": {"576965": ACTIVE, "41326860": PENDING_2020},
            "snapshot/list": [],
            "server/list_ipv4": {
                "576965": {
                    "576965": [
                        {"ip": "123.123.123.123", "type": "main_ip", "reverse": "web-1.example.com"},
                        {"ip": "10.99.0.10", "type": "private", "reverse": ""},
                    ]
                }
            },
            "server/reverse_list_ipv6": {
                "576965": {"576965": [{"ip": "2001:DB8:1000::100", "reverse": "v6.example"}]}
            },
        }
    )
    rec.update(extra)
    return rec


def _desired(**server_fields) -> Desired:
    servers = (
        DesiredServer(label="web-1", **server_fields),
        DesiredServer(label="web-2", reverse_dns=ReverseDns(ipv4="web-2.example.com")),
    )
    return Desired(project="web", servers=servers)


def test_wire_quirks_are_normalised_and_secrets_dropped():
    account = RecordedAccount(_recording())
    live = read_live(V1Provider(account), _desired())
    by_id = {s.id: s for s in live.servers}
    pending, active = by_id["41326860"], by_id["576965"]
    assert [s.id for s in live.servers] == ["576965", "41326860"]  # numeric order
    assert pending.main_ip is None and pending.v6_main_ip is None and pending.v6_network is None
    assert pending.os_id == "387" and not pending.auto_backups and not pending.ready
    assert active.v6_main_ip == "2001:DB8:1000::100" and active.ipv6_enabled  # from v6_networks
    assert active.internal_ip is None and active.auto_backups and active.ready
    assert "hunter2" not in repr(live) and "s3cret" not in repr(live)
    assert live.ssh_keys == () and live.snapshots == ()
    assert live.startup_scripts[0].id == "3"
    assert live.catalog.isos == ()  # no ISO in the manifest: iso/list not read


def test_calls_are_one_per_list_plus_reverse_dns_of_active_managed_servers():
    account = RecordedAccount(_recording())
    live = read_live(
        V1Provider(account), _desired(reverse_dns=ReverseDns(ipv4="a.example", ipv6="b.example"))
    )
    assert account.paths[:7] == [
        "sshkey/list", "startupscript/list", "server/list", "snapshot/list",
        "regions/list", "plans/list", "os/list",
    ]  # fmt: skip
    # web-2 manages reverse DNS but is pending: not read (addresses are only listed for active servers)
    assert account.paths[7:] == ["server/list_ipv4?SUBID=576965", "server/reverse_list_ipv6?SUBID=576965"]
    (rdns,) = live.reverse_dns
    assert rdns.ipv4 == (("123.123.123.123", "web-1.example.com"),)  # private address left out
    assert rdns.ipv6 == (("2001:DB8:1000::100", "v6.example"),)


def test_no_reverse_dns_reads_when_not_managed_and_iso_list_when_used():
    account = RecordedAccount(_recording())
    desired = Desired(project="web", servers=(DesiredServer(label="web-1", iso="ipxe-rescue.iso"),))
    live = read_live(V1Provider(account), desired)
    assert account.calls == 8 and account.paths[-1] == "iso/list"
    assert [i.filename for i in live.catalog.isos] == ["CentOS-6.5-x86_64-minimal.iso", "ipxe-rescue.iso"]
    absent = Desired(
        project="web",
        servers=(DesiredServer(label="web-1", state=Ensure.ABSENT, reverse_dns=ReverseDns("x")),),
    )
    account = RecordedAccount(_recording())
    read_live(V1Provider(account), absent)
    assert account.calls == 7


def test_registry_scripts_are_split_out_and_other_projects_hidden():
    reg = Registry(project="web", owned=(OwnedObject("server", "576965", "web-1", protect=True),))
    (body,) = encode_registry(reg)
    scripts = {
        "3": {"SCRIPTID": "3", "name": "boot", "type": "boot", "script": "#!/bin/sh"},
        "9": {"SCRIPTID": "9", "name": "vultr-state:web", "type": "boot", "script": body},
        "10": {"SCRIPTID": "10", "name": "vultr-state:other", "type": "boot", "script": "{}"},
    }
    live = read_live(V1Provider(RecordedAccount(_recording(**{"startupscript/list": scripts}))), _desired())
    assert [s.name for s in live.startup_scripts] == ["boot"]
    assert live.registry.owned == reg.owned and live.registry.script_ids == ("9",)


def test_renamed_owned_server_still_gets_its_reverse_dns_read():
    reg = Registry(project="web", owned=(OwnedObject("server", "576965", "web-0"),))
    scripts = {
        "9": {"SCRIPTID": "9", "name": "vultr-state:web", "type": "boot", "script": encode_registry(reg)[0]}
    }
    account = RecordedAccount(_recording(**{"startupscript/list": scripts}))
    desired = Desired(
        project="web", servers=(DesiredServer(label="web-0", reverse_dns=ReverseDns(ipv4="x")),)
    )
    live = read_live(V1Provider(account), desired)
    assert [r.server_id for r in live.reverse_dns] == ["576965"]


def test_corrupt_registry_is_a_plan_error():
    scripts = {"9": {"SCRIPTID": "9", "name": "vultr-state:web", "type": "boot", "script": "{oops"}}
    with pytest.raises(PlanError, match="corrupt"):
        read_live(V1Provider(RecordedAccount(_recording(**{"startupscript/list": scripts}))), _desired())


def test_fingerprints_ignore_progress_but_see_real_changes():
    live = read_live(V1Provider(RecordedAccount(_recording())), _desired())
    progressed = dict(ACTIVE, server_state="installingbooting", date_created="2020-10-16 00:00:00")
    later = read_live(
        V1Provider(
            RecordedAccount(_recording(**{"server/list": {"576965": progressed, "41326860": PENDING_2020}}))
        ),
        _desired(),
    )
    assert live_fingerprints(live) == live_fingerprints(later)
    relabelled = dict(ACTIVE, label="renamed")
    changed = read_live(
        V1Provider(
            RecordedAccount(_recording(**{"server/list": {"576965": relabelled, "41326860": PENDING_2020}}))
        ),
        _desired(),
    )
    diff = dict(live_fingerprints(live)).items() ^ dict(live_fingerprints(changed)).items()
    assert {key for key, _ in diff} == {"server:576965"}
    assert fingerprint(live.registry) == fingerprint(changed.registry)


def test_fingerprints_of_some_keys_are_those_of_the_whole_reading():
    live = read_live(V1Provider(RecordedAccount(_recording())), _desired())
    every = dict(live_fingerprints(live))
    keys = ["server:41326860", "registry:web", "catalog:all", "server:nowhere", "server:576965"]
    assert fingerprints_of(live, keys) == [(key, every[key]) for key in keys if key in every]
    assert len(fingerprints_of(live, keys)) == 4 and fingerprints_of(live, []) == []
