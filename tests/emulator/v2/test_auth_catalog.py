"""v2 authentication (Bearer, 401 body as recorded), routing errors and the public catalog against the
recorded bodies (regions, plans, availability, the three recorded /os pages and their cursors)."""

from __future__ import annotations

import json

import pytest

from tests.emulator.v2.conftest import V2, recorded


@pytest.mark.parametrize("key", [None, "", "WRONG-KEY"])
def test_missing_empty_or_wrong_key_is_the_recorded_401(v2: V2, key: str | None) -> None:
    response = v2.get("/instances", key=key)
    assert response.status_code == 401
    assert response.headers["Content-Type"] == "application/json"
    assert response.content == b'{"error":"Invalid API token.","status":401}'
    assert response.json() == recorded("401_invalid_api_token.json")


def test_v1_style_key_header_is_not_v2_auth(v2: V2) -> None:
    response = v2.get("/account", key=None, headers={"API-Key": v2.key})
    assert response.status_code == 401


@pytest.mark.parametrize("path", ["/regions", "/plans", "/os", "/applications", "/regions/ams/availability"])
def test_public_catalog_works_with_without_and_with_a_bad_key(v2: V2, path: str) -> None:
    bodies = {json.dumps(v2.ok(v2.get(path, key=key))) for key in (None, "default", "WRONG", "")}
    assert len(bodies) == 1


def test_account_amounts_are_numbers(v2: V2) -> None:
    account = v2.ok(v2.get("/account"))["account"]
    assert list(account) == list(recorded("doc-examples/account_get.json")["account"])
    assert isinstance(account["balance"], float) and isinstance(account["pending_charges"], float)
    assert isinstance(account["acls"], list)


def test_unknown_path_and_wrong_method_answer_json_errors(v2: V2) -> None:
    missing = v2.get("/no-such-thing")
    assert (missing.status_code, missing.json()) == (404, {"error": "Not found.", "status": 404})
    wrong = v2.put("/instances", {})
    assert wrong.status_code == 405 and wrong.headers["Content-Type"] == "application/json"
    assert wrong.json()["status"] == 405


def test_regions_plans_and_availability_are_the_recorded_bodies(v2: V2) -> None:
    assert v2.ok(v2.get("/regions")) == recorded("regions_list.2021.json")
    assert v2.ok(v2.get("/plans")) == recorded("plans_list.2021.json")
    assert v2.ok(v2.get("/regions/ams/availability")) == recorded("regions_availability.2021.json")


def test_os_pages_reproduce_the_recorded_cursors(v2: V2) -> None:
    page1 = v2.ok(v2.get("/os", params={"per_page": 10}))
    expected1 = recorded("os_list.page1.2021.json")
    assert page1["os"] == expected1["os"]
    assert page1["meta"]["links"] == expected1["meta"]["links"]
    page2 = v2.ok(v2.get("/os", params={"per_page": 10, "cursor": page1["meta"]["links"]["next"]}))
    expected2 = recorded("os_list.page2.2021.json")
    assert page2["os"] == expected2["os"]
    assert page2["meta"]["links"] == expected2["meta"]["links"]
    page3 = v2.ok(v2.get("/os", params={"per_page": 10, "cursor": page2["meta"]["links"]["next"]}))
    expected3 = recorded("os_list.page3.2021.json")
    # The emulator adds Ubuntu 22.04 (id 1743) and Debian 12 (2136) after the recorded 30: the last
    # recorded page is full, so a fourth page holds them, and every page counts 32.
    assert page3["os"] == expected3["os"]
    assert page3["meta"]["links"]["prev"] == expected3["meta"]["links"]["prev"]
    assert {page1["meta"]["total"], page2["meta"]["total"], page3["meta"]["total"]} == {32}
    back = v2.ok(v2.get("/os", params={"per_page": 10, "cursor": page2["meta"]["links"]["prev"]}))
    assert back["os"] == expected1["os"]


def test_os_list_holds_the_recorded_entries_and_ids_are_integers(v2: V2) -> None:
    listed = v2.ok(v2.get("/os"))["os"]
    assert listed[:30] == recorded("os_list.2021.json")["os"]
    assert all(isinstance(entry["id"], int) for entry in listed)


def test_plan_type_filter_and_availability_type(v2: V2) -> None:
    plans = v2.ok(v2.get("/plans", params={"type": "vhf"}))["plans"]
    assert plans and {plan["type"] for plan in plans} == {"vhf"}
    available = v2.ok(v2.get("/regions/ams/availability", params={"type": "vc2"}))["available_plans"]
    assert available and all(plan.startswith("vc2-") for plan in available)


def test_unknown_region_availability_is_404(v2: V2) -> None:
    response = v2.get("/regions/zzz/availability")
    assert response.status_code == 404 and response.json()["status"] == 404


def test_applications_filter_by_type(v2: V2) -> None:
    apps = v2.ok(v2.get("/applications", params={"type": "marketplace"}))["applications"]
    assert [app["type"] for app in apps] == ["marketplace"]
    assert v2.ok(v2.get("/applications"))["meta"]["total"] == 2
