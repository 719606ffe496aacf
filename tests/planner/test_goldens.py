"""Golden cases: manifest + model-level live state (+ permission flags) → the expected plan.

Each directory under ``cases/`` holds ``manifest.yaml`` (and any files it reads), ``live.json`` (the
API-neutral ``Live`` the planner sees, as ``live_json`` writes it; the shared ``catalog.json`` unless it
brings its own), an optional ``options.json`` (``PlanOptions`` fields, plus ``env`` for ``${VAR}`` and
``now`` for the clock reading) and ``plan.json``: the canonical dump of the plan, or the ``PlanError``
text. No API is involved: the v1 wire bodies each case was first recorded from live in
``tests/providers/v1/live/recordings/``, where the v1 reader is checked to still read them into exactly
these states.

Regenerate after an intended change with ``VULTR_STATE_UPDATE_GOLDENS=1 pytest tests/planner`` and
review every diff by eye.
"""

from __future__ import annotations

import json
import os
from pathlib import Path

import pytest

from planner.dump import canonical_json, plan_view
from planner.live_json import load_live
from vultr_state.errors import PlanError
from vultr_state.manifest import load_manifest
from vultr_state.planner import PlanOptions, plan

CASES = Path(__file__).with_name("cases")
UPDATE = os.environ.get("VULTR_STATE_UPDATE_GOLDENS") == "1"


def run_case(case: Path, monkeypatch: pytest.MonkeyPatch) -> dict:
    """Plan one case and return its canonical view."""
    options_file = case / "options.json"
    raw = json.loads(options_file.read_text()) if options_file.exists() else {}
    env = raw.pop("env", {})
    now = raw.pop("now", None)  # the clock reading that ages pending creates
    monkeypatch.chdir(case)
    desired = load_manifest(["manifest.yaml"], env=env)
    live = load_live(case / "live.json")
    try:
        result = plan(desired, live, PlanOptions(**raw), now=now)
    except PlanError as exc:
        return {"error": str(exc)}
    return {"plan": plan_view(result)}


@pytest.mark.parametrize("case", sorted(p.name for p in CASES.iterdir() if p.is_dir()))
def test_golden(case: str, monkeypatch: pytest.MonkeyPatch):
    got = canonical_json(run_case(CASES / case, monkeypatch))
    expected_file = CASES / case / "plan.json"
    if UPDATE:
        expected_file.write_text(got)
    assert expected_file.exists(), f"no plan.json for {case}: run with VULTR_STATE_UPDATE_GOLDENS=1"
    assert got == expected_file.read_text()


def test_there_are_enough_cases():
    assert len([p for p in CASES.iterdir() if p.is_dir()]) >= 40
