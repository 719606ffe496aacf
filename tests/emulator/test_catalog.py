"""Public catalog and account endpoints: shapes, order and the type quirks of the live API."""

from __future__ import annotations

import json

from tests.emulator.conftest import Api

FIXTURES = "/work/shared/fixtures/"


def test_os_list_has_numeric_osids_special_images_and_newer_releases(api: Api) -> None:
    oses = api.ok(api.get("os/list"))
    assert oses["387"] == {
        "OSID": 387,
        "name": "Ubuntu 20.04 x64",
        "arch": "x64",
        "family": "ubuntu",
        "windows": False,
    }
    names = {entry["name"]: osid for osid, entry in oses.items()}
    assert names["Ubuntu 22.04 x64"] == "1743"
    assert names["Debian 11 x64 (bullseye)"] == "477"
    assert names["Debian 12 x64 (bookworm)"] == "2136"
    assert names["Rocky Linux 9 x64"] == "1869"
    assert {oses[i]["name"] for i in ("159", "164", "180", "186")} == {
        "Custom",
        "Snapshot",
        "Backup",
        "Application",
    }
    assert oses["240"]["windows"] is True
    assert list(oses)[:3] == ["127", "147", "167"]  # the service's own order, not numeric


def test_plans_list_matches_the_2020_recording_and_filters_by_type(api: Api) -> None:
    plans = api.ok(api.get("plans/list"))
    with open(FIXTURES + "plans_list.json") as fixture:
        assert plans == json.load(fixture)
    assert all(isinstance(dcid, int) for dcid in plans["201"]["available_locations"])
    dedicated = api.ok(api.get("plans/list", type="vdc2"))
    assert set(dedicated) == {"115", "116", "117", "118"}
    assert set(api.ok(api.get("plans/list_vc2z"))) == {str(p) for p in range(400, 407)}
    assert set(api.ok(api.get("plans/list", type="all"))) == set(plans)


def test_regions_list_and_availability(api: Api) -> None:
    regions = api.ok(api.get("regions/list"))
    with open(FIXTURES + "regions_list.json") as fixture:
        assert regions == json.load(fixture)
    available = api.ok(api.get("regions/availability", DCID=12))
    assert 208 in available and all(isinstance(p, int) for p in available)
    assert api.get("regions/availability", DCID=34).text == "[]"
    assert api.ok(api.get("regions/availability_vdc2", DCID=1)) == [115, 116, 117, 118]
    bad = api.get("regions/availability", DCID=999)
    assert bad.status_code == 412 and bad.text.startswith("Invalid datacenter.  ")


def test_iso_list_needs_a_key_and_has_numeric_ids_and_sizes(api: Api) -> None:
    assert api.get("iso/list", key=None).status_code == 403
    isos = api.ok(api.get("iso/list"))
    assert isos["24"]["ISOID"] == 24 and isinstance(isos["24"]["size"], int)


def test_app_list_account_info_and_auth_info(api: Api, active_server: str) -> None:
    apps = api.ok(api.get("app/list"))
    assert apps["1"]["APPID"] == "1" and apps["1"]["surcharge"] == 0
    account = api.ok(api.get("account/info"))
    assert list(account) == ["balance", "pending_charges", "last_payment_date", "last_payment_amount"]
    assert all(isinstance(value, str) for value in account.values())
    auth = api.ok(api.get("auth/info"))
    assert "subscriptions" in auth["acls"] and auth["email"]
