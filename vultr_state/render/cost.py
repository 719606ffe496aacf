"""How the plan renderers show a ``PlanCost``: amounts, the headline and the per-server rows.

Used by ``render.text``, ``render.markdown`` and ``render.json_doc``; nothing else. Pure functions only.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from vultr_state.model.cost import PlanCost, ServerCost

NEW = "(new)"
REMOVED = "(removed)"


def money(amount: float) -> str:
    """``$1,234.50``: an amount in the plan's currency (always US dollars on Vultr)."""
    return f"${amount:,.2f}"


def delta(cost: PlanCost) -> str:
    """``+$10.00``, ``-$5.00`` or ``unchanged``."""
    change = round(cost.monthly_after - cost.monthly_before, 2)
    if change == 0:
        return "unchanged"
    return f"{'+' if change > 0 else '-'}{money(abs(change))}"


def headline(cost: PlanCost) -> str:
    """``$15.00 → $25.00 (+$10.00)``."""
    return f"{money(cost.monthly_before)} → {money(cost.monthly_after)} ({delta(cost)})"


def before_text(row: ServerCost) -> str:
    """A row's old price, or ``(new)`` for a server the plan creates."""
    return NEW if row.monthly_before is None else money(row.monthly_before)


def after_text(row: ServerCost) -> str:
    """A row's new price, or ``(removed)`` for a server the plan destroys."""
    return REMOVED if row.monthly_after is None else money(row.monthly_after)


def footnotes(cost: PlanCost, show: Callable[[str], str] = lambda label: f"server.{label}") -> list[str]:
    """Sentences about what the totals leave out (servers without a catalog price, backups); ``show``
    turns a label into how the renderer names a server."""
    notes = []
    if cost.unpriced:
        names = ", ".join(show(n) for n in cost.unpriced)
        notes.append(f"Not counted (the catalog gives no price for their plan): {names}.")
    if cost.backups_unpriced:
        names = ", ".join(show(n) for n in cost.backups_unpriced)
        notes.append(
            f"Not included: the automatic-backups surcharge of {names} (the catalog does not price it)."
        )
    return notes


def cost_to_dict(cost: PlanCost) -> dict[str, Any]:
    """The ``cost`` object of ``plan --json`` (documented by ``schemas/plan.schema.json``)."""
    return {
        "monthly_before": cost.monthly_before,
        "monthly_after": cost.monthly_after,
        "currency": cost.currency,
        "servers": [
            {"name": r.name, "monthly_before": r.monthly_before, "monthly_after": r.monthly_after}
            for r in cost.servers
        ],
        "unpriced": list(cost.unpriced),
        "backups_unpriced": list(cost.backups_unpriced),
    }
