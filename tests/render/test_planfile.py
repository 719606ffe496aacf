"""Saved plans: round trip, never a secret, staleness detected with an exact message."""

from __future__ import annotations

import dataclasses
import json
from dataclasses import replace
from pathlib import Path

import pytest

from vultr_state import __version__
from vultr_state.errors import ConfigError, StalePlanError
from vultr_state.manifest import manifest_digest
from vultr_state.model.desired import Desired, DesiredServer, DesiredSshKey, DesiredStartupScript
from vultr_state.planfile import OPTION_NAMES, check_fresh, load_plan, salted, save_plan
from vultr_state.planner.options import PlanOptions
from vultr_state.render import plan_to_dict

PRUNE_ONLY = PlanOptions(allow_prune=True)


@pytest.fixture
def desired(secrets) -> Desired:
    script_body, key_body = secrets[0], secrets[1]
    return Desired(
        project="web",
        ssh_keys=(DesiredSshKey(name="deploy", public_key=key_body),),
        startup_scripts=(DesiredStartupScript(name="bootstrap", script=script_body),),
        servers=(DesiredServer(label="web-1", region="New Jersey", plan="201", os="387"),),
        sources=("/tmp/m/web.yaml",),
    )


@pytest.fixture
def saved_path(tmp_path, full_plan, desired):
    path = tmp_path / "plan.json"
    save_plan(full_plan, desired, path, options=PRUNE_ONLY, manifest_paths=("web.yaml",), api="v1")
    return path


def test_round_trip(saved_path, full_plan, desired):
    saved = load_plan(saved_path)
    assert saved.path == str(saved_path)
    assert saved.tool_version == __version__
    assert saved.project == "web"
    assert saved.salt and saved.manifest_digest == salted(saved.salt, manifest_digest(desired))  # never bare
    assert saved.manifest_paths == (str(Path("web.yaml").absolute()),)  # resolved from the plan file
    assert saved.options == tuple((name, name == "allow_prune") for name in OPTION_NAMES)
    assert saved.option("allow_prune") is True
    assert saved.plan_options() == PlanOptions(allow_prune=True)
    assert saved.fingerprints == tuple(
        (key, salted(saved.salt, digest))
        for key, digest in (("server:576965", "f1"), ("server:576966", "f2"))
    )
    assert list(saved.actions) == plan_to_dict(full_plan)["actions"]
    shown = plan_to_dict(full_plan)
    assert saved.document == shown
    assert "manifest_digest" not in shown  # no digest of content that holds secrets in the shown plan


def test_manifest_paths_default_to_the_sources(tmp_path, full_plan, desired):
    path = tmp_path / "p.json"
    save_plan(full_plan, desired, path, options=PRUNE_ONLY, api="v2")
    assert load_plan(path).manifest_paths == ("/tmp/m/web.yaml",)


def test_the_api_is_recorded_and_a_file_without_one_was_made_on_v1(tmp_path, full_plan, desired):
    path = tmp_path / "p.json"
    save_plan(full_plan, desired, path, options=PRUNE_ONLY, api="v2")
    assert json.loads(path.read_text())["api"] == "v2" and load_plan(path).api == "v2"
    older = json.loads(path.read_text())
    del older["api"]
    path.write_text(json.dumps(older))
    assert load_plan(path).api == "v1"


def test_never_holds_a_secret(saved_path, secrets):
    text = saved_path.read_text(encoding="utf-8")
    for secret in secrets:
        assert secret not in text
        assert json.dumps(secret)[1:-1] not in text


def test_fresh_plan_passes(saved_path, full_plan, desired, plan_factory):
    check_fresh(load_plan(saved_path), desired, plan_factory())


def test_manifest_change_is_stale_with_exact_message(saved_path, desired, full_plan):
    changed = replace(desired, servers=(replace(desired.servers[0], plan="202"),))
    saved = load_plan(saved_path)
    with pytest.raises(StalePlanError) as caught:
        check_fresh(saved, changed, full_plan)
    before, after = (
        salted(saved.salt, d)[:19] + "…" for d in (manifest_digest(desired), manifest_digest(changed))
    )
    assert str(caught.value) == (
        f"the saved plan {str(saved_path)!r} is stale; run `vultr-state plan --out` again and review it:\n"
        f"  - the manifest changed since the plan was made ({before} → {after})"
    )


