"""v2 catalog lists → ``Catalog``, and resolution of manifest names that work on both APIs."""

from __future__ import annotations

import pytest

from providers.v2.wiredata import body
from vultr_state.model.live import Catalog
from vultr_state.planner.catalog import CatalogIndex, CatalogProblem, Subject
from vultr_state.providers.v2 import catalog as v2catalog
from vultr_state.providers.v2.convert import WireShapeError


@pytest.fixture(scope="module")
def recorded() -> Catalog:
    return v2catalog.catalog(
        body("regions_list.2021.json")["regions"],
        body("plans_list.2021.json")["plans"],
        body("os_list.2021.json")["os"],
        body("doc-examples/iso_list.json")["isos"],
    )


def _resolve(index: CatalogIndex, table: str, reference: str) -> tuple[str | None, list[CatalogProblem]]:
    problems: list[CatalogProblem] = []
    found = index.resolve(getattr(index, table), reference, lambda: Subject("server 'web-1'"), problems)
    return found, problems


def test_regions_resolve_by_city_and_by_code(recorded: Catalog) -> None:
    index = CatalogIndex(recorded)
    for reference in ("New Jersey", "new  jersey", "ewr", "EWR"):
        assert _resolve(index, "regions", reference) == ("ewr", [])
    ewr = next(r for r in recorded.regions if r.id == "ewr")
    assert (ewr.name, ewr.code, ewr.country) == ("New Jersey", "EWR", "US")
    assert len(recorded.regions) == 17


def test_plans_resolve_by_v2_id_and_by_the_v1_style_description(recorded: Catalog) -> None:
    index = CatalogIndex(recorded)
    assert _resolve(index, "plans", "vc2-1c-1gb") == ("vc2-1c-1gb", [])
    assert _resolve(index, "plans", "1024 MB RAM,25 GB SSD,1.00 TB BW") == ("vc2-1c-1gb", [])
    assert _resolve(index, "plans", "2048 MB RAM, 55 GB SSD, 2.00 TB BW") == ("vc2-1c-2gb", [])
    plan = next(p for p in recorded.plans if p.id == "vc2-1c-1gb")
    assert "ewr" in plan.available_locations


def test_v1_numeric_plan_and_region_ids_are_refused_on_v2_saying_why(recorded: Catalog) -> None:
    index = CatalogIndex(recorded)
    expected = {
        ("plans", "201"): "plan '201' is a numeric v1 id, which this API does not use: name the plan by "
        "its id or description (e.g. '1024 MB RAM,25 GB SSD,1.00 TB BW' or 'vc2-1c-1gb')",
        ("regions", "1"): "region '1' is a numeric v1 id, which this API does not use: name the region by "
        "its city or code (e.g. 'Amsterdam' or 'ams')",
    }
    for (table, v1_id), message in expected.items():
        found, problems = _resolve(index, table, v1_id)
        assert found is None
        assert [p.message for p in problems] == [message]


def test_os_names_match_across_the_apis_spellings(recorded: Catalog) -> None:
    # v2 lists "Ubuntu 22.04 LTS x64" (id 1743) where v1 listed "Ubuntu 22.04 x64"; v2 instances show
    # "Debian 11 x64" for /os "Debian 11 x64 (bullseye)". Both spellings name the system on v2.
    ubuntu = v2catalog.catalog((), (), [{"id": 1743, "name": "Ubuntu 22.04 LTS x64", "family": "ubuntu"}])
    index = CatalogIndex(ubuntu)
    for reference in ("Ubuntu 22.04 LTS x64", "Ubuntu 22.04 x64", "ubuntu  22.04 x64"):
        assert _resolve(index, "oses", reference) == ("1743", [])
    index = CatalogIndex(recorded)
    assert _resolve(index, "oses", "Debian 11 x64") == ("477", [])
    found, problems = _resolve(index, "oses", "Debian 11 x32")
    assert found is None and "unknown OS 'Debian 11 x32'" in problems[0].message


