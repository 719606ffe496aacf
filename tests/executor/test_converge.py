"""The whole loop in process, on both APIs: manifest → read_live → plan → apply, repeated until the plan
is empty. Changes in place, replaces, reinstalls, prunes, a refused call midway and a crash between the
registry's intent write and its result write all converge, without a duplicate."""

from __future__ import annotations

import textwrap

import pytest

from executor.support import make_world
from vultr_state.errors import ApplyError
from vultr_state.executor.ownership import intent_pending
from vultr_state.manifest import load_manifest
from vultr_state.model.plan import ActionType, ChangeClass, Plan
from vultr_state.model.server import BootSource, ServerCreate
from vultr_state.planner import PlanOptions, plan
from vultr_state.planner.pending import PENDING_CREATE_WINDOW
from vultr_state.providers.base import read_live
from vultr_state.registry.store import RegistryStore

KEY = "ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAICvMRIoLl7ifUS3jw5GPijSJRpDW6frmaxgsFBvBFfLQ deploy@test"
ALL = PlanOptions(allow_destroy=True, allow_prune=True, allow_replace=True, allow_reinstall=True, force=True)
# The manifest's OS (Ubuntu 20.04) and a second one (for reinstalls) are spelt alike in both APIs' /os
# lists; the name differences between them are the catalog tests' business.
SECOND_OS = ("Debian 11 x64 (bullseye)", "477")
IN_CHICAGO = "\n  - label: web-1\n    region: Chicago\n"

BASE = """
project: web
defaults:
  region: New Jersey
  plan: 1024 MB RAM,25 GB SSD,1.00 TB BW
  os: Ubuntu 20.04 x64
  ssh_keys: [deploy]
ssh_keys:
  - name: deploy
    public_key: "{key}"
startup_scripts:
  - name: bootstrap
    script: |
      #!/bin/sh
      echo {body}
servers:
{servers}
"""

SERVER = """
  - label: {label}
    startup_script: bootstrap
    ipv6: true
    power: {power}
    reverse_dns:
      ipv4: {label}.{domain}
      ipv6: {label}.{domain}
"""


def manifest(
    tmp_path, labels=("web-1", "web-2"), *, power="running", domain="example.com", body="hi", extra=""
):
    servers = "".join(SERVER.format(label=label, power=power, domain=domain) for label in labels) + extra
    text = BASE.format(key=KEY, body=body, servers=textwrap.indent(textwrap.dedent(servers), ""))
    path = tmp_path / "manifest.yaml"
    path.write_text(text)
    return load_manifest([str(path)], env={})


def plan_now(world, desired, options=ALL) -> Plan:
    """What the CLI does: read, then plan with the provider's capabilities."""
    live = read_live(world.provider, desired)
    return plan(desired, live, options, capabilities=world.provider.capabilities, now=world.clock())


def converge(world, desired, options=ALL, rounds=3) -> list[Plan]:
    """Apply until the plan is empty; return the plans applied."""
    applied = []
    for _ in range(rounds):
        current = plan_now(world, desired, options)
        if not current.has_changes:
            return applied
        applied.append(current)
        world.apply(current)
    raise AssertionError(f"no convergence after {rounds} applies: {plan_now(world, desired, options)}")


def test_create_then_change_in_place_then_prune(tmp_path, api):
    world = make_world(api=api)
    desired = manifest(tmp_path)
    assert len(converge(world, desired)) == 1
    assert world.labels() == ["web-1", "web-2"]

    # In place: power, reverse DNS names, script body - one apply, then nothing left to do.
    changed = manifest(tmp_path, power="stopped", domain="example.org", body="changed")
    (applied,) = converge(world, changed)
    assert {a.type for a in applied.actions} == {ActionType.UPDATE}
    assert {s.power for s in world.servers()} == {"stopped"}
    web1 = next(s for s in world.servers() if s.label == "web-1")
    assert world.reverse_dns(web1.id) == ({"web-1.example.org"}, {"web-1.example.org"})
    assert {body for _id, name, body in world.scripts() if name == "bootstrap"} == {
        "#!/bin/sh\necho changed\n"
    }

    # Prune: web-2 leaves the manifest.
    fewer = manifest(tmp_path, labels=("web-1",), power="stopped", domain="example.org", body="changed")
    (applied,) = converge(world, fewer)
    assert [(a.type, a.name) for a in applied.actions] == [(ActionType.PRUNE, "web-2")]
    assert world.labels() == ["web-1"]


