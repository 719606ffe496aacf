"""``plan_cost``: which servers count before and after a plan, how replaced, upgraded, created, removed and
adopted servers are priced, and what is left out (unpriced plans, backups)."""

from __future__ import annotations

from dataclasses import replace

from vultr_state.model.live import Catalog, CatalogPlan, Live, LiveServer
from vultr_state.model.plan import Action, ActionType, ChangeClass, FieldChange, Kind, Plan, ServerSpec
from vultr_state.model.registry import OwnedObject, Registry
from vultr_state.model.server import BootKind, InstallState, PowerState
from vultr_state.planner.cost import plan_cost

# Prices as the 2020 plans/list recording gives them (fixtures/plans_list.json: 201 = 5.00, 202 = 10.00).
CATALOG = Catalog(
    plans=(
        CatalogPlan("201", "1024 MB RAM,25 GB SSD,1.00 TB BW", monthly_cost=5.0),
        CatalogPlan("202", "2048 MB RAM,55 GB SSD,2.00 TB BW", monthly_cost=10.0),
        CatalogPlan("203", "4096 MB RAM,80 GB SSD,3.00 TB BW", monthly_cost=20.0),
        CatalogPlan("400", "a plan the catalog does not price"),
    )
)


def _server(sid: str, label: str, plan_id: str = "201", backups: bool = False) -> LiveServer:
    return LiveServer(
        id=sid, label=label, region_id="1", plan_id=plan_id, os_id="387", os_name="Ubuntu",
        boot=BootKind.OS, install=InstallState.READY, power=PowerState.RUNNING,
        main_ip="10.0.0.1", v6_main_ip=None, v6_network=None,
        internal_ip=None, auto_backups=backups,
    )  # fmt: skip


def _live(*servers: LiveServer, owned: tuple[str, ...] = ()) -> Live:
    registry = Registry(project="web", owned=tuple(OwnedObject("server", sid, sid) for sid in owned))
    return Live(catalog=CATALOG, servers=servers, registry=registry)


def _spec(label: str, plan_id: str, backups: bool = False) -> ServerSpec:
    return ServerSpec(label=label, region_id="1", plan_id=plan_id, os_id="387", auto_backups=backups)


def _action(name: str, action_type: ActionType, live_id: str | None = None, **kw) -> Action:
    return Action(f"server:{name}", Kind.SERVER, name, action_type, live_id=live_id, **kw)


def test_no_servers_costs_nothing():
    cost = plan_cost(Plan(project="web"), _live())
    assert (cost.monthly_before, cost.monthly_after, cost.servers, cost.currency) == (0.0, 0.0, (), "USD")
    assert cost.is_empty


def test_owned_servers_count_unowned_ones_do_not():
    live = _live(
        _server("1", "web-1"), _server("2", "web-2", "202"), _server("9", "theirs", "203"), owned=("1", "2")
    )
    cost = plan_cost(Plan(project="web"), live)
    assert (cost.monthly_before, cost.monthly_after) == (15.0, 15.0)
    assert cost.servers == ()
    assert not cost.is_empty


def test_create_destroy_prune_and_replace_are_rows_in_plan_order():
    live = _live(_server("1", "old"), _server("2", "gone"), _server("3", "db"), owned=("1", "2", "3"))
    plan = Plan(
        project="web",
        actions=(
            _action("db", ActionType.REPLACE, "3", spec=_spec("db", "203"),
                    changes=(FieldChange("plan", "a", "b", ChangeClass.REPLACE),)),
            _action("new", ActionType.CREATE, spec=_spec("new", "202")),
            _action("gone", ActionType.PRUNE, "2"),
            _action("old", ActionType.DESTROY, "1"),
        ),
    )  # fmt: skip
    cost = plan_cost(plan, live)
    assert (cost.monthly_before, cost.monthly_after) == (15.0, 30.0)
    assert [(r.name, r.monthly_before, r.monthly_after) for r in cost.servers] == [
        ("db", 5.0, 20.0),
        ("new", None, 10.0),
        ("gone", 5.0, None),
        ("old", 5.0, None),
    ]


