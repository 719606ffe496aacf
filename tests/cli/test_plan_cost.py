"""Cost in the plan, on the real CLI against a served emulator: `plan --json` carries the monthly price of
the project's servers before and after (the emulator's catalog prices plan 201 at $5.00, 202 at $10.00,
203 at $20.00, as the 2020 plans/list recording does), and the text plan shows one row per changed
server. Servers of the account that the project does not own are not part of the bill."""

from __future__ import annotations

import json
from importlib import resources

from jsonschema import Draft202012Validator

from cli.accounts import make_server
from cli.test_plan import FAST, MANIFEST, converge

BIGGER = (
    MANIFEST.replace("label: web-1\n", "label: web-1\n    plan: 2048 MB RAM,55 GB SSD,2.00 TB BW\n")
    + "  - label: web-2\n    plan: 4096 MB RAM,80 GB SSD,3.00 TB BW\n    auto_backups: true\n"
)


def test_plan_json_prices_the_servers_before_and_after(cli_process, api_env, client, tmp_path):
    manifest = tmp_path / "web.yaml"
    manifest.write_text(MANIFEST)
    converge(client, manifest)
    make_server(client, "not-ours")  # unowned: never part of the project's bill
    manifest.write_text(BIGGER)
    result = cli_process("plan", str(manifest), "--json", "--allow-replace", *FAST, env=api_env)
    assert result.code == 0, result.err
    document = json.loads(result.out)
    schema = json.loads(resources.files("vultr_state").joinpath("schemas/plan.schema.json").read_text())
    assert list(Draft202012Validator(schema).iter_errors(document)) == []
    assert document["cost"] == {
        "monthly_before": 5.0,
        "monthly_after": 30.0,
        "currency": "USD",
        "servers": [
            {"name": "web-1", "monthly_before": 5.0, "monthly_after": 10.0},
            {"name": "web-2", "monthly_before": None, "monthly_after": 20.0},
        ],
        "unpriced": [],
        "backups_unpriced": ["web-2"],
    }


def test_text_and_markdown_plans_show_the_cost(cli, api_env, client, tmp_path):
    manifest = tmp_path / "web.yaml"
    manifest.write_text(MANIFEST)
    converge(client, manifest)
    manifest.write_text(BIGGER)
    text = cli("plan", str(manifest), *FAST).out
    assert (
        "Monthly cost of the project's servers (USD, catalog prices): $5.00 → $30.00 (+$25.00)\n"
        "  server.web-1  $5.00 → $10.00\n"
        "  server.web-2  (new) → $20.00\n"
    ) in text
    markdown = cli("plan", str(manifest), "--format", "markdown", *FAST).out
    assert "| **Total** | **$5.00** | **$30.00** |" in markdown


def test_a_converged_project_shows_an_unchanged_bill(cli, api_env, client, tmp_path):
    manifest = tmp_path / "web.yaml"
    manifest.write_text(MANIFEST)
    converge(client, manifest)
    result = cli("plan", str(manifest), "--json", *FAST)
    cost = json.loads(result.out)["cost"]
    assert (cost["monthly_before"], cost["monthly_after"], cost["servers"]) == (5.0, 5.0, [])
    text = cli("plan", str(manifest), *FAST).out
    assert "$5.00 → $5.00 (unchanged)" in text


def test_destroy_shows_the_bill_going_to_zero(cli, api_env, client, tmp_path):
    manifest = tmp_path / "web.yaml"
    manifest.write_text(MANIFEST)
    converge(client, manifest)
    result = cli("destroy", str(manifest), "--allow-destroy", "--auto-approve", *FAST)
    assert result.code == 0, result.err
    assert "$5.00 → $0.00 (-$5.00)\n  server.web-1  $5.00 → (removed)\n" in result.out
