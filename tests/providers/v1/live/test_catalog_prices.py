"""The live reader keeps each plan's monthly price from plans/list (``price_per_month``, a string on the
wire as in fixtures/plans_list.json, 2020) and leaves it unknown when the wire gives nothing usable."""

from __future__ import annotations

from providers.v1.live.recorded import RecordedAccount, load_recording
from vultr_state.model.desired import Desired
from vultr_state.providers.base import read_live
from vultr_state.providers.v1 import V1Provider


def _plan(plan_id: str, **price) -> dict:
    return {"VPSPLANID": plan_id, "name": f"plan {plan_id}", "available_locations": [1], **price}


def test_plan_prices_come_from_price_per_month():
    recording = load_recording(None)
    recording["plans/list"] = {
        "201": _plan("201", price_per_month="5.00"),
        "202": _plan("202", price_per_month=7.5),  # a number, should the wire drift
        "203": _plan("203"),  # no price at all
        "204": _plan("204", price_per_month="n/a"),
        "205": _plan("205", price_per_month="-1.00"),
    }
    live = read_live(V1Provider(RecordedAccount(recording)), Desired(project="web"))
    prices = {p.id: p.monthly_cost for p in live.catalog.plans}
    assert prices == {"201": 5.0, "202": 7.5, "203": None, "204": None, "205": None}


def test_the_shared_catalog_recording_is_priced():
    live = read_live(V1Provider(RecordedAccount(load_recording(None))), Desired(project="web"))
    assert {p.id: p.monthly_cost for p in live.catalog.plans}["202"] == 10.0