def test_a_loose_os_name_two_systems_share_names_neither() -> None:
    both = v2catalog.catalog(
        (),
        (),
        [
            {"id": 1, "name": "Demo 1 x64 (alpha)", "family": "demo"},
            {"id": 2, "name": "Demo 1 LTS x64", "family": "demo"},
        ],
    )
    index = CatalogIndex(both)
    assert _resolve(index, "oses", "Demo 1 LTS x64") == ("2", [])
    found, problems = _resolve(index, "oses", "Demo 1 x64")
    assert found is None and problems


def test_plan_descriptions_follow_the_v1_catalog_names() -> None:
    # The v1 emulator's names for the same sizes (vultr_state/emulator/data/plans.json).
    assert v2catalog.plan_description({"ram": 1024, "disk": 25, "bandwidth": 1024}) == (
        "1024 MB RAM,25 GB SSD,1.00 TB BW"
    )
    assert v2catalog.plan_description({"ram": 16384, "disk": 110, "disk_count": 2, "bandwidth": 20480}) == (
        "16384 MB RAM,2x110 GB SSD,20.00 TB BW"
    )
    with pytest.raises(WireShapeError):
        v2catalog.plan_description({"ram": "1024", "disk": 25, "bandwidth": 1024})


def test_every_recorded_plan_gets_a_description(recorded: Catalog) -> None:
    assert len(recorded.plans) == 21
    assert all(p.name.endswith(" TB BW") and " MB RAM," in p.name for p in recorded.plans)


def test_os_by_its_list_name_and_by_id_and_pseudo_systems_are_left_out(recorded: Catalog) -> None:
    index = CatalogIndex(recorded)
    assert _resolve(index, "oses", "Debian 11 x64 (bullseye)") == ("477", [])
    assert _resolve(index, "oses", "477") == ("477", [])
    ids = [o.id for o in recorded.oses]
    assert ids == sorted(ids, key=int)
    assert not {"159", "164", "180", "186"} & set(ids)
    found, problems = _resolve(index, "oses", "Snapshot")
    assert found is None and problems


def test_the_instance_os_name_differs_but_the_id_matches(recorded: Catalog) -> None:
    instance = body("instance_get.2021.json")["instance"]
    listed = {o.id: o.name for o in recorded.oses}
    assert instance["os"] != listed[str(instance["os_id"])]
    assert listed[str(instance["os_id"])].startswith(instance["os"])


def test_paged_os_lists_give_the_same_catalog_as_one_page(recorded: Catalog) -> None:
    pages = [body(f"os_list.page{n}.2021.json") for n in (1, 2, 3)]
    assert [p["meta"]["total"] for p in pages] == [30, 30, 30]
    paged = v2catalog.catalog((), (), [item for page in pages for item in page["os"]])
    assert paged.oses == recorded.oses


def test_isos_resolve_by_filename(recorded: Catalog) -> None:
    index = CatalogIndex(recorded)
    iso = recorded.isos[0]
    assert _resolve(index, "isos", iso.filename) == (iso.id, [])


def test_documented_catalog_bodies_convert() -> None:
    documented = v2catalog.catalog(
        body("doc-examples/regions_list.json")["regions"],
        body("doc-examples/plans_list.json")["plans"],
        body("doc-examples/os_list.json")["os"],
    )
    assert documented.regions and documented.plans and documented.oses


@pytest.mark.parametrize(
    "bad",
    [{"id": "ewr", "city": 3}, {"city": "Nowhere"}, ["ewr"]],
)
def test_malformed_region_items_are_shape_errors(bad: object) -> None:
    with pytest.raises(WireShapeError):
        v2catalog.region(bad)  # type: ignore[arg-type]


def test_plan_prices_are_kept_and_odd_ones_dropped(recorded: Catalog) -> None:
    prices = {p.id: p.monthly_cost for p in recorded.plans}
    assert prices["vc2-1c-1gb"] == 5.0 and prices["vc2-1c-2gb"] == 10.0
    base = {"id": "x", "ram": 1024, "disk": 25, "bandwidth": 1024}
    assert v2catalog.plan(dict(base, monthly_cost=2.5)).monthly_cost == 2.5  # fractional (Brazil)
    for odd in (None, "5", -1, float("nan"), True):
        assert v2catalog.plan(dict(base, monthly_cost=odd)).monthly_cost is None
