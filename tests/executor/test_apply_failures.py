"""Failure handling on both APIs: a refused call midway, lost create answers, wait timeouts, interrupts -
each reported as done / failed / not started, with the registry still written and nothing created twice."""

from __future__ import annotations

import pytest

from executor.support import (
    Recorder,
    Statuses,
    drop_creates,
    key_create,
    make_world,
    plan_of,
    rdns_create,
    server_create,
)
from vultr_state.errors import OUTCOME_UNKNOWN, ApplyError
from vultr_state.executor import ApplyInterrupted, Status

GONE_IDS = {"v1": "99999999", "v2": "cb676a46-66fd-4dfb-b839-443f2e6c0b60"}


def _bad(api, label: str = "bad-1", **fields):
    """A server the API refuses: its plan is offered in New Jersey only, and it asks for Chicago."""
    return server_create(label, api=api, region_id=api.chicago, plan_id=api.plan_only_in_nj, **fields)


def test_refused_call_midway_reports_done_failed_and_not_started(api):
    world = make_world(api=api)
    recorder = Recorder()
    plan = plan_of(
        key_create("deploy"),
        server_create("ok-1", api=api, ssh_keys=("deploy",), depends_on=("ssh_key:deploy",)),
        _bad(api, depends_on=("server:ok-1",)),
        rdns_create("bad-1", ipv4="bad-1.example.com"),
        server_create("later-1", api=api, depends_on=("server:bad-1",)),
    )
    with pytest.raises(ApplyError, match="1 action\\(s\\) failed, 2 not started") as caught:
        world.apply(plan, parallelism=1, progress=recorder)

    result = caught.value.result
    assert [r.action.key for r in result.done] == ["ssh_key:deploy", "server:ok-1"]
    (failed,) = result.failed
    assert failed.action.key == "server:bad-1"
    assert api.plan_not_in_region in failed.message
    assert [r.action.key for r in result.not_started] == ["reverse_dns:bad-1", "server:later-1"]
    assert world.labels() == ["ok-1"]
    # The registry records what was done, no pending create is left and the lock is released.
    registry = world.registry()
    assert [i[1] for i in registry["owned"]["server"]] == ["ok-1"]
    assert registry["pending"] == [] and "lock" not in registry
    assert recorder.summaries[0].summary().startswith("Apply failed: 2 done, 1 failed, 2 not started")

    # A rerun of what was left (with the mistake fixed) converges.
    fixed = plan_of(
        server_create("bad-1", api=api),
        rdns_create("bad-1", ipv4="bad-1.example.com"),
        server_create("later-1", api=api),
    )
    assert world.apply(fixed).ok
    assert world.labels() == ["bad-1", "later-1", "ok-1"]


def test_failure_stops_new_work_but_lets_in_flight_servers_finish(api):
    world = make_world(provision_seconds=20.0, api=api)
    plan = plan_of(server_create("slow-1", api=api), _bad(api))
    with pytest.raises(ApplyError) as caught:
        world.apply(plan, parallelism=2)
    result = caught.value.result
    assert [r.action.key for r in result.done] == ["server:slow-1"]  # waited for, not abandoned
    assert [s.status for s in world.servers()] == ["active"]


def test_lost_create_answer_is_adopted_without_a_duplicate(api):
    world = make_world(api=api, wrap=drop_creates(api, "server", commit=True))
    plan = plan_of(server_create("web-1", api=api), server_create("web-2", api=api))
    result = world.apply(plan, parallelism=1)

    assert result.ok
    assert world.labels() == ["web-1", "web-2"]  # exactly one of each
    assert world.app.dropped == 1 and world.calls_to("create server") == 2  # the lost one NOT re-sent
    web1 = next(r for r in result.results if r.action.name == "web-1")
    assert web1.object_id == next(s.id for s in world.servers() if s.label == "web-1")
    assert {i[1] for i in world.registry()["owned"]["server"]} == {"web-1", "web-2"}


def test_create_dropped_before_processing_is_not_sent_again(api):
    # The connection dropped after the request left: the client cannot prove it never arrived.
    world = make_world(api=api, wrap=drop_creates(api, "ssh_key", commit=False))
    with pytest.raises(ApplyError) as caught:
        world.apply(plan_of(key_create("deploy")))
    (failed,) = caught.value.result.failed
    assert OUTCOME_UNKNOWN in failed.message and "the create was not sent again" in failed.message
    assert world.app.dropped == 1 and world.calls_to("create ssh_key") == 1
    assert world.ssh_keys() == []
    assert [p[:2] for p in world.registry()["pending"]] == [["ssh_key", "deploy"]]


