"""Public catalog endpoints: os/list, plans/list (and list_vc2/vdc2/vc2z), regions/list,
regions/availability (and _vc2/_vdc2), app/list, plus the per-account iso/list (seeded from the catalog).
"""

from __future__ import annotations

from vultr_state.emulator.v1.handlers.base import Call
from vultr_state.emulator.v1.wire import INVALID_DCID, ApiFailure, Reply, json_reply, keyed_reply


def os_list(call: Call) -> Reply:
    """GET os/list: OSID → os (OSID a JSON number, as the live API sent it). No parameters."""
    return keyed_reply({str(osid): entry for osid, entry in call.backend.catalog.oses.items()})


def _plans(call: Call, plan_type: str | None) -> Reply:
    plans = call.backend.catalog.plans_of_type(plan_type)
    return keyed_reply({str(pid): plan for pid, plan in plans.items()})


def plans_list(call: Call) -> Reply:
    """GET plans/list: VPSPLANID → plan, optional ``type`` (all, vc2, ssd, vdc2, dedicated, vc2z)."""
    return _plans(call, call.param("type") or None)


def plans_list_vc2(call: Call) -> Reply:
    """GET plans/list_vc2: the SSD (vc2) plans. No parameters."""
    return _plans(call, "vc2")


def plans_list_vdc2(call: Call) -> Reply:
    """GET plans/list_vdc2: the dedicated plans. No parameters."""
    return _plans(call, "vdc2")


def plans_list_vc2z(call: Call) -> Reply:
    """GET plans/list_vc2z: the high-frequency plans. No parameters."""
    return _plans(call, "vc2z")


def regions_list(call: Call) -> Reply:
    """GET regions/list: DCID → region. Ignores ``availability``."""
    return keyed_reply({str(dcid): region for dcid, region in call.backend.catalog.regions.items()})


def _availability(call: Call, plan_type: str | None) -> Reply:
    dcid = call.int_param("DCID")
    if dcid is None or dcid not in call.backend.catalog.regions:
        raise ApiFailure(INVALID_DCID)
    return json_reply(call.backend.catalog.available_plans(dcid, plan_type))


def regions_availability(call: Call) -> Reply:
    """GET regions/availability: array of VPSPLANIDs (ints) orderable in ``DCID``; optional ``type``."""
    return _availability(call, call.param("type") or None)


def regions_availability_vc2(call: Call) -> Reply:
    """GET regions/availability_vc2: SSD plans orderable in ``DCID``."""
    return _availability(call, "vc2")


def regions_availability_vdc2(call: Call) -> Reply:
    """GET regions/availability_vdc2: dedicated plans orderable in ``DCID``."""
    return _availability(call, "vdc2")


def app_list(call: Call) -> Reply:
    """GET app/list: APPID → application. No parameters."""
    return keyed_reply({str(appid): app for appid, app in call.backend.catalog.apps.items()})


def iso_list(call: Call) -> Reply:
    """GET iso/list: ISOID → ISO (ISOID and size JSON numbers). No parameters."""
    return keyed_reply({str(isoid): iso for isoid, iso in call.backend.catalog.isos.items()})
