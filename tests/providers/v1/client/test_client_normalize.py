"""Normalisation of recorded v1 bodies (``wire/`` beside this file, copied from real recordings) and of
every quirk.

Each test feeds a real or documented body through the same functions the client uses and checks the clean
shape: ids as str, "no address" as None, [] as {}, amounts as str, v6_networks always a list.
"""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from vultr_state.providers.v1.client import normalize
from vultr_state.providers.v1.client.normalize import ShapeError
from vultr_state.providers.v1.client.servers import SERVER_DEFAULTS

WIRE = Path(__file__).parent / "wire"


def wire(name: str):
    return normalize.parse_json((WIRE / name).read_text())


def servers(name: str) -> dict[str, dict]:
    return normalize.keyed(wire(name), "SUBID", defaults=SERVER_DEFAULTS)


@pytest.mark.parametrize(
    "name", ["server_list.json", "server_list.2014.json", "server_list.pending.2018.json"]
)
def test_server_records_have_clean_types(name):
    result = servers(name)
    assert result
    for subid, server in result.items():
        assert server["SUBID"] == subid
        for field in normalize.ID_FIELDS & server.keys():
            assert isinstance(server[field], str), field
        for field in ("main_ip", "v6_main_ip", "v6_network", "internal_ip", "gateway_v4"):
            assert server.get(field) is None or server[field] not in normalize.NO_ADDRESS
        assert isinstance(server["v6_networks"], list)
        assert isinstance(server["current_bandwidth_gb"], str)


def test_2020_pending_server_v6_main_ip_false_becomes_none():
    pending = [s for s in servers("server_list.json").values() if s["status"] == "pending"]
    assert pending and pending[0]["v6_main_ip"] is None and pending[0]["v6_network"] is None


def test_2014_server_without_v6_networks_gets_an_empty_list_and_no_v6_network():
    server = servers("server_list.2014.json")["1"]
    assert server["v6_network"] is None and server["v6_main_ip"] is None and server["v6_networks"] == []
    assert server["current_bandwidth_gb"] == "0.929"
    assert server["kvm_url"].startswith("https://my.vultr.com/")


def test_2018_pending_server_empty_strings_become_none():
    server = servers("server_list.pending.2018.json")["19913110"]
    assert server["internal_ip"] is None and server["v6_main_ip"] is None
    assert server["main_ip"] == "209.250.240.159" and server["default_password"] == ""


def test_empty_collection_is_an_empty_mapping():
    assert normalize.keyed(wire("server_list.empty.json"), "SUBID") == {}


def test_numeric_ids_and_amounts_become_strings():
    os_list = normalize.keyed(wire("os_list.2014.json"), "OSID")
    assert os_list["127"]["OSID"] == "127" and os_list["127"]["windows"] is False
    account = normalize.plain_object(wire("account_info.2015.json"))
    assert account["balance"] == "-15.97" and account["pending_charges"] == "2.34"
    assert normalize.new_id(wire("server_create.2022.json"), "SUBID") == "11111111"
    assert normalize.new_id(wire("server_create.json"), "SUBID") == "41326859"
    assert normalize.new_id(wire("startupscript_create.doc.json"), "SCRIPTID") == "5"
    assert normalize.new_id(wire("sshkey_create.json"), "SSHKEYID") == "5806ab4970aba"


def test_plans_keep_int_locations():
    plans = normalize.keyed(wire("plans_list.2017.json"), "VPSPLANID")
    assert all(isinstance(loc, int) for plan in plans.values() for loc in plan["available_locations"])
    assert plans["201"]["price_per_month"] == "5.00"
    assert normalize.record({"available_locations": ["1", 2]})["available_locations"] == [1, 2]


def test_int_lists_accept_numbers_and_numeric_strings():
    assert normalize.int_list(wire("regions_availability.2015.json")) == [29, 30, 3, 27, 28, 11, 13, 81]
    assert normalize.int_list(["29", 41.0, -1]) == [29, 41, -1]
    for bad in (["1.5"], [True], "29", [None], ["--5"], ["²"]):
        with pytest.raises(ShapeError):
            normalize.int_list(bad)


def test_ip_entries_are_unwrapped_and_gateway_blank_becomes_none():
    entries = normalize.entries(wire("server_list_ipv4.doc.json"))
    assert [e["type"] for e in entries] == ["main_ip", "secondary_ip", "private"]
    assert entries[0]["gateway"] == "123.123.123.1" and entries[1]["gateway"] is None
    assert normalize.entries([]) == [] and normalize.entries({}) == []


def test_bandwidth_bytes_become_ints():
    usage = normalize.bandwidth(wire("server_bandwidth.doc.json"))
    assert usage["incoming_bytes"][0] == ("2014-06-10", 81072581)
    assert normalize.bandwidth([]) == {}


def test_single_server_unwrapped_or_wrapped():
    one = json.loads((WIRE / "server_list.pending.2018.json").read_text())["19913110"]
    assert normalize.single(one, "SUBID", "19913110")["SUBID"] == "19913110"
    wrapped = {"19913110": {k: v for k, v in one.items() if k != "SUBID"}}
    assert normalize.single(wrapped, "SUBID", "19913110")["SUBID"] == "19913110"
    with pytest.raises(ShapeError):
        normalize.single([], "SUBID", "1")


@pytest.mark.parametrize("value", [False, None, "", "0", "0.0.0.0", "::", " "])
def test_every_spelling_of_no_address(value):
    assert normalize.to_address(value) is None


def test_optional_ipv4_of_create_ipv4():
    assert normalize.optional_address(None, "ipv4") is None
    assert normalize.optional_address({"ipv4": "123.123.123.124"}, "ipv4") == "123.123.123.124"


@pytest.mark.parametrize(
    "body",
    ["", "{", "NaN", "[1, Infinity]", "[" * 100_000 + "]" * 100_000, '{"a": 1}{"b": 2}'],
)
def test_unparseable_bodies_raise_shape_error(body):
    with pytest.raises(ShapeError):
        normalize.parse_json(body)


@pytest.mark.parametrize(
    "data, id_field",
    [
        ([{"SUBID": "1"}], "SUBID"),
        ("text", "SUBID"),
        ({"1": "not an object"}, "SUBID"),
        ({"1": {"SUBID": {"nested": 1}}}, "SUBID"),
        ({"1": {"main_ip": 127}}, "SUBID"),
        ({"1": {"v6_networks": "x"}}, "SUBID"),
        ({"1": {"cost_per_month": True}}, "SUBID"),
        ({"1": {"OSID": 1.5}}, "OSID"),
    ],
)
def test_wrong_shapes_raise_shape_error(data, id_field):
    with pytest.raises(ShapeError):
        normalize.keyed(data, id_field)


def test_auth_info_acls_checked():
    assert normalize.auth_info({"acls": ["billing"], "email": "e", "name": "n"})["acls"] == ["billing"]
    with pytest.raises(ShapeError):
        normalize.auth_info({"acls": "billing"})
