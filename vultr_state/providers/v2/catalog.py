"""v2 catalog lists (``/regions``, ``/plans``, ``/os``, ``/iso``) → the neutral ``Catalog``.

Called by the v2 provider's reader once per plan. The entries are shaped so that the names a manifest
uses resolve the same way on both APIs (the planner's catalog index matches an id exactly, a name with
case and spacing folded):

- a region's id is its code (``"ewr"``), its name the city (``"New Jersey"``), and its code the
  upper-case id as v1 spelt it (``"EWR"``), so "New Jersey", "ewr" and "EWR" all name it;
- a plan's id is the v2 id (``"vc2-1c-1gb"``) and its name the v1-style description derived from its
  size (``"1024 MB RAM,25 GB SSD,1.00 TB BW"``; ``2x110 GB SSD`` for several disks), so a v1 manifest's
  plan name keeps working. Two v2 plans of one size share a description; entries are sorted by id and
  the index keeps the first (``vc2-…`` before ``vhf-…``), so the description names the plain plan;
- an OS keeps its integer id as text and its ``/os`` name (instances show shorter names, e.g.
  "Debian 11 x64" for ``/os`` "Debian 11 x64 (bullseye)": the planner compares ``os_id``, never names).
  The pseudo systems (families ``iso``, ``snapshot``, ``backup``, ``application``: ids 159, 164, 180,
  186) are left out: v2 boots those from ``iso_id``/``snapshot_id``/``app_id``, never from an ``os_id``;
- a plan's ``monthly_cost`` (USD, a JSON number that is fractional for some plans) is kept as its price;
- an ISO is named by its filename.
"""

from __future__ import annotations

import math
from collections.abc import Iterable, Mapping
from typing import Any

from vultr_state.model.live import Catalog, CatalogIso, CatalogOs, CatalogPlan, CatalogRegion
from vultr_state.providers.v2.convert import WireShapeError

PSEUDO_OS_FAMILIES = frozenset({"iso", "snapshot", "backup", "application"})


def region(record: Mapping[str, Any]) -> CatalogRegion:
    """A ``/regions`` item as a ``CatalogRegion`` (id = code, name = city)."""
    region_id = _id_text(record, "region")
    return CatalogRegion(
        id=region_id, name=_text(record, "city"), code=region_id.upper(), country=_text(record, "country")
    )


def plan_description(record: Mapping[str, Any]) -> str:
    """The v1-style name of a ``/plans`` item: ``"<ram> MB RAM,<disk> GB SSD,<TB>.2f TB BW"``.

    ``bandwidth`` is in GB (1024 per TB); a plan with several disks shows ``<count>x<disk>``.

    Raises:
        WireShapeError: ``ram``, ``disk`` or ``bandwidth`` is missing or not an integer.
    """
    ram = _int(record, "ram")
    disk = _int(record, "disk")
    bandwidth = _int(record, "bandwidth")
    count = _int(record, "disk_count", default=1)
    disks = f"{count}x{disk}" if count > 1 else f"{disk}"
    return f"{ram} MB RAM,{disks} GB SSD,{bandwidth / 1024:.2f} TB BW"


def plan(record: Mapping[str, Any]) -> CatalogPlan:
    """A ``/plans`` item as a ``CatalogPlan`` (id = v2 id, name = v1-style description)."""
    locations = record.get("locations") or []
    if not isinstance(locations, list) or not all(isinstance(x, str) for x in locations):
        raise WireShapeError("plan 'locations' is not a list of region ids")
    return CatalogPlan(
        id=_id_text(record, "plan"),
        name=plan_description(record),
        available_locations=tuple(locations),
        monthly_cost=_price(record, "monthly_cost"),
        family=_text(record, "type"),
        disk_gb=_int(record, "disk"),
    )


def operating_system(record: Mapping[str, Any]) -> CatalogOs | None:
    """An ``/os`` item as a ``CatalogOs``; None for the pseudo systems v2 does not boot by ``os_id``."""
    family = _text(record, "family")
    if family in PSEUDO_OS_FAMILIES:
        return None
    return CatalogOs(id=_id_text(record, "OS"), name=_text(record, "name"), family=family)


def iso(record: Mapping[str, Any]) -> CatalogIso:
    """An ``/iso`` item as a ``CatalogIso`` (named by filename)."""
    return CatalogIso(
        id=_id_text(record, "ISO"), filename=_text(record, "filename"), status=_text(record, "status")
    )


def catalog(
    regions: Iterable[Mapping[str, Any]],
    plans: Iterable[Mapping[str, Any]],
    oses: Iterable[Mapping[str, Any]],
    isos: Iterable[Mapping[str, Any]] = (),
) -> Catalog:
    """The whole catalog from the items of the four lists (``assemble`` of their conversions).

    Raises:
        WireShapeError: an item does not have its endpoint's shape.
    """
    return assemble(map(region, regions), map(plan, plans), map(operating_system, oses), map(iso, isos))


def assemble(
    regions: Iterable[CatalogRegion],
    plans: Iterable[CatalogPlan],
    oses: Iterable[CatalogOs | None],
    isos: Iterable[CatalogIso] = (),
) -> Catalog:
    """The catalog of converted entries, every collection sorted by id (the pseudo systems, None, left
    out). The reader converts each list page by page as it arrives."""
    systems = [entry for entry in oses if entry is not None]
    return Catalog(
        regions=tuple(sorted(regions, key=lambda e: e.id)),
        plans=tuple(sorted(plans, key=lambda e: e.id)),
        oses=tuple(sorted(systems, key=lambda e: (len(e.id), e.id))),
        isos=tuple(sorted(isos, key=lambda e: e.id)),
    )


def _require_object(record: Any, what: str) -> None:
    if not isinstance(record, Mapping):
        raise WireShapeError(f"expected a {what} object, got {type(record).__name__}")


def _id_text(record: Mapping[str, Any], what: str) -> str:
    _require_object(record, what)
    value = record.get("id")
    if isinstance(value, bool) or not isinstance(value, str | int) or value == "":
        raise WireShapeError(f"{what} object has no 'id'")
    return str(value)


def _text(record: Mapping[str, Any], name: str) -> str:
    value = record.get(name)
    if value is None:
        return ""
    if not isinstance(value, str):
        raise WireShapeError(f"field {name!r} is not a string")
    return value


def _price(record: Mapping[str, Any], name: str) -> float | None:
    """A price (a JSON number, fractional for some plans), or None when missing or not a finite
    non-negative number."""
    value = record.get(name)
    if isinstance(value, bool) or not isinstance(value, int | float):
        return None
    return float(value) if math.isfinite(value) and value >= 0 else None


def _int(record: Mapping[str, Any], name: str, *, default: int | None = None) -> int:
    value = record.get(name)
    if value is None and default is not None:
        return default
    if isinstance(value, bool) or not isinstance(value, int):
        raise WireShapeError(f"plan field {name!r} is not an integer")
    return value
