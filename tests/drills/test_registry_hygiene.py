"""Registry entries of objects that left the account behind vultr-state's back (destroyed in the console,
or destroyed by an apply that was killed or lost its result write before recording it).

The planner warns "the registry lists server N, which is no longer in the account; the next apply forgets
it", and the drills' audit counts such entries as dangling. Both drills met them: the fault drill when a
result write failed after a prune (with harsher faults than the benchmark's), the crash drill when the kill
fell between a destroy and the result write (2 of 50 kills). Every plan lists such entries in
``Plan.forget`` and the next apply's result write drops them.
"""

from __future__ import annotations

from dataclasses import replace

from benchmarks.drills.audit import audit
from benchmarks.drills.scenario import Key, build_scenario, public_key
from benchmarks.drills.world import make_world
from vultr_state.planner import PlanOptions


def test_the_planner_warns_about_an_owned_object_that_left_the_account(tmp_path):
    world = make_world(tmp_path)
    scenario = build_scenario(4, servers=2, project="hygiene")
    assert world.converge(scenario, PlanOptions(), bound=0).converged
    gone = world.emulator.servers()[0]
    world.client.server_destroy(gone["SUBID"])
    warnings = world.plan(scenario, PlanOptions()).warnings
    assert any(f"server {gone['SUBID']}" in w and "the next apply forgets it" in w for w in warnings)


def test_the_next_apply_forgets_an_owned_object_that_left_the_account(tmp_path):
    world = make_world(tmp_path)
    scenario = build_scenario(4, servers=2, project="hygiene")
    assert world.converge(scenario, PlanOptions(), bound=0).converged
    gone = next(s for s in world.emulator.servers() if s["label"] == "web-1")
    world.client.server_destroy(gone["SUBID"])
    # The next apply (it has work to do: a new key, and web-1 to create again) must drop the stale entry.
    grown = replace(scenario, keys=(*scenario.keys, Key("extra", public_key(4, 9))))
    assert world.converge(grown, PlanOptions(), bound=0).converged
    assert audit(world.emulator, grown).dangling == ()
