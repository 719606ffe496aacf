"""The pull-request-comment rendering of a plan: ``render_markdown(plan)``.

Called by ``vultr-state plan --format markdown``. Summary first (a counts table and the summary line),
then the refusals with what unblocks them, the monthly cost of the project's servers before and
after, then one collapsible ``<details>`` block per action with a
table of its field changes. Values are escaped so that a label cannot break the table or inject HTML.
"""

from __future__ import annotations

import html

from vultr_state.model.cost import PlanCost
from vultr_state.model.plan import Action, ActionType, Plan
from vultr_state.render.common import (
    SET_AT_CREATION,
    SYMBOLS,
    action_title,
    change_note,
    counts,
    display_name,
    flag,
    format_value,
    key_display,
    old_value,
    plural,
    refusal_hint,
    refused_keys,
    spec_lines,
    summary_line,
)
from vultr_state.render.cost import after_text, before_text, footnotes, headline, money


def render_markdown(plan: Plan, cost: PlanCost | None = None) -> str:
    """Render a plan as GitHub-flavoured Markdown for a pull-request comment.

    Args:
        plan: The plan to show.
        cost: What the plan does to the monthly bill; a table before the details when given and the
            project has servers.

    Returns:
        The Markdown text, ending with a newline; never a secret body.
    """
    lines = [f"### vultr-state plan: project `{_code(plan.project)}`", ""]
    lines.extend(f"> {_text(note)}\n" for note in plan.notes)
    lines.append(f"**{summary_line(plan)}**")
    lines.append("")
    if plan.has_changes:
        lines.extend(["| Action | Count |", "| --- | ---: |"])
        lines.extend(f"| {t.value} | {n} |" for t, n in counts(plan))
        lines.append("")
    if plan.refusals:
        lines.append(f"#### ⛔ Refused ({len(plan.refusals)}): apply will not run this plan as it stands")
        lines.append("")
        for refusal in plan.refusals:
            hint = refusal_hint(refusal)
            suffix = f" (rerun with `{flag(refusal.needs.value)}`)" if hint and refusal.needs else ""
            lines.append(f"- `{_code(key_display(refusal.action_key))}`: {_text(refusal.message)}{suffix}")
        lines.append("")
    unmanaged = [(kind, n) for kind, n in plan.unmanaged if n]
    if unmanaged:
        listed = ", ".join(plural(n, kind) for kind, n in unmanaged)
        lines.extend([f"Unmanaged (not owned by this project, left alone): {listed}.", ""])
    for warning in plan.warnings:
        lines.extend([f"> **Warning:** {_text(warning)}", ""])
    if cost is not None and not cost.is_empty:
        lines.extend(_cost_section(cost))
    if plan.actions:
        lines.extend(["#### Details", ""])
        refused = refused_keys(plan)
        for action in plan.actions:
            lines.extend(_details(action, action.key in refused))
    return "\n".join(lines).rstrip("\n") + "\n"


def _cost_section(cost: PlanCost) -> list[str]:
    lines = [f"#### Monthly cost: {_text(headline(cost))}", ""]
    if cost.servers:
        lines.extend(["| Server | Before | After |", "| --- | ---: | ---: |"])
        lines.extend(
            f"| {_shown(f'server.{row.name}')} | {before_text(row)} | {after_text(row)} |"
            for row in cost.servers
        )
        total = f"**{money(cost.monthly_before)}** | **{money(cost.monthly_after)}**"
        lines.extend([f"| **Total** | {total} |", ""])
    lines.extend(["The project's servers at catalog prices, in USD a month.", ""])
    for note in footnotes(cost):
        lines.extend([_text(note), ""])
    return lines


def _details(action: Action, refused: bool) -> list[str]:
    notes = []
    if action.live_id:
        notes.append(f"id {html.escape(action.live_id)}")
    if action.protect:
        notes.append("protected")
    if refused:
        notes.append("<b>refused</b>")
    note = f" [{', '.join(notes)}]" if notes else ""
    title = html.escape(action_title(action))
    summary = f"<code>{SYMBOLS[action.type]} {html.escape(display_name(action))}</code> ({title}){note}"
    lines = ["<details>", f"<summary>{summary}</summary>", ""]
    if action.reason:
        lines.extend([f"<em>{html.escape(action.reason)}</em>", ""])
    if action.changes:
        lines.extend(["| Field | Old | New | Class |", "| --- | --- | --- | --- |"])
        for c in action.changes:
            old = _shown(old_value(c))
            lines.append(f"| {_text(c.field)} | {old} | {_cell(c.new)} | {_text(change_note(c))} |")
    elif action.type is ActionType.CREATE and action.spec is not None:
        lines.extend(["| Field | Value |", "| --- | --- |"])
        lines.extend(f"| {_text(name)} | {_shown(value)} |" for name, value in spec_lines(action.spec))
    else:
        lines.append("No field changes.")
    lines.extend(["", "</details>", ""])
    return lines


def _cell(value: object) -> str:
    """A value inside a table cell: code-formatted, pipes and HTML escaped."""
    return _shown(format_value(value))


def _shown(text: str) -> str:
    """An already formatted value inside a table cell; ``(sensitive)`` and ``(set at creation)`` stay
    plain text."""
    return text if text in ("(sensitive)", SET_AT_CREATION) else f"<code>{_text(text)}</code>"


def _text(text: str) -> str:
    """Escape HTML and table pipes in free text."""
    return html.escape(text, quote=False).replace("|", "\\|").replace("\n", " ")


def _code(text: str) -> str:
    """Text for an inline code span: backticks cannot end it early."""
    return text.replace("`", "'")
