"""The monthly cost in the text, Markdown and JSON plans: headline, one row per changed server, totals,
what is left out, and nothing at all for a project without servers."""

from __future__ import annotations

import json
from importlib import resources

import pytest
from jsonschema import Draft202012Validator

from vultr_state.model.cost import PlanCost, ServerCost
from vultr_state.render import render_json, render_markdown, render_text

COST = PlanCost(
    monthly_before=1215.5,
    monthly_after=1225.5,
    servers=(
        ServerCost("db-1", 5.0, 20.0),
        ServerCost("web-10", None, 10.0),
        ServerCost("x", 15.0, None),
    ),
    unpriced=("legacy",),
    backups_unpriced=("db-1",),
)


def test_text_shows_the_totals_and_a_row_per_changed_server_before_the_summary(full_plan):
    text = render_text(full_plan, cost=COST)
    block = (
        "Monthly cost of the project's servers (USD, catalog prices): $1,215.50 → $1,225.50 (+$10.00)\n"
        "  server.db-1     $5.00 → $20.00\n"
        "  server.web-10   (new) → $10.00\n"
        "  server.x       $15.00 → (removed)\n"
        "  Not counted (the catalog gives no price for their plan): server.legacy.\n"
        "  Not included: the automatic-backups surcharge of server.db-1 (the catalog does not price it).\n"
        "\n"
        "Plan: "
    )
    assert block in text


def test_text_without_a_cost_or_without_servers_has_no_cost_line(full_plan):
    assert "Monthly cost" not in render_text(full_plan)
    assert "Monthly cost" not in render_text(full_plan, cost=PlanCost(0.0, 0.0))


def test_an_unchanged_bill_is_one_line(empty_plan):
    text = render_text(empty_plan, cost=PlanCost(10.0, 10.0))
    assert (
        "Monthly cost of the project's servers (USD, catalog prices): $10.00 → $10.00 (unchanged)\n\n" in text
    )
    falling = render_text(empty_plan, cost=PlanCost(10.0, 2.5))
    assert "$10.00 → $2.50 (-$7.50)" in falling


def test_markdown_has_a_cost_table_with_totals_before_the_details(full_plan):
    text = render_markdown(full_plan, cost=COST)
    table = (
        "#### Monthly cost: $1,215.50 → $1,225.50 (+$10.00)\n\n"
        "| Server | Before | After |\n| --- | ---: | ---: |\n"
        "| <code>server.db-1</code> | $5.00 | $20.00 |\n"
        "| <code>server.web-10</code> | (new) | $10.00 |\n"
        "| <code>server.x</code> | $15.00 | (removed) |\n"
        "| **Total** | **$1,215.50** | **$1,225.50** |\n\n"
        "The project's servers at catalog prices, in USD a month.\n\n"
        "Not counted (the catalog gives no price for their plan): server.legacy.\n\n"
    )
    assert table in text
    assert text.index("#### Monthly cost") < text.index("#### Details")
    assert "Monthly cost" not in render_markdown(full_plan)


def test_markdown_cost_cannot_be_broken_by_a_label(empty_plan):
    cost = PlanCost(0.0, 5.0, servers=(ServerCost("a|`b<i>", None, 5.0),))
    text = render_markdown(empty_plan, cost=cost)
    row = next(line for line in text.splitlines() if "(new)" in line)
    assert row == "| <code>server.a\\|`b&lt;i&gt;</code> | (new) | $5.00 |"  # still three cells, no HTML


@pytest.fixture(scope="module")
def schema() -> dict:
    return json.loads(resources.files("vultr_state").joinpath("schemas/plan.schema.json").read_text())


def test_json_carries_the_cost_as_numbers_and_validates(full_plan, schema):
    document = json.loads(render_json(full_plan, COST))
    assert document["cost"] == {
        "monthly_before": 1215.5,
        "monthly_after": 1225.5,
        "currency": "USD",
        "servers": [
            {"name": "db-1", "monthly_before": 5.0, "monthly_after": 20.0},
            {"name": "web-10", "monthly_before": None, "monthly_after": 10.0},
            {"name": "x", "monthly_before": 15.0, "monthly_after": None},
        ],
        "unpriced": ["legacy"],
        "backups_unpriced": ["db-1"],
    }
    assert list(Draft202012Validator(schema).iter_errors(document)) == []
    assert "cost" not in json.loads(render_json(full_plan))  # saved plan files carry no cost


def test_the_schema_rejects_a_cost_given_as_text(full_plan, schema):
    document = json.loads(render_json(full_plan, COST))
    document["cost"]["monthly_after"] = "1225.50"
    assert list(Draft202012Validator(schema).iter_errors(document)) != []
