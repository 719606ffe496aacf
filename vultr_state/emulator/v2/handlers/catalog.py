"""Public catalog endpoints and the account: ``/regions``, ``/regions/{id}/availability``, ``/plans``,
``/os``, ``/applications`` (all paged except availability) and ``GET /account``.

The account answers fixed figures (amounts are JSON numbers in v2) with ``pending_charges`` summing the
monthly cost share of the live instances.
"""

from __future__ import annotations

from vultr_state.emulator.core.reply import Reply
from vultr_state.emulator.v2.handlers.base import list_reply
from vultr_state.emulator.v2.models import InstanceRecord, load_all
from vultr_state.emulator.v2.paging import by_int_id, by_position
from vultr_state.emulator.v2.request import Call
from vultr_state.emulator.v2.wire import NOT_FOUND, ApiError, json_reply

ACLS = (
    "manage_users",
    "subscriptions_view",
    "subscriptions",
    "billing",
    "support",
    "provisioning",
    "dns",
    "abuse",
    "upgrade",
    "firewall",
    "alerts",
    "objstore",
    "loadbalancer",
)
HOURS_PER_MONTH = 672


def list_regions(call: Call) -> Reply:
    """GET /regions (paged, alphabetical by id as recorded)."""
    regions = list(call.backend.catalog.regions.values())
    return list_reply(call, "regions", regions, by_position([r["id"] for r in regions], _id), dict)


def region_availability(call: Call) -> Reply:
    """GET /regions/{region-id}/availability?type= → ``{"available_plans": [...]}`` (no meta)."""
    catalog, region = call.backend.catalog, call.path["region-id"]
    if region not in catalog.regions:
        raise ApiError(404, NOT_FOUND)
    return json_reply({"available_plans": catalog.available(region, call.query.get("type", ""))})


def list_plans(call: Call) -> Reply:
    """GET /plans?type= (paged; ``os=windows`` changes nothing: every plan runs Windows here)."""
    catalog = call.backend.catalog
    plans = catalog.plans_of_type(call.query.get("type", ""))
    return list_reply(call, "plans", plans, by_position(list(catalog.plans), _id), dict)


def list_os(call: Call) -> Reply:
    """GET /os (paged by OS id, as the recorded cursors ``next__230`` show)."""
    return list_reply(call, "os", list(call.backend.catalog.oses.values()), by_int_id(_id), dict)


def list_applications(call: Call) -> Reply:
    """GET /applications?type=all|marketplace|one-click (paged)."""
    catalog, wanted = call.backend.catalog, call.query.get("type", "").lower()
    apps = [a for a in catalog.apps.values() if wanted in ("", "all") or a["type"] == wanted]
    return list_reply(call, "applications", apps, by_position(list(catalog.apps), _id), dict)


def get_account(call: Call) -> Reply:
    """GET /account."""
    backend = call.backend
    charges = 0.0
    for instance in load_all(backend.store, InstanceRecord):
        cost = backend.catalog.plans[instance.plan]["monthly_cost"]
        hours = max(0, int((call.now - instance.created_at) // 3600))
        charges += min(cost, cost * hours / HOURS_PER_MONTH)
    return json_reply(
        {
            "account": {
                "name": "Vultr v2 emulator",
                "email": "emulator@example.com",
                "acls": list(ACLS),
                "balance": -100.0,
                "pending_charges": round(charges, 2),
                "last_payment_date": "2020-10-01T09:00:00+00:00",
                "last_payment_amount": -100.0,
            }
        }
    )


def _id(item: dict) -> object:
    return item["id"]
