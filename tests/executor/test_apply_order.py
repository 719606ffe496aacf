"""The executor against the in-process emulator, on both APIs: everything gets created, in dependency
order, with the registry written twice and the waiting done by one shared poller."""

from __future__ import annotations

import pytest

from executor.support import (
    V2,
    Api,
    Recorder,
    Statuses,
    key_create,
    make_provider,
    make_world,
    plan_of,
    rdns_create,
    script_create,
    server_create,
    snapshot_create,
)
from vultr_state.emulator import Emulator, EmulatorConfig
from vultr_state.errors import UnsafePlanError
from vultr_state.executor import Status, apply
from vultr_state.model.plan import Refusal


def full(api: Api) -> tuple:
    return (
        key_create("deploy"),
        script_create("bootstrap"),
        server_create(
            "web-1",
            api=api,
            ssh_keys=("deploy",),
            startup_script="bootstrap",
            ipv6=True,
            depends_on=("ssh_key:deploy", "startup_script:bootstrap"),
        ),
        server_create("web-2", api=api, ssh_keys=("deploy",), depends_on=("ssh_key:deploy",)),
        rdns_create("web-1", ipv4="web-1.example.com", ipv6="web-1.v6.example.com"),
        rdns_create("web-2", ipv4="web-2.example.com"),
        snapshot_create("golden", "web-1"),
        server_create("clone-1", api=api, os_id=api.snapshot_os, snapshot="golden"),
    )


def test_full_plan_creates_everything_and_records_ownership(api):
    world = make_world(api=api)
    recorder = Recorder()
    actions = full(api)
    result = world.apply(plan_of(*actions), progress=recorder)

    assert result.ok and len(result.done) == len(actions)
    servers = {s.label: s for s in world.servers()}
    assert sorted(servers) == ["clone-1", "web-1", "web-2"]
    assert all(s.status == "active" for s in servers.values())
    assert [name for _id, name in world.ssh_keys()] == ["deploy"]
    assert servers["web-1"].v6_main_ip and not servers["web-2"].v6_main_ip
    # Reverse DNS really set, for both families.
    assert world.reverse_dns(servers["web-1"].id) == ({"web-1.example.com"}, {"web-1.v6.example.com"})
    # The clone booted from the snapshot made earlier in the same apply.
    assert world.snapshots() == [("golden", "complete")]
    if api.name == "v1":
        assert servers["clone-1"].os == "Snapshot"
    else:  # v2 shows the snapshot's OS; the emulator's record keeps the snapshot it booted from
        from vultr_state.emulator.v2.models import InstanceRecord, SnapshotRecord, load, load_all

        (snapshot,) = load_all(world.emulator.store, SnapshotRecord)
        clone = load(world.emulator.store, InstanceRecord, servers["clone-1"].id)
        assert clone is not None and clone.snapshot_id == snapshot.id
        assert servers["clone-1"].os == servers["web-1"].os

    registry = world.registry()
    owned = registry["owned"]
    assert {i[1] for i in owned["server"]} == {"web-1", "web-2", "clone-1"}
    assert {i[0] for i in owned["server"]} == {s.id for s in servers.values()}
    assert [i[1] for i in owned["ssh_key"]] == ["deploy"]
    assert [i[1] for i in owned["startup_script"]] == ["bootstrap"]
    assert [i[1] for i in owned["snapshot"]] == ["golden"]
    assert registry["pending"] == [] and "lock" not in registry
    assert recorder.summaries == [result]


def test_dependency_order_is_respected(api):
    world = make_world(api=api)
    recorder = Recorder()
    world.apply(plan_of(*full(api)), progress=recorder)

    finish, start = (lambda k: recorder.index("finish", k)), (lambda k: recorder.index("start", k))
    assert finish("ssh_key:deploy") < start("server:web-1")
    assert finish("startup_script:bootstrap") < start("server:web-1")
    assert finish("server:web-1") < start("reverse_dns:web-1")
    assert finish("server:web-1") < start("snapshot:golden")
    assert finish("snapshot:golden") < start("server:clone-1")  # implied by the spec's snapshot name


def test_registry_is_written_exactly_twice_and_servers_polled_once_per_round(api):
    world = make_world(provision_seconds=12.0, api=api)
    actions = [server_create(f"app-{i}", api=api) for i in range(8)]
    result = world.apply(plan_of(*actions), poll_interval=(2.0, 5.0))

    assert result.ok
    # Intent (create: no registry yet) + result (update).
    assert world.calls_to("create startup_script") == 1 and world.calls_to("update startup_script") == 1
    assert world.calls_to("create server") == 8
    # Eight servers pending together for 12 s (v2: then locked and booting), rounds at least 2 s apart:
    # one list per round for all of them, so at most one call per 2 s of (manual-clock) waiting.
    assert result.elapsed >= 12.0
    assert 2 <= world.calls_to("list servers") <= result.elapsed / 2.0 + 1


def test_plan_with_refusals_is_refused_before_any_call(api):
    world = make_world(api=api)
    plan = plan_of(server_create("web-1", api=api))
    refused = type(plan)(project="web", actions=plan.actions, refusals=(Refusal("server:x", "protected"),))
    with pytest.raises(UnsafePlanError, match="protected"):
        world.apply(refused)
    assert world.calls == 0


def test_empty_plan_makes_no_call(api):
    world = make_world(api=api)
    result = world.apply(plan_of())
    assert result.ok and result.results == () and world.calls == 0


def test_parallelism_bounds_concurrent_creates(api):
    world = make_world(provision_seconds=0.0, api=api)
    active = {"now": 0, "max": 0}
    operations = world.provider.operations
    original = operations.create_server

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

    operations.create_server = counting_create  # instrumentation around the real call
    result = world.apply(plan_of(*(server_create(f"p-{i}", api=api) for i in range(9))), parallelism=3)
    assert result.ok
    assert 2 <= active["max"] <= 3
    assert all(r.status is Status.DONE for r in result.results)


@pytest.mark.parametrize("paced", [True, False])
def test_v2_apply_paced_at_30_requests_a_second_meets_no_429(paced):
    """v2's budget is 30 requests/s (a burst of 30). An apply of 36 servers, 10 in parallel, with the
    client pacing itself at that rate is never throttled; unpaced, the same apply meets 429s (and still
    finishes: they did nothing and are sent again). Real time, since both limiters must see it pass:
    about 1.5 s at 30/s, provisioning instant and the waiter polling every 0.1 s."""
    limits = EmulatorConfig(rate_limit=30.0, v2_rate_limit=30.0, v2_rate_burst=30, provision_seconds=0)
    emulator = Emulator(limits)
    app = Statuses(emulator)
    provider = make_provider("v2", app, rate_limit=30.0 if paced else 0.0, real_time=True)
    actions = [server_create(f"node-{i}", api=V2) for i in range(36)]
    try:
        result = apply(plan_of(*actions), provider, parallelism=10, poll_interval=(0.1, 0.2), lock_settle=0.0)
    finally:
        provider.close()
    assert result.ok, result.summary()
    assert provider.calls == sum(app.counts.values())  # every attempt was answered
    assert sorted(s["label"] for s in emulator.v2.instances()) == sorted(f"node-{i}" for i in range(36))
    if paced:
        assert app.counts[429] == 0
    else:
        assert app.counts[429] > 0
