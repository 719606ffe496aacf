"""Plan files hold no bare hash of a secret (issue 12): the manifest digest and the live fingerprints
(digests of content that includes script bodies and user data) are stored keyed with a random
per-plan salt, on both APIs; the staleness check still works through the salt."""

from __future__ import annotations

from dataclasses import replace

import pytest

from benchmarks.drills.scenario import build_scenario, script_body
from benchmarks.drills.world import make_world
from vultr_state.errors import StalePlanError
from vultr_state.manifest import load_manifest, manifest_digest
from vultr_state.planfile import check_fresh, load_plan, save_plan
from vultr_state.planner import PlanOptions


@pytest.mark.parametrize("api", ["v1", "v2"])
def test_a_plan_file_holds_only_salted_digests_and_still_detects_staleness(api, tmp_path):
    world = make_world(tmp_path, api=api)
    scenario = build_scenario(5, servers=1, project="audit")
    assert world.converge(scenario, PlanOptions(), bound=0).converged
    changed = replace(
        scenario, scripts=(replace(scenario.scripts[0], body=script_body(5, 0, 9)), *scenario.scripts[1:])
    )
    current = world.plan(changed, PlanOptions())
    desired = load_manifest([str(world.manifest(changed))], env={})
    files = []
    for name in ("a.plan", "b.plan"):
        save_plan(current, desired, tmp_path / name, options=PlanOptions(), api=api)
        files.append((tmp_path / name).read_text())

    bare = [manifest_digest(desired), *(digest for _key, digest in current.fingerprints)]
    assert len(bare) >= 3  # the manifest, the changed script and the registry
    for text in files:
        assert not [d for d in bare if d in text]  # no digest a guess could be tested against
        assert scenario.scripts[0].body not in text and changed.scripts[0].body not in text
    assert load_plan(tmp_path / "a.plan").salt != load_plan(tmp_path / "b.plan").salt

    saved = load_plan(tmp_path / "a.plan")
    check_fresh(saved, desired, world.plan(changed, PlanOptions()))  # same inputs: fresh
    edited = replace(
        changed, scripts=(replace(changed.scripts[0], body=script_body(5, 0, 10)), *changed.scripts[1:])
    )
    with pytest.raises(StalePlanError, match="the manifest changed since the plan was made"):
        check_fresh(
            saved, load_manifest([str(world.manifest(edited))], env={}), world.plan(edited, PlanOptions())
        )