def test_a_create_time_only_change_is_acknowledged_once_and_then_settles(tmp_path, api):
    world = make_world(api=api)
    converge(world, manifest(tmp_path, labels=("web-1",)))
    (server,) = world.servers()

    # The startup script is create-time only: neither API can change it on a live server.
    no_script = manifest(
        tmp_path,
        labels=(),
        extra="\n  - label: web-1\n    ipv6: true\n    reverse_dns:\n"
        "      ipv4: web-1.example.com\n      ipv6: web-1.example.com\n",
    )
    (applied,) = converge(world, no_script, options=PlanOptions())
    (action,) = [a for a in applied.actions if a.kind == "server"]
    assert action.type is ActionType.UPDATE
    assert [(c.field, c.change_class) for c in action.changes] == [
        ("startup_script", ChangeClass.CREATE_TIME_ONLY)
    ]
    # Recorded, not carried out: the same server, and the next plan is empty (converge checked it).
    assert [s.id for s in world.servers()] == [server.id]


def test_replace_and_reinstall_converge(tmp_path, api):
    world = make_world(api=api)
    converge(world, manifest(tmp_path, labels=("web-1",)))
    (old,) = world.servers()

    replaced = manifest(tmp_path, labels=(), extra=IN_CHICAGO)  # a region change: a new server
    (applied,) = converge(world, replaced)
    assert [a.type for a in applied.actions if a.name == "web-1" and a.kind == "server"] == [
        ActionType.REPLACE
    ]
    (new,) = world.servers()
    assert new.label == "web-1" and new.id != old.id

    os_name, os_id = SECOND_OS
    reinstalled = manifest(tmp_path, labels=(), extra=f"{IN_CHICAGO}    os: {os_name}\n")
    (applied,) = converge(world, reinstalled)
    assert [a.type for a in applied.actions if a.kind == "server"] == [ActionType.REINSTALL]
    (same,) = world.servers()
    assert same.id == new.id and same.os_id == os_id


def test_refused_destroy_midway_is_reported_and_a_later_rerun_converges(tmp_path):
    """v1 wire: like the real v1 service, the emulator refuses to destroy a server younger than 5
    minutes (v2 has no such rule: its locked-server refusal is the next test)."""
    world = make_world(destroy_min_age_seconds=300.0)
    converge(world, manifest(tmp_path, labels=("web-1",)))
    replaced = manifest(tmp_path, labels=(), extra=IN_CHICAGO)
    with pytest.raises(ApplyError) as caught:
        world.apply(plan_now(world, replaced))
    (failed,) = caught.value.result.failed
    assert "Servers cannot be destroyed within 5 minutes of being created" in failed.message
    assert len(world.servers()) == 1  # the old server is intact: destroy comes first

    world.clock.advance(300)
    converge(world, replaced)
    ((server),) = world.emulator.servers()
    assert server["DCID"] == "2"


def test_v2_destroy_of_a_locked_server_waits_for_the_lock_then_a_rerun_converges(tmp_path):
    """v2 wire: a server still installing is locked and refuses a delete (the recorded 500); the
    provider retries until the lock clears, within a bound. Past the bound the step fails, the old
    server is intact, and a rerun once it unlocked converges. Within the bound, the replace just waits."""
    world = make_world(provision_seconds=400.0, api="v2", provider_options={"lock_wait_seconds": 30.0})
    desired = manifest(tmp_path, labels=("web-1",))
    converge(world, desired)  # waits until active with an address: ~400 s, then locked ~200 s more
    replaced = manifest(tmp_path, labels=(), extra=IN_CHICAGO)
    with pytest.raises(ApplyError) as caught:
        world.apply(plan_now(world, replaced))
    (failed,) = caught.value.result.failed
    assert "Server is currently locked" in failed.message
    (old,) = world.servers()
    assert old.label == "web-1" and old.status == "active"  # intact: destroy comes first

    world.clock.advance(400)
    converge(world, replaced)
    (new,) = world.servers()
    assert new.id != old.id and world.emulator.v2.instance(new.id)["region"] == "ord"

    # A lock shorter than the bound is waited out: the replace succeeds in one apply.
    short = make_world(provision_seconds=20.0, api="v2", provider_options={"lock_wait_seconds": 60.0})
    converge(short, desired)
    before = short.clock()
    (applied,) = converge(short, replaced)
    assert [a.type for a in applied.actions if a.kind == "server"] == [ActionType.REPLACE]
    assert short.clock() - before >= 10.0  # the delete waited for the lock to clear