def test_live_changes_are_named(saved_path, desired, full_plan):
    now = replace(full_plan, fingerprints=(("server:576965", "CHANGED"), ("ssh_key:5806ab4970aba", "f9")))
    with pytest.raises(StalePlanError) as caught:
        check_fresh(load_plan(saved_path), desired, now)
    assert str(caught.value).splitlines()[1:] == [
        "  - live objects changed: server:576965",
        "  - live objects disappeared: server:576966",
    ]  # ssh_key:5806ab4970aba is new to the plan, not to what the saved plan touched: not listed


def test_different_actions_are_named(saved_path, desired, full_plan):
    actions = list(full_plan.actions)
    actions[3] = replace(actions[3], changes=actions[3].changes[:1])  # server:api-1 differs
    del actions[0]  # ssh_key:deploy no longer planned
    actions.append(dataclasses.replace(actions[-1], key="ssh_key:new", name="new"))
    now = replace(full_plan, actions=tuple(actions))
    with pytest.raises(StalePlanError) as caught:
        check_fresh(load_plan(saved_path), desired, now)
    assert str(caught.value).splitlines()[1:] == [
        "  - planned actions differ: server:api-1",
        "  - actions now planned that the saved plan lacks: ssh_key:new",
        "  - saved actions no longer planned: ssh_key:deploy",
    ]


def test_reordered_actions_are_stale(saved_path, desired, full_plan):
    now = replace(full_plan, actions=tuple(reversed(full_plan.actions)))
    with pytest.raises(StalePlanError, match="the actions are now planned in a different order"):
        check_fresh(load_plan(saved_path), desired, now)


def test_project_mismatch(saved_path, desired, full_plan):
    with pytest.raises(
        StalePlanError, match="the manifest's project is now 'api', the plan was made for 'web'"
    ):
        check_fresh(load_plan(saved_path), replace(desired, project="api"), full_plan)


def test_long_listings_are_truncated(saved_path, desired, full_plan):
    many = tuple((f"server:{n}", "x") for n in range(100, 115))
    saved = replace(load_plan(saved_path), fingerprints=(*full_plan.fingerprints, *many))
    with pytest.raises(StalePlanError) as caught:
        check_fresh(saved, desired, full_plan)  # 15 touched objects disappeared
    assert "server:109 and 5 more" in str(caught.value)


@pytest.mark.parametrize(
    ("content", "message"),
    [
        ("not json", "is not a vultr-state plan file (not JSON"),
        ('{"kind": "something-else"}', "is not a vultr-state plan file"),
        ('{"kind": "vultr-state-plan", "format_version": 99}', "has format version 99"),
        ('{"kind": "vultr-state-plan", "format_version": 1}', "is damaged: missing or malformed"),
    ],
)
def test_bad_files_are_config_errors(tmp_path, content, message):
    path = tmp_path / "bad.json"
    path.write_text(content, encoding="utf-8")
    with pytest.raises(ConfigError, match=message.replace("(", r"\(")):
        load_plan(path)


def test_damaged_field_types(saved_path):
    raw = json.loads(saved_path.read_text(encoding="utf-8"))
    raw["options"]["force"] = "yes"
    saved_path.write_text(json.dumps(raw), encoding="utf-8")
    with pytest.raises(ConfigError, match="damaged"):
        load_plan(saved_path)


def test_missing_file_and_unwritable_target(tmp_path, full_plan, desired):
    with pytest.raises(ConfigError, match="cannot read plan file"):
        load_plan(tmp_path / "nope.json")
    with pytest.raises(ConfigError, match="cannot write plan file"):
        save_plan(full_plan, desired, tmp_path / "no-dir" / "plan.json", options=PRUNE_ONLY, api="v1")
    assert list(tmp_path.iterdir()) == []
