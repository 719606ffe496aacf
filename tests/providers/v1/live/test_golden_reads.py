"""The v1 reader on the recorded wire bodies the planner goldens came from.

Each ``recordings/<case>.json`` holds v1 list bodies (quirks included) keyed by endpoint path, merged
over ``recordings/catalog.json``; ``V1Provider.read`` with the scope of that case's manifest
(``tests/planner/cases/<case>/manifest.yaml``) must give exactly the model-level ``live.json`` the
planner golden plans from, in exactly the calls ``recordings/reads.json`` lists. So the planner's
goldens stay API-neutral while every recorded v1 quirk is still read the way it was.

After an intended change to the reader or the model, ``VULTR_STATE_UPDATE_GOLDENS=1 pytest -n 0
tests/providers/v1/live tests/planner`` rewrites ``reads.json`` and the cases' ``live.json`` from the
recordings, then the plans; review every diff by eye.
"""

from __future__ import annotations

import json
import os
from dataclasses import replace
from pathlib import Path

import pytest
from planner.live_json import dump_live, load_live

from providers.v1.live.recorded import RecordedAccount, load_recording
from vultr_state.manifest import load_manifest
from vultr_state.providers.base import read_live
from vultr_state.providers.v1 import V1Provider

RECORDINGS = Path(__file__).with_name("recordings")
READS_FILE = RECORDINGS / "reads.json"
CASES = Path(__file__).resolve().parents[3] / "planner" / "cases"
UPDATE = os.environ.get("VULTR_STATE_UPDATE_GOLDENS") == "1"
NAMES = sorted(p.name for p in CASES.iterdir() if p.is_dir())


def _read(case: str, monkeypatch: pytest.MonkeyPatch) -> tuple[object, list[str]]:
    options_file = CASES / case / "options.json"
    env = json.loads(options_file.read_text()).get("env", {}) if options_file.exists() else {}
    monkeypatch.chdir(CASES / case)
    desired = load_manifest(["manifest.yaml"], env=env)
    recording = RECORDINGS / f"{case}.json"
    account = RecordedAccount(load_recording(recording if recording.exists() else None))
    return read_live(V1Provider(account), desired), account.paths


@pytest.mark.parametrize("case", NAMES)
def test_recorded_v1_bodies_read_into_the_goldens_live_state(case: str, monkeypatch: pytest.MonkeyPatch):
    live, paths = _read(case, monkeypatch)
    assert live.registry.api == "v1"  # the reader's API, recorded on the next write
    live = replace(  # the goldens are API-neutral
        live,
        registry=replace(live.registry, api=""),
        other_registries=tuple(replace(r, api="") for r in live.other_registries),
    )
    reads = json.loads(READS_FILE.read_text())
    if UPDATE:
        (CASES / case / "live.json").write_text(dump_live(live), encoding="utf-8")
        reads[case] = paths
        READS_FILE.write_text(json.dumps(reads, indent=2, sort_keys=True) + "\n")
    assert live == load_live(CASES / case / "live.json")
    assert paths == reads[case]


def test_every_case_has_its_recording_or_is_an_empty_account():
    recorded = {p.stem for p in RECORDINGS.glob("*.json")} - {"catalog", "reads"}
    assert recorded <= set(NAMES)
    assert set(json.loads(READS_FILE.read_text())) == set(NAMES)
