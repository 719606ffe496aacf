"""`vultr-state plan` against a served emulator: output formats, exit codes, saved plans, refusals,
and export → plan (adoptions only) → apply → plan (no changes)."""

from __future__ import annotations

import json
import re
from importlib import resources

import pytest
from jsonschema import Draft202012Validator

from cli.accounts import DEPLOY_KEY, SCRIPT_BODY, make_server
from vultr_state.errors import StalePlanError
from vultr_state.executor import apply
from vultr_state.manifest import load_manifest
from vultr_state.planfile import check_fresh, load_plan
from vultr_state.planner import PlanOptions, plan
from vultr_state.providers.base import read_live
from vultr_state.providers.v1 import V1Provider

MANIFEST = f"""\
project: web
defaults:
  region: New Jersey
  plan: 1024 MB RAM,25 GB SSD,1.00 TB BW
  os: Ubuntu 22.04 x64
ssh_keys:
  - name: deploy
    public_key: {DEPLOY_KEY}
startup_scripts:
  - name: bootstrap
    script: |
{"".join("      " + line + chr(10) for line in SCRIPT_BODY.splitlines())}\
servers:
  - label: web-1
    ssh_keys: [deploy]
    startup_script: bootstrap
"""
SUMMARY = re.compile(r"^Plan: (\d+) to create, (\d+) to update, .*\.$", re.M)
FAST = ("--rate-limit", "0")


@pytest.fixture
def manifest(tmp_path):
    path = tmp_path / "web.yaml"
    path.write_text(MANIFEST)
    return path


def converge(client, path) -> None:
    """Apply the manifest at ``path`` with the executor (no waiting: provisioning is instant here)."""
    desired = load_manifest([str(path)])
    result = plan(desired, read_live(V1Provider(client), desired), PlanOptions())
    apply(result, V1Provider(client), sleep=lambda _s: None, poll_interval=(0.0, 0.0), lock_settle=0.0)


def test_plan_on_an_empty_account(cli, api_env, manifest):
    result = cli("plan", str(manifest), *FAST)
    assert result.code == 0, result.err
    assert result.out.startswith('vultr-state plan for project "web" (0 owned objects)\n')
    assert "  + server.web-1 (create)\n" in result.out
    assert SUMMARY.search(result.out).groups() == ("3", "0")
    assert "TOP-SECRET" not in result.out and "AAAAC3Nza" not in result.out
    assert "\x1b[" not in result.out  # not a terminal: no colour


def test_detailed_exitcode_2_then_0_after_apply(cli, api_env, manifest, client):
    assert cli("plan", str(manifest), "--detailed-exitcode", *FAST).code == 2
    converge(client, manifest)
    result = cli("plan", str(manifest), "--detailed-exitcode", *FAST)
    assert result.code == 0, result.out + result.err
    assert result.out.endswith("No changes. The account matches the manifest.\n")
    assert cli("plan", str(manifest), *FAST).code == 0


def test_errors_exit_1_and_usage_errors_exit_64(cli, api_env, manifest, tmp_path):
    broken = tmp_path / "broken.yaml"
    broken.write_text("project: web\nservers:\n  - label: [unclosed\n")
    result = cli("plan", str(broken), "--detailed-exitcode", *FAST)
    assert result.code == 1
    assert result.err.startswith("Error: manifest has 1 problem:\n")
    assert "Traceback" not in result.err
    assert cli("plan", "--detailed-exitcode").code == 64  # no PATH
    assert cli("plan", str(manifest), "--no-such-flag", "--detailed-exitcode").code == 64
    assert cli("plan", str(manifest), "--format", "yaml", "--detailed-exitcode").code == 64
    both = cli("plan", str(manifest), "--json", "--format", "markdown", "--detailed-exitcode")
    assert both.code == 64 and "--json contradicts --format markdown" in both.err


def test_unknown_catalog_name_is_an_error(cli, api_env, manifest):
    manifest.write_text(MANIFEST.replace("New Jersey", "Atlantis"))
    result = cli("plan", str(manifest), "--detailed-exitcode", *FAST)
    assert result.code == 1
    assert "Atlantis" in result.err


def test_json_output_validates_against_the_schema(cli, api_env, manifest):
    result = cli("plan", str(manifest), "--json", *FAST)
    document = json.loads(result.out)
    schema = json.loads(resources.files("vultr_state").joinpath("schemas/plan.schema.json").read_text())
    assert list(Draft202012Validator(schema).iter_errors(document)) == []
    assert document["summary"]["create"] == 3
    assert result.err == ""
    same = cli("plan", str(manifest), "--format", "json", *FAST).out
    assert same == result.out


def test_markdown_output(cli, api_env, manifest):
    out = cli("plan", str(manifest), "--format", "markdown", *FAST).out
    assert out.startswith("### vultr-state plan: project `web`\n\n**Plan: 3 to create")
    assert out.count("<details>") == 3


