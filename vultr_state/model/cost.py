"""What a plan does to the monthly bill: ``PlanCost`` and one ``ServerCost`` row per server it changes.

Built only by ``vultr_state.planner.cost`` (a pure function of the plan and the live state, whose
catalog carries the plan prices); shown by ``vultr_state.render`` (text, Markdown, ``--json``). Amounts
are monthly prices in ``currency`` as the catalog lists them, rounded to cents.
"""

from __future__ import annotations

from dataclasses import dataclass

CURRENCY = "USD"  # both Vultr APIs price plans in US dollars


@dataclass(frozen=True, slots=True)
class ServerCost:
    """One server whose monthly price the plan changes.

    ``monthly_before`` is None when the server does not exist yet (a create), ``monthly_after`` None
    when the plan removes it (destroy, prune).
    """

    name: str
    monthly_before: float | None
    monthly_after: float | None


@dataclass(frozen=True, slots=True)
class PlanCost:
    """The monthly price of the project's servers before and after the plan, as shown.

    ``servers`` lists the servers whose price changes (creates, removals, plan changes), by label.
    ``unpriced`` names the servers left out of both totals because the catalog gives no price for
    their plan (a retired plan, or a catalog without prices); ``backups_unpriced`` names the servers
    that run automatic backups after the plan, whose surcharge the catalog does not state.
    """

    monthly_before: float
    monthly_after: float
    currency: str = CURRENCY
    servers: tuple[ServerCost, ...] = ()
    unpriced: tuple[str, ...] = ()
    backups_unpriced: tuple[str, ...] = ()

    @property
    def is_empty(self) -> bool:
        """True when the project has no server before or after the plan (nothing worth a cost line)."""
        return not (self.monthly_before or self.monthly_after or self.servers or self.unpriced)