def test_a_replace_that_keeps_the_plan_is_not_a_row():
    live = _live(_server("1", "web-1"), owned=("1",))
    replace_region = _action("web-1", ActionType.REPLACE, "1", spec=_spec("web-1", "201"),
                             changes=(FieldChange("region", "a", "b", ChangeClass.REPLACE),))  # fmt: skip
    cost = plan_cost(Plan(project="web", actions=(replace_region,)), live)
    assert (cost.monthly_before, cost.monthly_after, cost.servers) == (5.0, 5.0, ())


def test_an_update_prices_only_its_in_place_plan_change():
    live = _live(_server("1", "web-1"), owned=("1",))
    upgrade = _action("web-1", ActionType.UPDATE, "1", spec=_spec("web-1", "202"),
                      changes=(FieldChange("plan", "a", "b", ChangeClass.IN_PLACE),))  # fmt: skip
    assert plan_cost(Plan(project="web", actions=(upgrade,)), live).monthly_after == 10.0
    # Protection dropped the replace-class plan change: the update left (a label) keeps the old plan.
    label_only = replace(upgrade, changes=(FieldChange("label", "a", "web-1", ChangeClass.IN_PLACE),))
    assert plan_cost(Plan(project="web", actions=(label_only,)), live).monthly_after == 5.0


def test_an_adopted_or_named_unowned_server_is_already_billed():
    live = _live(_server("7", "found", "202"), _server("8", "named"))
    plan = Plan(
        project="web",
        actions=(_action("found", ActionType.ADOPT, "7"), _action("named", ActionType.DESTROY, "8")),
    )
    cost = plan_cost(plan, live)
    assert (cost.monthly_before, cost.monthly_after) == (15.0, 10.0)
    assert [(r.name, r.monthly_after) for r in cost.servers] == [("named", None)]


def test_reverse_dns_actions_on_a_server_id_are_not_servers():
    live = _live(_server("1", "web-1"), owned=("1",))
    rdns = Action("reverse_dns:web-1", Kind.REVERSE_DNS, "web-1", ActionType.UPDATE, live_id="1")
    assert plan_cost(Plan(project="web", actions=(rdns,)), live).servers == ()


def test_unpriced_plans_are_named_and_left_out_of_both_totals():
    live = _live(_server("1", "legacy", "400"), _server("2", "web-1"), owned=("1", "2"))
    plan = Plan(
        project="web",
        actions=(
            _action("legacy", ActionType.REPLACE, "1", spec=_spec("legacy", "202"),
                    changes=(FieldChange("plan", "a", "b", ChangeClass.REPLACE),)),
            _action("web-2", ActionType.CREATE, spec=_spec("web-2", "404")),
        ),
    )  # fmt: skip
    cost = plan_cost(plan, live)
    assert (cost.monthly_before, cost.monthly_after, cost.servers) == (5.0, 5.0, ())
    assert cost.unpriced == ("legacy", "web-2")


def test_servers_keeping_backups_are_named_since_the_catalog_does_not_price_them():
    live = _live(_server("1", "db", backups=True), _server("2", "web"), owned=("1", "2"))
    plan = Plan(
        project="web", actions=(_action("new", ActionType.CREATE, spec=_spec("new", "201", backups=True)),)
    )
    assert plan_cost(plan, live).backups_unpriced == ("db", "new")
    # A create-time-only backups change does not take effect without a replace.
    later = (FieldChange("auto_backups", True, False, ChangeClass.CREATE_TIME_ONLY),)
    off = _action("db", ActionType.UPDATE, "1", spec=_spec("db", "201"), changes=later)
    assert plan_cost(Plan(project="web", actions=(off,)), live).backups_unpriced == ("db",)


def test_fractional_prices_sum_to_cents():
    catalog = Catalog(
        plans=(CatalogPlan("1", "a", monthly_cost=2.5), CatalogPlan("2", "b", monthly_cost=0.1))
    )
    servers = (*(_server(str(i), f"s{i}", "2") for i in range(3)), _server("9", "t", "1"))
    live = replace(_live(*servers, owned=("0", "1", "2", "9")), catalog=catalog)
    assert plan_cost(Plan(project="web"), live).monthly_before == 2.8
