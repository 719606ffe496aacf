"""The human, Terraform-like rendering of a plan: ``render_text(plan, color)``.

Called by ``vultr-state plan`` (and by ``apply`` to show what it is about to do). One block per action
(``+ server.web-1 (create)``), blocks separated by a blank line: a create lists the fields it will set
(``region = "New Jersey" (1)``), any other action one line per field change (``label = "a" → "b"``
with its change class and what that means), names aligned on ``=`` within a block. Then the
refusals with what unblocks them, the unmanaged counts, warnings, the monthly cost of the project's
servers before and after (one line per server whose price changes) and the summary line. Colour is added
only when the caller asks for it; deciding whether the terminal wants it is the CLI's job.
"""

from __future__ import annotations

from vultr_state.model.cost import PlanCost
from vultr_state.model.plan import Action, ActionType, FieldChange, Plan
from vultr_state.render.common import (
    SYMBOLS,
    action_title,
    change_note,
    counts,
    display_name,
    format_value,
    key_display,
    old_value,
    plural,
    refusal_hint,
    refused_keys,
    spec_lines,
    summary_line,
)
from vultr_state.render.cost import after_text, before_text, footnotes, headline

_RESET = "\x1b[0m"
_BOLD = "1"
_RED = "31"
_GREEN = "32"
_YELLOW = "33"
_MAGENTA = "35"
_CYAN = "36"
_DIM = "2"

_ACTION_COLORS: dict[ActionType, str] = {
    ActionType.CREATE: _GREEN,
    ActionType.UPDATE: _YELLOW,
    ActionType.REPLACE: _MAGENTA,
    ActionType.REINSTALL: _MAGENTA,
    ActionType.DESTROY: _RED,
    ActionType.PRUNE: _RED,
    ActionType.ADOPT: _CYAN,
}

_INDENT = "  "
_DETAIL_INDENT = "        "


class _Painter:
    """Wraps text in ANSI SGR codes, or leaves it alone when colour is off."""

    __slots__ = ("enabled",)

    def __init__(self, enabled: bool):
        self.enabled = enabled

    def __call__(self, text: str, *codes: str) -> str:
        if not self.enabled or not codes:
            return text
        return f"\x1b[{';'.join(codes)}m{text}{_RESET}"


def render_text(
    plan: Plan, color: bool = False, cost: PlanCost | None = None, *, command: str = "apply"
) -> str:
    """Render a plan for a terminal or a log.

    Args:
        plan: The plan to show.
        color: Add ANSI colours (only when the output is a terminal that wants them).
        cost: What the plan does to the monthly bill (``planner.cost``); shown before the summary
            when given and the project has servers.
        command: The command that would carry the plan out (``apply`` or ``destroy``), for refusals.

    Returns:
        The whole text, ending with a newline. It never contains a secret body: sensitive changes are
        shown as the digests the planner put in them, secret spec fields by name only.
    """
    paint = _Painter(color)
    lines = [paint(f'vultr-state plan for project "{plan.project}"', _BOLD) + _owned_note(plan)]
    lines.extend(paint(note, _YELLOW) for note in plan.notes)
    lines.append("")
    refused = refused_keys(plan)
    for action in plan.actions:
        lines.extend(_action_block(action, action.key in refused, paint))
        lines.append("")
    if plan.refusals:
        lines.extend(_refusal_block(plan, paint, command))
    unmanaged = [(kind, n) for kind, n in plan.unmanaged if n]
    if unmanaged:
        listed = ", ".join(plural(n, kind) for kind, n in unmanaged)
        lines.append(f'Unmanaged (not owned by project "{plan.project}", left alone): {listed}.')
    for warning in plan.warnings:
        lines.append(paint("Warning:", _YELLOW, _BOLD) + f" {warning}")
    if unmanaged or plan.warnings:
        lines.append("")
    if cost is not None and not cost.is_empty:
        lines.extend(_cost_block(cost, paint))
    lines.append(_summary(plan, paint))
    return "\n".join(lines) + "\n"


def _owned_note(plan: Plan) -> str:
    return f" ({plural(plan.owned_count, 'owned object')})"


def _action_block(action: Action, refused: bool, paint: _Painter) -> list[str]:
    colour = _ACTION_COLORS[action.type]
    symbol = SYMBOLS[action.type]
    head = f"{_INDENT}{paint(f'{symbol:>3}', colour, _BOLD)} {paint(display_name(action), _BOLD)}"
    head += f" ({action_title(action)})"
    notes = []
    if action.live_id:
        notes.append(f"id {action.live_id}")
    if action.protect:
        notes.append("protected")
    if notes:
        head += paint(f"  [{', '.join(notes)}]", _DIM)
    if refused:
        head += "  " + paint("REFUSED", _RED, _BOLD)
    lines = [head]
    if action.reason:
        lines.append(paint(f"{_DETAIL_INDENT}# {action.reason}", _DIM))
    if action.changes:
        width = max(len(change.field) for change in action.changes)
        lines.extend(_change_line(change, width, paint) for change in action.changes)
    elif action.type is ActionType.CREATE:
        shown = spec_lines(action.spec)
        width = max((len(name) for name, _ in shown), default=0)
        lines.extend(f"{_DETAIL_INDENT}{name:<{width}} = {value}" for name, value in shown)
    return lines


def _change_line(change: FieldChange, width: int, paint: _Painter) -> str:
    return (
        f"{_DETAIL_INDENT}{change.field:<{width}} = {old_value(change)} → {format_value(change.new)}"
        f"  {paint(f'({change_note(change)})', _DIM)}"
    )


def _refusal_block(plan: Plan, paint: _Painter, command: str) -> list[str]:
    title = f"Refused ({len(plan.refusals)}): {command} will not run this plan as it stands."
    lines = [paint(title, _RED, _BOLD)]
    for refusal in plan.refusals:
        hint = refusal_hint(refusal)
        name = key_display(refusal.action_key)
        suffix = f" ({hint})" if hint else ""
        lines.append(f"{_INDENT}{paint('✗', _RED)} {name}: {refusal.message}{suffix}")
    lines.append("")
    return lines


def _cost_block(cost: PlanCost, paint: _Painter) -> list[str]:
    lines = [
        paint("Monthly cost", _BOLD) + f" of the project's servers (USD, catalog prices): {headline(cost)}"
    ]
    width = max((len(f"server.{row.name}") for row in cost.servers), default=0)
    before = max((len(before_text(row)) for row in cost.servers), default=0)
    lines.extend(
        f"{_INDENT}{f'server.{row.name}':<{width}}  {before_text(row):>{before}} → {after_text(row)}"
        for row in cost.servers
    )
    lines.extend(f"{_INDENT}{note}" for note in footnotes(cost))
    lines.append("")
    return lines


def _summary(plan: Plan, paint: _Painter) -> str:
    text = summary_line(plan)
    if not plan.has_changes:
        return paint(text, _GREEN, _BOLD)
    if not paint.enabled:
        return text
    coloured = ", ".join(
        paint(f"{n} to {t.value}", _ACTION_COLORS[t]) if n else f"{n} to {t.value}" for t, n in counts(plan)
    )
    return paint("Plan:", _BOLD) + f" {coloured}."