def test_a_lost_create_with_nothing_visible_keeps_the_pending_entry(api):
    world = make_world(api=api, wrap=drop_creates(api, "server", commit=False, times=10))
    with pytest.raises(ApplyError) as caught:
        world.apply(plan_of(server_create("web-1", api=api)))
    (failed,) = caught.value.result.failed
    assert OUTCOME_UNKNOWN in failed.message
    assert world.app.dropped == 1 and world.calls_to("create server") == 1  # sent once, never again
    registry = world.registry()
    assert [p[:2] for p in registry["pending"]] == [["server", "web-1"]]  # the next plan looks for it
    assert "lock" not in registry


def test_wait_timeout_names_what_it_waited_for_and_keeps_the_server_owned(api):
    world = make_world(provision_seconds=500.0, api=api)
    with pytest.raises(ApplyError) as caught:
        world.apply(
            plan_of(server_create("web-1", api=api), rdns_create("web-1", ipv4="w.example.com")),
            wait_timeout=30,
        )
    result = caught.value.result
    (failed,) = result.failed
    assert failed.action.key == "server:web-1"
    assert "timed out after 30s waiting for server web-1" in failed.message
    assert "to be active with a main IP" in failed.message and "status pending" in failed.message
    assert [r.action.key for r in result.not_started] == ["reverse_dns:web-1"]
    # The server exists: it is recorded as owned, so the next plan does not create another one.
    assert [i[1] for i in world.registry()["owned"]["server"]] == ["web-1"]


class InterruptAt(Recorder):
    """A progress sink that raises KeyboardInterrupt (as Ctrl-C would) when ``key`` starts."""

    def __init__(self, key: str):
        super().__init__()
        self.key = key

    def started(self, action) -> None:
        super().started(action)
        if action.key == self.key:
            raise KeyboardInterrupt


def test_ctrl_c_stops_new_work_writes_the_registry_and_raises_interrupted(api):
    world = make_world(provision_seconds=0.0, api=api)
    recorder = InterruptAt("server:b")
    plan = plan_of(
        server_create("a", api=api),
        server_create("b", api=api, depends_on=("server:a",)),
        server_create("c", api=api, depends_on=("server:b",)),
    )
    with pytest.raises(ApplyInterrupted) as caught:
        world.apply(plan, parallelism=1, progress=recorder)
    result = caught.value.result
    assert result.interrupted and not result.ok
    assert [r.action.key for r in result.done] == ["server:a"]
    assert {r.action.key for r in result.not_started} == {"server:b", "server:c"}
    assert any(kind == "note" and "Interrupted" in text for kind, text in recorder.events)
    registry = world.registry()
    assert [i[1] for i in registry["owned"]["server"]] == ["a"] and "lock" not in registry
    assert result.summary().startswith("Apply interrupted: 1 done, 0 failed, 2 not started")


def test_destroy_of_an_already_gone_server_counts_as_done(api):
    from vultr_state.model.plan import Action, ActionType, Kind

    world = make_world(api=api)
    gone = Action("server:old", Kind.SERVER, "old", ActionType.DESTROY, live_id=GONE_IDS[api.name])
    result = world.apply(plan_of(gone))
    assert result.ok and result.results[0].status is Status.DONE


def test_throttled_answers_pause_and_the_apply_finishes_without_a_duplicate(api):
    """The emulator allows 3 requests a second (a burst of 3) and the client does not pace itself: v1
    answers 503, v2 429. Each throttled call did nothing and is sent again after a back-off; the apply
    completes with exactly one of everything."""
    if api.name == "v1":
        limits = {"rate_limit": 3.0, "rate_burst": 3}
    else:
        limits = {"rate_limit": 3.0, "v2_rate_limit": 3.0, "v2_rate_burst": 3}
    world = make_world(api=api, provision_seconds=5.0, wrap=Statuses, **limits)
    plan = plan_of(
        key_create("deploy"),
        *(server_create(f"web-{i}", api=api, ssh_keys=("deploy",), depends_on=("ssh_key:deploy",))
          for i in range(4)),
        *(rdns_create(f"web-{i}", ipv4=f"web-{i}.example.com") for i in range(4)),
    )  # fmt: skip
    result = world.apply(plan, parallelism=4)
    assert result.ok, result.summary()
    throttled = 503 if api.name == "v1" else 429
    assert world.app.counts[throttled] > 0, world.app.counts  # the limit really bit
    assert world.calls == sum(world.app.counts.values())  # every attempt, retries included, was answered
    assert world.labels() == ["web-0", "web-1", "web-2", "web-3"]
    assert [name for _id, name in world.ssh_keys()] == ["deploy"]
    for server in world.servers():
        assert world.reverse_dns(server.id)[0] == {f"{server.label}.example.com"}
