"""The executor against the in-process emulator: everything gets created, in dependency order, with the
registry written twice and the waiting done by one shared poller."""

from __future__ import annotations

import json

import pytest

from executor.support import (
    Recorder,
    key_create,
    make_world,
    plan_of,
    rdns_create,
    script_create,
    server_create,
    snapshot_create,
)
from vultr_state.errors import UnsafePlanError
from vultr_state.executor import Status
from vultr_state.model.plan import Refusal
from vultr_state.registry import registry_script_name

FULL = (
    key_create("deploy"),
    script_create("bootstrap"),
    server_create(
        "web-1",
        ssh_keys=("deploy",),
        startup_script="bootstrap",
        ipv6=True,
        depends_on=("ssh_key:deploy", "startup_script:bootstrap"),
    ),
    server_create("web-2", ssh_keys=("deploy",), depends_on=("ssh_key:deploy",)),
    rdns_create("web-1", ipv4="web-1.example.com", ipv6="web-1.v6.example.com"),
    rdns_create("web-2", ipv4="web-2.example.com"),
    snapshot_create("golden", "web-1"),
    server_create("clone-1", os_id="164", snapshot="golden"),
)


def _registry(world, project="web") -> dict:
    scripts = [s for s in world.emulator.startup_scripts() if s["name"] == registry_script_name(project)]
    assert len(scripts) == 1
    return json.loads(scripts[0]["script"])


def test_full_plan_creates_everything_and_records_ownership():
    world = make_world()
    recorder = Recorder()
    result = world.apply(plan_of(*FULL), progress=recorder)

    assert result.ok and len(result.done) == len(FULL)
    servers = {s["label"]: s for s in world.emulator.servers()}
    assert sorted(servers) == ["clone-1", "web-1", "web-2"]
    assert all(s["status"] == "active" for s in servers.values())
    keys = world.emulator.ssh_keys()
    assert [k["name"] for k in keys] == ["deploy"]
    record = world.emulator.server(servers["web-1"]["SUBID"])
    assert record is not None and record["v6_main_ip"]
    # Reverse DNS really set, for both families.
    ipv4 = world.client.server_list_ipv4(servers["web-1"]["SUBID"])
    assert {e["reverse"] for e in ipv4 if e["type"] == "main_ip"} == {"web-1.example.com"}
    ipv6 = world.client.server_reverse_list_ipv6(servers["web-1"]["SUBID"])
    assert {e["reverse"] for e in ipv6} == {"web-1.v6.example.com"}
    # The clone booted from the snapshot made earlier in the same apply.
    snapshot = world.emulator.snapshots()[0]
    assert snapshot["description"] == "golden" and snapshot["status"] == "complete"
    assert servers["clone-1"]["os"] == "Snapshot"

    registry = _registry(world)
    owned = registry["owned"]
    assert {i[1] for i in owned["server"]} == {"web-1", "web-2", "clone-1"}
    assert {i[0] for i in owned["server"]} == set(servers[label]["SUBID"] for label in servers)
    assert [i[1] for i in owned["ssh_key"]] == ["deploy"]
    assert [i[1] for i in owned["startup_script"]] == ["bootstrap"]
    assert [i[1] for i in owned["snapshot"]] == ["golden"]
    assert registry["pending"] == [] and "lock" not in registry
    assert recorder.summaries == [result]


def test_dependency_order_is_respected():
    world = make_world()
    recorder = Recorder()
    world.apply(plan_of(*FULL), progress=recorder)

    finish, start = (lambda k: recorder.index("finish", k)), (lambda k: recorder.index("start", k))
    assert finish("ssh_key:deploy") < start("server:web-1")
    assert finish("startup_script:bootstrap") < start("server:web-1")
    assert finish("server:web-1") < start("reverse_dns:web-1")
    assert finish("server:web-1") < start("snapshot:golden")
    assert finish("snapshot:golden") < start("server:clone-1")  # implied by the spec's snapshot name


def test_registry_is_written_exactly_twice_and_servers_polled_once_per_round():
    world = make_world(provision_seconds=12.0)
    actions = [server_create(f"app-{i}") for i in range(8)]
    result = world.apply(plan_of(*actions), poll_interval=(2.0, 5.0))

    assert result.ok
    calls = world.client.calls_by_endpoint
    # Intent (create: no registry yet) + result (update).
    assert calls["POST startupscript/create"] == 1 and calls["POST startupscript/update"] == 1
    assert calls["POST server/create"] == 8
    # Eight servers pending together for 12 s, rounds at least 2 s apart: one server/list per round for
    # all of them, so at most one call per 2 s of (manual-clock) waiting - not eight.
    assert result.elapsed >= 12.0
    assert 2 <= calls["GET server/list"] <= result.elapsed / 2.0 + 1


def test_plan_with_refusals_is_refused_before_any_call():
    world = make_world()
    plan = plan_of(server_create("web-1"))
    refused = type(plan)(project="web", actions=plan.actions, refusals=(Refusal("server:x", "protected"),))
    with pytest.raises(UnsafePlanError, match="protected"):
        world.apply(refused)
    assert world.client.calls == 0


def test_empty_plan_makes_no_call():
    world = make_world()
    result = world.apply(plan_of())
    assert result.ok and result.results == () and world.client.calls == 0


def test_parallelism_bounds_concurrent_creates():
    world = make_world(provision_seconds=0.0)
    active = {"now": 0, "max": 0}
    original = world.client.server_create

    import threading
    import time

    lock = threading.Lock()

    def counting_create(*args, **kwargs):
        with lock:
            active["now"] += 1
            active["max"] = max(active["max"], active["now"])
        try:
            time.sleep(0.02)  # real time, so that overlapping calls really overlap
            return original(*args, **kwargs)
        finally:
            with lock:
                active["now"] -= 1

    world.client.server_create = counting_create  # instrumentation around the real call
    result = world.apply(plan_of(*(server_create(f"p-{i}") for i in range(9))), parallelism=3)
    assert result.ok
    assert 2 <= active["max"] <= 3
    assert all(r.status is Status.DONE for r in result.results)
