"""Catalog names that work on both APIs, through the real CLI (in process) against a served emulator:
the v1-style names of the examples plan on v1 and v2; v2 ids and v2's OS spelling plan on v2; numeric
v1 ids plan on v1 and are refused on v2 with the manifest position and a name to use instead."""

from __future__ import annotations

import pytest

from vultr_state.emulator import DEFAULT_API_KEY

SERVER = """\
project: names
servers:
  - label: web-1
    region: {region}
    plan: {plan}
    os: {os}
"""


@pytest.fixture
def plan(cli, served, monkeypatch, tmp_path):
    monkeypatch.setenv("VULTR_API_URL", served.url)
    monkeypatch.setenv("VULTR_API_KEY", DEFAULT_API_KEY)
    monkeypatch.delenv("VULTR_API_VERSION", raising=False)

    def run(api: str, **names: str):
        path = tmp_path / "names.yaml"
        path.write_text(SERVER.format(**names))
        return cli("plan", str(path), "--api", api, "--rate-limit", "0")

    return run


V1_STYLE = {"region": "New Jersey", "plan": "1024 MB RAM,25 GB SSD,1.00 TB BW", "os": "Ubuntu 22.04 x64"}


@pytest.mark.parametrize("api", ["v1", "v2"])
def test_the_names_the_examples_use_plan_on_both_apis(plan, api):
    done = plan(api, **V1_STYLE)
    assert done.code == 0, done.err
    ids = {"v1": ("(1)", "(201)"), "v2": ("(ewr)", "(vc2-1c-1gb)")}[api]
    assert all(i in done.out for i in ids) and "(1743)" in done.out


def test_v2_ids_and_v2_spellings_plan_on_v2(plan):
    done = plan("v2", region="ewr", plan="vc2-1c-1gb", os="Ubuntu 22.04 LTS x64")
    assert done.code == 0, done.err
    assert 'os              = "Ubuntu 22.04 LTS x64" (1743)' in done.out


def test_numeric_v1_ids_plan_on_v1_and_are_refused_on_v2_with_the_position(plan):
    assert plan("v1", region="1", plan="201", os="1743").code == 0
    refused = plan("v2", region="1", plan="201", os="1743")
    assert refused.code == 1
    assert "names.yaml:4:13: server 'web-1': region '1' is a numeric v1 id" in refused.err
    assert "name the region by its city or code (e.g. 'Amsterdam' or 'ams')" in refused.err
    assert "names.yaml:5:11: server 'web-1': plan '201' is a numeric v1 id" in refused.err
    assert "'vc2-1c-1gb'" in refused.err
    assert "OS" not in refused.err.split("problems in the manifest:")[1]  # OS ids are the same on v2
