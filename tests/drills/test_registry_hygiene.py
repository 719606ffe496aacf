"""Registry entries of objects that left the account behind vultr-state's back (destroyed in the console,
or destroyed by an apply that was killed or lost its result write before recording it).

The planner warns "the registry lists server N, which is no longer in the account; the next apply forgets
it", and the drills' audit counts such entries as dangling. Both drills met them: the fault drill when a
result write failed after a prune (with harsher faults than the benchmark's), the crash drill when the kill
fell between a destroy and the result write (2 of 50 kills). Every plan lists such entries in
``Plan.forget`` and the next apply's result write drops them.

Also: a registry main script whose create answer was lost and which showed only after another apply
wrote the registry anew is read past (it owns nothing), so the account's registry stays readable.
"""

from __future__ import annotations

from dataclasses import replace

import pytest

from benchmarks.drills.audit import audit
from benchmarks.drills.scenario import Key, build_scenario, public_key
from benchmarks.drills.world import make_world
from vultr_state.errors import PlanError
from vultr_state.model.registry import OwnedObject, PendingCreate, Registry, RegistryLock
from vultr_state.planner import PlanOptions
from vultr_state.registry import decode_registry, encode_registry, registry_script_name


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


def _main_script(script_id: str, registry: Registry) -> tuple[str, str, str]:
    return (script_id, registry_script_name(registry.project), encode_registry(registry)[0])


def test_a_lost_intent_that_shows_beside_the_registry_is_read_past():
    # An apply's registry create got no answer and showed only later; another apply wrote it anew.
    lost = Registry(
        "p", pending=(PendingCreate("server", "web-1", 100.0),), lock=RegistryLock("apply-a", 700.0)
    )
    real = Registry("p", owned=(OwnedObject("server", "7", "web-1"),))
    for order in ((lost, real), (real, lost)):
        scripts = [_main_script(str(i + 1), reg) for i, reg in enumerate(order)]
        decoded = decode_registry("p", scripts)
        assert decoded.owned == real.owned and decoded.pending == () and decoded.lock is None
        assert len(decoded.script_ids) == 2  # the leftover is kept for the next write to delete


def test_the_latest_of_two_intents_is_read_and_two_owning_bodies_stay_ambiguous():
    early = Registry("p", lock=RegistryLock("apply-a", 700.0))
    late = Registry("p", lock=RegistryLock("apply-b", 900.0))
    assert decode_registry("p", [_main_script("1", late), _main_script("2", early)]).lock == late.lock
    assert decode_registry("p", [_main_script("1", early), _main_script("2", late)]).lock == late.lock
    one = Registry("p", owned=(OwnedObject("server", "7", "web-1"),))
    two = Registry("p", owned=(OwnedObject("server", "8", "web-1"),))
    with pytest.raises(PlanError, match="is ambiguous"):
        decode_registry("p", [_main_script("1", one), _main_script("2", two)])
