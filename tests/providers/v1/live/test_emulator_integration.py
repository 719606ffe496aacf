"""The live reader and the planner against the emulator: call counts over real HTTP, and apply → plan
again shows no changes, while out-of-band changes (label, power, reverse DNS, a deleted key) show as drift.
"""

from __future__ import annotations

from pathlib import Path

import pytest
import requests

from vultr_state.emulator import (
    DEFAULT_API_KEY,
    Emulator,
    EmulatorAdapter,
    EmulatorConfig,
    EmulatorServer,
    ManualClock,
)
from vultr_state.executor import apply
from vultr_state.http.settings import ClientSettings
from vultr_state.manifest import load_manifest
from vultr_state.model.desired import Desired, DesiredServer, ReverseDns
from vultr_state.model.plan import ActionType
from vultr_state.planner import plan
from vultr_state.providers.base import read_live
from vultr_state.providers.v1 import V1Provider
from vultr_state.providers.v1.client import VultrClient

BASE_URL = "https://api.vultr.com"
KEY = "ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAICvMRIoLl7ifUS3jw5GPijSJRpDW6frmaxgsFBvBFfLQ deploy@ci"
MANIFEST = f"""
project: live-it
defaults:
  region: New Jersey
  plan: 1024 MB RAM,25 GB SSD,1.00 TB BW
  os: Ubuntu 22.04 x64
ssh_keys:
  - name: deploy
    public_key: "{KEY}"
startup_scripts:
  - name: bootstrap
    script: |
      #!/bin/sh
      echo integration-secret
servers:
  - label: web-1
    ssh_keys: [deploy]
    startup_script: bootstrap
    ipv6: true
    tag: web
    reverse_dns:
      ipv4: web-1.example.com
      ipv6: web-1.example.com
  - label: worker-1
    power: stopped
"""


def _client(session: requests.Session, url: str, clock: ManualClock) -> VultrClient:
    settings = ClientSettings(api_key=DEFAULT_API_KEY, api_url=url, rate_limit=0.0)
    return VultrClient(settings, session=session, sleep=clock.advance)


@pytest.fixture
def world():
    clock = ManualClock()
    emulator = Emulator(
        EmulatorConfig(
            rate_limit=0, provision_seconds=10, snapshot_seconds=5, clock=clock, sleep=clock.advance
        )
    )
    session = requests.Session()
    session.mount(BASE_URL + "/", EmulatorAdapter(emulator))
    return emulator, _client(session, BASE_URL, clock), clock


def test_read_live_over_http_makes_seven_calls_plus_reverse_dns_reads():
    clock = ManualClock()
    emulator = Emulator(EmulatorConfig(rate_limit=0, provision_seconds=1, clock=clock, sleep=clock.advance))
    with EmulatorServer(emulator) as server, requests.Session() as session:
        client = _client(session, server.url, clock)
        key_id = client.sshkey_create("deploy", KEY)
        client.startupscript_create("boot", "#!/bin/sh\necho secret\n")
        for i in range(6):
            client.server_create("1", "201", "387", label=f"s-{i}", sshkeyids=[key_id], enable_ipv6=i < 2)
        clock.advance(5)
        desired = Desired(
            project="p",
            servers=(
                DesiredServer(
                    label="s-0", reverse_dns=ReverseDns(ipv4="a.example", ipv6="b.example"), ipv6=True
                ),
                DesiredServer(label="s-3", reverse_dns=ReverseDns(ipv4="c.example")),
                DesiredServer(label="s-4"),
            ),
        )
        before = client.calls
        live = read_live(V1Provider(client), desired)
        assert client.calls - before == 7 + 2 + 1  # lists, then s-0 (v4 + v6) and s-3 (v4)
    assert len(live.servers) == 6 and all(s.ready for s in live.servers)
    assert {r.server_id for r in live.reverse_dns} == {
        s.id for s in live.servers if s.label in ("s-0", "s-3")
    }
    assert all(r.ipv4 for r in live.reverse_dns)
    assert "default_password" not in repr(live)


def _plan(client: VultrClient, desired: Desired):
    return plan(desired, read_live(V1Provider(client), desired))


def test_apply_then_plan_again_shows_no_changes_and_out_of_band_drift(world, tmp_path: Path):
    emulator, client, clock = world
    (tmp_path / "m.yaml").write_text(MANIFEST)
    desired = load_manifest([str(tmp_path / "m.yaml")], env={})
    first = _plan(client, desired)
    assert [a.type for a in first.actions].count(ActionType.CREATE) == 5  # key, script, 2 servers, 1 rDNS
    result = apply(first, V1Provider(client), clock=clock, sleep=clock.advance, lock_settle=0.0)
    assert not result.failed, result

    again = _plan(client, desired)
    assert again.actions == (), [(a.key, a.changes) for a in again.actions]
    assert again.owned_count == 4 and again.refusals == ()

    web = next(s for s in emulator.servers() if s["label"] == "web-1")
    key_id = next(k["SSHKEYID"] for k in emulator.ssh_keys())
    client.server_label_set(web["SUBID"], "renamed")
    client.server_halt(web["SUBID"])
    client.server_reverse_set_ipv4(web["SUBID"], web["main_ip"], "hijacked.example.com")
    client.sshkey_destroy(key_id)

    drift = _plan(client, desired)
    by_key = {a.key: a for a in drift.actions}
    assert {c.field for c in by_key["server:web-1"].changes} == {"label", "power"}
    assert by_key["reverse_dns:web-1"].type is ActionType.UPDATE
    assert by_key["reverse_dns:web-1"].changes[0].old == "hijacked.example.com"
    assert by_key["ssh_key:deploy"].type is ActionType.CREATE
    assert any("no longer in the account" in w for w in drift.warnings)

    converge = apply(drift, V1Provider(client), clock=clock, sleep=clock.advance, lock_settle=0.0)
    assert not converge.failed, converge
    assert _plan(client, desired).actions == ()


def test_another_projects_objects_are_never_adopted_counted_or_touched(world, tmp_path: Path):
    emulator, client, clock = world
    (tmp_path / "a.yaml").write_text(MANIFEST)
    first_project = load_manifest([str(tmp_path / "a.yaml")], env={})
    apply(_plan(client, first_project), V1Provider(client), clock=clock, sleep=clock.advance, lock_settle=0.0)

    # A second project names the same SSH key and script: it must get its own, not adopt project live-it's.
    (tmp_path / "b.yaml").write_text(MANIFEST.replace("project: live-it", "project: other"))
    second_project = load_manifest([str(tmp_path / "b.yaml")], env={})
    second = _plan(client, second_project)
    assert ActionType.ADOPT not in {a.type for a in second.actions}
    assert second.unmanaged == ()  # live-it's objects are not "unmanaged" for project other either
    assert {a.key: a.type for a in second.actions}["ssh_key:deploy"] is ActionType.CREATE

    apply(second, V1Provider(client), clock=clock, sleep=clock.advance, lock_settle=0.0)
    assert sorted(k["name"] for k in emulator.ssh_keys()) == ["deploy", "deploy"]
    assert _plan(client, first_project).actions == ()
    assert _plan(client, second_project).actions == ()
