"""The pull-request Markdown renderer: summary first, refusals, collapsible details, escaping."""

from __future__ import annotations

from vultr_state.model.plan import Action, ActionType, ChangeClass, FieldChange, Kind, Plan
from vultr_state.render import render_markdown


def test_summary_comes_before_refusals_and_details(full_plan):
    md = render_markdown(full_plan)
    summary = md.index("**Plan: 2 to create, 2 to update, 1 to replace")
    table = md.index("| Action | Count |")
    refused = md.index("#### ⛔ Refused (2)")
    details = md.index("<details>")
    assert summary < table < refused < details
    assert "| create | 2 |" in md
    assert "| adopt | 1 |" in md


def test_one_details_block_per_action(full_plan):
    md = render_markdown(full_plan)
    assert md.count("<details>") == len(full_plan.actions)
    assert md.count("</details>") == len(full_plan.actions)
    assert "<summary><code>-/+ server.db-1</code> (replace: region) [id 576966]</summary>" in md
    assert (
        "<summary><code>- server.x</code> (prune: removed from manifest)"
        " [id 576969, <b>refused</b>]</summary>" in md
    )


def test_reasons_are_shown_escaped(full_plan):
    md = render_markdown(full_plan)
    assert "<em>matches by identity; not yet owned by project &#x27;web&#x27;</em>" in md


def test_change_table_rows(full_plan):
    md = render_markdown(full_plan)
    assert '| region | <code>"New Jersey"</code> | <code>"Frankfurt"</code> | forces replacement |' in md
    assert "| script | <code>" in md and "| in-place, sensitive |" in md
    assert "| public_key | (sensitive) |" in md


def test_create_table_shows_catalog_names_beside_ids_and_nothing_internal(full_plan):
    md = render_markdown(full_plan)
    assert '| region | <code>"New Jersey" (1)</code> |' in md
    assert "| plan | <code>id 201</code> |" in md
    assert '| os | <code>"CentOS 7 x64" (387)</code> |' in md
    assert "c0ffee" not in md and "create_digest" not in md and "region_id" not in md


def test_refusal_names_the_flag(full_plan):
    md = render_markdown(full_plan)
    assert "- `server.x`: pruning needs an explicit permission (rerun with `--allow-prune`)" in md


def test_no_secret_body(full_plan, secrets):
    md = render_markdown(full_plan)
    for secret in secrets:
        assert secret not in md


def test_values_cannot_break_the_table_or_inject_html():
    plan = Plan(
        project="p",
        actions=(
            Action(
                key="server:a",
                kind=Kind.SERVER,
                name="a",
                type=ActionType.UPDATE,
                live_id="1",
                changes=(FieldChange("label", "x|y", "<script>alert(1)</script>", ChangeClass.IN_PLACE),),
            ),
        ),
    )
    md = render_markdown(plan)
    row = next(line for line in md.splitlines() if line.startswith("| label"))
    assert row.count(" | ") == 3  # the pipe inside the value is escaped
    assert "x\\|y" in row
    assert "<script>" not in md and "&lt;script&gt;" in md


def test_no_changes_has_no_table(empty_plan):
    md = render_markdown(empty_plan)
    assert md == "### vultr-state plan: project `web`\n\n**No changes. The account matches the manifest.**\n"
