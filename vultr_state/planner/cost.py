"""``plan_cost(plan, live) -> PlanCost``: the monthly price of the project's servers before and after a plan.

Called by the CLI (``plan``, ``apply``, ``destroy``) next to the planner, and shown by the renderers.
Pure: prices come from the catalog in ``live`` (``CatalogPlan.monthly_cost``), nothing is read.

Which servers count: before the plan, every live server the project owns plus any other live server a
server action acts on (an adoption, a destroy of a named but unowned server), since all of them are
billed already; after the plan, those minus the ones it destroys or prunes, with the new plan of a
replaced or upgraded server, plus the servers it creates. The plan is priced as shown, refused actions
included (they are what the plan would do once permitted). A server whose plan has no catalog price is
left out of both totals and named in ``unpriced``; automatic backups are not priced by the catalog, so
the servers that keep them are named in ``backups_unpriced`` rather than guessed at.
"""

from __future__ import annotations

from vultr_state.model.cost import PlanCost, ServerCost
from vultr_state.model.live import Live, LiveServer
from vultr_state.model.plan import Action, ActionType, ChangeClass, Kind, Plan, ServerSpec

_REMOVES = (ActionType.DESTROY, ActionType.PRUNE)


def plan_cost(plan: Plan, live: Live) -> PlanCost:
    """Price the servers the plan leaves the project with against those it starts from.

    Args:
        plan: The plan as the planner made it from ``live``.
        live: The live state the plan was made from (its catalog holds the prices).

    Returns:
        Totals rounded to cents, the servers whose price changes (in plan order), the unpriced ones.
    """
    prices = {p.id: p.monthly_cost for p in live.catalog.plans}
    servers = [a for a in plan.actions if a.kind is Kind.SERVER]
    acted_on = {a.live_id for a in servers if a.live_id}
    owned = live.registry.owned_ids(Kind.SERVER.value)
    rows: list[tuple[int, ServerCost]] = []
    unpriced: list[str] = []
    backups: list[str] = []
    before = after = 0.0
    position = {a.key: i for i, a in enumerate(plan.actions)}
    for server in live.servers:
        if server.id not in owned and server.id not in acted_on:
            continue
        mine = [a for a in servers if a.live_id == server.id]
        name = mine[0].name if mine else server.label
        gone = any(a.type in _REMOVES for a in mine)
        new_plan, new_backups = _after(server, mine)
        old_price = prices.get(server.plan_id)
        new_price = None if gone else prices.get(new_plan)
        if old_price is None or (not gone and new_price is None):
            unpriced.append(name)
            continue
        before += old_price
        if not gone:
            after += new_price or 0.0
            if new_backups:
                backups.append(name)
        if gone or new_price != old_price:
            order = min((position[a.key] for a in mine), default=len(position))
            rows.append((order, ServerCost(name, _cents(old_price), None if gone else _cents(new_price))))
    for action in servers:
        if action.type is not ActionType.CREATE or not isinstance(action.spec, ServerSpec):
            continue
        price = prices.get(action.spec.plan_id)
        if price is None:
            unpriced.append(action.name)
            continue
        after += price
        if action.spec.auto_backups:
            backups.append(action.name)
        rows.append((position[action.key], ServerCost(action.name, None, _cents(price))))
    return PlanCost(
        monthly_before=_cents(before),
        monthly_after=_cents(after),
        servers=tuple(row for _, row in sorted(rows, key=lambda r: (r[0], r[1].name))),
        unpriced=tuple(sorted(unpriced)),
        backups_unpriced=tuple(sorted(backups)),
    )


def _after(server: LiveServer, actions: list[Action]) -> tuple[str, bool]:
    """The plan id and backups flag the server has once the plan ran: a replace takes the whole new
    spec, an in-place change just its own field; create-time-only changes wait for a replace."""
    plan_id, backups = server.plan_id, server.auto_backups
    for action in actions:
        spec = action.spec
        if not isinstance(spec, ServerSpec):
            continue
        if action.type is ActionType.REPLACE:
            return spec.plan_id, spec.auto_backups
        changed = {c.field for c in action.changes if c.change_class is ChangeClass.IN_PLACE}
        plan_id = spec.plan_id if "plan" in changed else plan_id
        backups = spec.auto_backups if "auto_backups" in changed else backups
    return plan_id, backups


def _cents(amount: float) -> float:
    return round(amount + 0.0, 2)