def test_out_saves_a_plan_that_goes_stale_when_the_account_changes(cli, api_env, manifest, client, tmp_path):
    converge(client, manifest)
    manifest.write_text(MANIFEST.replace("label: web-1\n", "label: web-1\n    power: stopped\n"))
    saved_path = tmp_path / "plan.json"
    result = cli("plan", str(manifest), "--out", str(saved_path), *FAST)
    assert result.code == 0, result.err
    assert result.err == f"Saved the plan to {saved_path}; apply it with `vultr-state apply {saved_path}`.\n"
    saved = load_plan(saved_path)
    assert saved.manifest_paths == (str(manifest),)
    assert [a["type"] for a in saved.actions] == ["update"]
    assert "TOP-SECRET" not in saved_path.read_text()
    desired = load_manifest([str(manifest)])
    check_fresh(saved, desired, plan(desired, read_live(V1Provider(client), desired), saved.plan_options()))
    (server_id,) = client.server_list()
    client.server_label_set(server_id, "renamed-out-of-band")
    with pytest.raises(StalePlanError) as caught:
        check_fresh(
            saved, desired, plan(desired, read_live(V1Provider(client), desired), saved.plan_options())
        )
    assert f"  - live objects changed: server:{server_id}" in str(caught.value).splitlines()


def test_refusal_needing_a_flag_counts_as_changes(cli, api_env, manifest, client):
    converge(client, manifest)
    manifest.write_text(
        MANIFEST.replace(
            "    startup_script: bootstrap\n", "    startup_script: bootstrap\n    state: absent\n"
        )
    )
    refused = cli("plan", str(manifest), "--detailed-exitcode", *FAST)
    assert refused.code == 2, refused.err
    assert "REFUSED" in refused.out and "needs --allow-destroy\n" in refused.out
    assert "rerun with" not in refused.out  # the refusal names its flag once
    assert refused.err == "Note: apply will refuse this plan unless given --allow-destroy.\n"
    allowed = cli("plan", str(manifest), "--allow-destroy", "--detailed-exitcode", *FAST)
    assert (allowed.code, allowed.err) == (2, "")
    assert "  - server.web-1 (destroy)  [id " in allowed.out


def test_refusal_no_flag_can_lift_exits_1(cli, api_env, manifest, client):
    protected = MANIFEST.replace(
        "    startup_script: bootstrap\n", "    startup_script: bootstrap\n    protect: true\n"
    )
    manifest.write_text(protected)
    converge(client, manifest)
    # protection is remembered by the registry: dropping it together with the entry does not unprotect
    manifest.write_text(protected.replace("    protect: true\n", "    state: absent\n"))
    result = cli("plan", str(manifest), "--allow-destroy", "--detailed-exitcode", *FAST)
    assert result.code == 1
    assert "Refused (1)" in result.out
    assert result.err.startswith("Error: the plan has 1 refusal(s) that no flag can lift")


def test_export_then_plan_adopts_only_then_no_changes_after_apply(cli, api_env, client, tmp_path):
    client.sshkey_create("deploy", DEPLOY_KEY)
    client.startupscript_create("bootstrap", SCRIPT_BODY)
    web = make_server(client, "web-1", ipv6=True)
    server = client.server_list()[web]
    client.server_reverse_set_ipv4(web, server["main_ip"], "web-1.example.com")
    make_server(client, "worker-1")
    assert cli("export", "--project", "adopted", "--out", str(tmp_path), *FAST).code == 0
    exported = tmp_path / "adopted.yaml"

    first = json.loads(cli("plan", str(exported), "--json", *FAST).out)
    assert {a["type"] for a in first["actions"]} == {"adopt"}, first["actions"]
    assert sorted(a["key"] for a in first["actions"]) == [
        "server:web-1",
        "server:worker-1",
        "ssh_key:deploy",
        "startup_script:bootstrap",
    ]
    assert first["refusals"] == []
    converge(client, exported)
    again = cli("plan", str(exported), "--detailed-exitcode", *FAST)
    assert again.code == 0, again.out
    assert again.out.endswith("No changes. The account matches the manifest.\n")


def test_as_a_subprocess_with_the_environment(cli_process, api_env, manifest):
    result = cli_process("plan", str(manifest), "--detailed-exitcode", *FAST, env=api_env)
    assert result.code == 2, result.err
    assert SUMMARY.search(result.out).groups() == ("3", "0")
    assert cli_process("plan", "--bogus", env=api_env).code == 64
    missing = cli_process("plan", "does-not-exist.yaml", env=api_env)
    assert missing.code == 1 and "Traceback" not in missing.err


def test_emulator_mode_from_the_working_directory(cli_process, manifest, tmp_path):
    result = cli_process("plan", str(manifest), "--emulator", "--detailed-exitcode", "--no-color")
    assert result.code == 2, result.err
    assert (tmp_path / ".vultr-state" / "emulator.sqlite").is_file()


def test_a_plan_saved_against_the_emulator_says_how_to_apply_it_there(cli, manifest, tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    result = cli("plan", str(manifest), "--emulator", "--out", "p.json")
    assert result.code == 0, result.err
    assert result.err == "Saved the plan to p.json; apply it with `vultr-state apply p.json --emulator`.\n"