def test_crash_after_intent_write_is_adopted_on_rerun(tmp_path, api):
    """An apply that died after sending a create (intent written, answer never recorded) leaves a pending
    entry; the next plan adopts the object instead of creating a second one."""
    world = make_world(api=api)
    desired = manifest(tmp_path, labels=("web-1",))
    first = plan_now(world, desired)
    # What the crashed apply did: the intent write (lock + pending creates), then the creates.
    store = RegistryStore(world.provider.blobs, "web", "otherhost/4242/dead", clock=world.clock,
                          sleep=world.clock.advance, lock_ttl=1.0, settle=0.0)  # fmt: skip
    store.acquire(intent_pending(first.actions, world.clock()))
    operations = world.provider.operations
    key_id = operations.create_ssh_key("deploy", KEY)
    subid = operations.create_server(
        ServerCreate(
            label="web-1", region_id=api.nj, plan_id=api.plan_1gb, boot=BootSource.os(api.ubuntu),
            ssh_key_ids=(key_id,), ipv6=True,
        )
    )  # fmt: skip
    world.clock.advance(5)  # the crashed apply's lock has expired

    rerun = plan_now(world, desired)
    adopted = {(a.kind.value, a.name) for a in rerun.actions if a.type is ActionType.ADOPT}
    assert ("server", "web-1") in adopted and ("ssh_key", "deploy") in adopted
    # The script's create may have been sent too: it is held until the pending window has passed.
    assert [r.action_key for r in rerun.refusals] == ["startup_script:bootstrap"]
    world.clock.advance(PENDING_CREATE_WINDOW)
    converge(world, desired)
    assert [s.id for s in world.servers()] == [subid]  # no duplicate
    assert [key for key, _name in world.ssh_keys()] == [key_id]


def test_a_no_change_plan_reads_only_lists_the_registry_and_managed_reverse_dns(tmp_path, api):
    world = make_world(api=api)
    desired = manifest(tmp_path)
    converge(world, desired)
    before = world.calls
    assert not plan_now(world, desired).has_changes
    # 7 lists (one page each); v2 lists omit bodies, so + the registry's body; + IPv4 and IPv6 reverse
    # DNS of the two servers. Nothing else: no script body while the script is unchanged.
    registry_bodies = 1 if api.name == "v2" else 0
    assert world.calls - before == 7 + registry_bodies + 2 * 2, world.calls - before


UPGRADED = "\n  - label: web-1\n    plan: 2048 MB RAM,55 GB SSD,2.00 TB BW\n    auto_backups: true\n"


def test_a_plan_upgrade_and_backups_change_in_place_on_both_apis(tmp_path, api):
    world = make_world(api=api)
    converge(world, manifest(tmp_path, labels=(), extra="\n  - label: web-1\n"))
    (old,) = world.servers()

    (applied,) = converge(world, manifest(tmp_path, labels=(), extra=UPGRADED), options=PlanOptions())
    (action,) = [a for a in applied.actions if a.kind == "server"]
    assert action.type is ActionType.UPDATE
    assert {c.field: c.change_class for c in action.changes} == {
        "plan": ChangeClass.IN_PLACE,
        "auto_backups": ChangeClass.IN_PLACE,
    }
    (new,) = world.servers()
    assert new.id == old.id and new.plan_id != old.plan_id  # the same server, resized
    live = {
        s.label: s for s in read_live(world.provider, manifest(tmp_path, labels=(), extra=UPGRADED)).servers
    }
    assert live["web-1"].auto_backups and live["web-1"].plan_id == new.plan_id


def test_a_hostname_change_reinstalls_on_v2_and_is_create_time_only_on_v1(tmp_path, api):
    world = make_world(api=api)
    named = "\n  - label: web-1\n    hostname: {}\n"
    converge(world, manifest(tmp_path, labels=(), extra=named.format("one.internal")))
    (old,) = world.servers()

    (applied,) = converge(world, manifest(tmp_path, labels=(), extra=named.format("two.internal")))
    (action,) = [a for a in applied.actions if a.kind == "server"]
    (server,) = world.servers()
    assert server.id == old.id
    if api.name == "v2":  # v2 reads the hostname back and reinstalls with the new one
        assert action.type is ActionType.REINSTALL
        assert world.emulator.v2.instance(server.id)["hostname"] == "two.internal"
    else:  # v1 cannot read it back nor change it: recorded, taking effect on the next replace
        assert [(c.field, c.change_class) for c in action.changes] == [
            ("hostname", ChangeClass.CREATE_TIME_ONLY)
        ]
