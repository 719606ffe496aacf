"""The plan text tells the truth, on the real CLI against a served emulator: create-time-only changes
show "(set at creation)" and lists as lists, an update that calls no API says so (and apply reports it
as recorded, not updated), the reverse DNS of a replaced server is not a create, identity clashes are
account problems, and an unknown region code gets a near suggestion."""

from __future__ import annotations

import json

from cli.accounts import make_server
from cli.test_plan import FAST, MANIFEST, converge

RDNS = MANIFEST + "    reverse_dns:\n      ipv4: web-1.example.com\n"


def _manifest(tmp_path, text: str):
    path = tmp_path / "web.yaml"
    path.write_text(text)
    return path


def test_create_time_only_changes_show_set_at_creation_and_a_list(cli, api_env, client, tmp_path):
    manifest = _manifest(tmp_path, MANIFEST)
    converge(client, manifest)
    manifest.write_text(MANIFEST.replace("    startup_script: bootstrap\n", "    hostname: web-1\n"))
    out = cli("plan", str(manifest), *FAST).out
    assert "  ~ server.web-1 (no API call: takes effect when next created)  [id " in out
    assert '        hostname       = (set at creation) → "web-1"  (create-time-only' in out
    assert "= (none) →" not in out
    manifest.write_text(MANIFEST.replace("ssh_keys: [deploy]", "ssh_keys: []"))
    converge(client, manifest)
    manifest.write_text(MANIFEST)
    out = cli("plan", str(manifest), *FAST).out
    # A list, as a create lists it.
    assert '        ssh_keys = (set at creation) → ["deploy"]  (create-time-only' in out


def test_an_update_without_an_api_call_is_recorded_not_updated(cli, api_env, client, tmp_path):
    manifest = _manifest(tmp_path, MANIFEST)
    converge(client, manifest)
    manifest.write_text(MANIFEST.replace("label: web-1\n", "label: web-1\n    protect: true\n"))
    out = cli("plan", str(manifest), *FAST).out
    assert "  ~ server.web-1 (registry only: no API call)  [id " in out
    applied = cli("apply", str(manifest), "--auto-approve", *FAST)
    assert applied.code == 0, applied.err
    assert "~ server.web-1: recording...\n" in applied.out
    assert "~ server.web-1: recorded in " in applied.out
    assert "Apply complete: 1 recorded in " in applied.out
    assert "updated" not in applied.out


def test_a_real_update_is_still_updated(cli, api_env, client, tmp_path):
    manifest = _manifest(tmp_path, MANIFEST)
    converge(client, manifest)
    manifest.write_text(MANIFEST.replace("label: web-1\n", "label: web-1\n    tag: frontend\n"))
    assert "  ~ server.web-1 (update in place)  [id " in cli("plan", str(manifest), *FAST).out
    applied = cli("apply", str(manifest), "--auto-approve", *FAST)
    assert "Apply complete: 1 updated in " in applied.out


def test_reverse_dns_of_a_replaced_server_is_not_a_create(cli, api_env, client, tmp_path):
    manifest = _manifest(tmp_path, RDNS)
    converge(client, manifest)
    manifest.write_text(RDNS.replace("  region: New Jersey\n", "  region: Paris\n"))
    result = cli("plan", str(manifest), "--json", "--allow-replace", *FAST)
    assert result.code == 0, result.err
    document = json.loads(result.out)
    assert document["summary"]["create"] == 0
    assert (document["summary"]["replace"], document["summary"]["update"]) == (1, 1)
    rdns = next(a for a in document["actions"] if a["kind"] == "reverse_dns")
    assert (rdns["type"], rdns["live_id"], rdns["depends_on"]) == ("update", None, ["server:web-1"])
    applied = cli("apply", str(manifest), "--auto-approve", "--allow-replace", *FAST)
    assert applied.code == 0, applied.err
    assert "Apply complete: 1 updated, 1 replaced in " in applied.out
    again = cli("plan", str(manifest), "--detailed-exitcode", *FAST)
    assert again.code == 0, again.out  # the names landed on the replacement


def test_identity_clashes_are_account_problems(cli, api_env, client, tmp_path):
    make_server(client, "web-1")
    make_server(client, "web-1")
    result = cli("plan", str(_manifest(tmp_path, MANIFEST)), *FAST)
    assert result.code == 1
    assert "cannot plan: 1 problem in the account:\n" in result.err
    assert "in the manifest" not in result.err
    dangling = MANIFEST + "  - label: db-1\n    os: Nonesuch OS\n"
    both = cli("plan", str(_manifest(tmp_path, dangling)), *FAST)
    assert "cannot plan: 1 problem in the manifest and 1 problem in the account:\n" in both.err
    assert both.err.index("unknown OS 'Nonesuch OS'") < both.err.index("identity clash")


def test_an_unknown_region_code_suggests_the_near_code(cli, api_env, tmp_path):
    result = cli("plan", str(_manifest(tmp_path, MANIFEST.replace("New Jersey", "ewrr"))), *FAST)
    assert result.code == 1
    assert "unknown region 'ewrr' (did you mean 'EWR', New Jersey?)" in result.err
    near_name = cli("plan", str(_manifest(tmp_path, MANIFEST.replace("New Jersey", "New Jersy"))), *FAST)
    assert "unknown region 'New Jersy' (did you mean 'New Jersey'?)" in near_name.err
