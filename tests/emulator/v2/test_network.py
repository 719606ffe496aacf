"""v2 instance addresses and reverse DNS: IPv4 list with readable reverse, default name, set/reset,
secondary addresses, IPv6 list and reverse entries, and the sub-resource error bodies."""

from __future__ import annotations

from tests.emulator.v2.conftest import V2, recorded
from vultr_state.emulator import ManualClock


def test_ipv4_list_shows_the_default_reverse_then_the_set_one(v2: V2, active_instance: dict) -> None:
    path = f"/instances/{active_instance['id']}/ipv4"
    listed = v2.ok(v2.get(path))
    main = listed["ipv4s"][0]
    assert list(main) == list(recorded("doc-examples/instance_ipv4_list.json")["ipv4s"][0])
    assert main["type"] == "main_ip" and main["reverse"] == f"{main['ip']}.vultrusercontent.com"
    assert listed["ipv4s"][-1]["type"] == "private" and listed["meta"]["total"] == 2
    v2.ok(v2.post(path + "/reverse", {"ip": main["ip"], "reverse": "web-1.example.com"}), 204)
    assert v2.ok(v2.get(path))["ipv4s"][0]["reverse"] == "web-1.example.com"
    v2.ok(v2.post(path + "/reverse/default", {"ip": main["ip"]}), 204)
    assert v2.ok(v2.get(path))["ipv4s"][0]["reverse"] == f"{main['ip']}.vultrusercontent.com"


def test_ipv4_public_network_adds_the_mac_address(v2: V2, active_instance: dict) -> None:
    main = v2.ok(v2.get(f"/instances/{active_instance['id']}/ipv4", params={"public_network": "true"}))[
        "ipv4s"
    ][0]
    assert main["mac_address"].startswith("56:00:")


def test_addresses_are_empty_while_pending(v2: V2) -> None:
    instance_id = v2.create_instance(enable_ipv6=True)["id"]
    assert v2.ok(v2.get(f"/instances/{instance_id}/ipv4"))["ipv4s"] == []
    assert v2.ok(v2.get(f"/instances/{instance_id}/ipv6"))["ipv6s"] == []


def test_secondary_ipv4_create_and_delete(v2: V2, active_instance: dict) -> None:
    path = f"/instances/{active_instance['id']}/ipv4"
    added = v2.ok(v2.post(path, {"reboot": False}), 202)["ipv4"]
    assert added["type"] == "secondary_ip"
    assert [e["ip"] for e in v2.ok(v2.get(path))["ipv4s"]].count(added["ip"]) == 1
    v2.ok(v2.delete(f"{path}/{added['ip']}"), 204)
    assert added["ip"] not in [e["ip"] for e in v2.ok(v2.get(path))["ipv4s"]]
    main_ip = v2.ok(v2.get(path))["ipv4s"][0]["ip"]
    assert v2.delete(f"{path}/{main_ip}").status_code == 400


def test_reverse_of_a_foreign_or_malformed_address_is_400(v2: V2, active_instance: dict) -> None:
    path = f"/instances/{active_instance['id']}"
    for ip in ("203.0.113.250", "not-an-ip", "2001:db8::1"):
        response = v2.post(path + "/ipv4/reverse", {"ip": ip, "reverse": "x.example.com"})
        assert (response.status_code, response.json()["error"]) == (400, "Invalid IP address.")
    foreign = v2.post(path + "/ipv6/reverse", {"ip": "2001:db8:ffff::1", "reverse": "x.example.com"})
    assert foreign.status_code == 400


def test_reverse_on_an_unknown_instance_is_the_recorded_404(v2: V2) -> None:
    response = v2.post(
        "/instances/3f2a9c10-0999-4000-8000-000000000000/ipv4/reverse", {"ip": "192.0.2.2", "reverse": "x"}
    )
    assert response.status_code == 404
    assert response.json() == recorded("404_instance_subresource_invalid_instance-id.2022.json")


def test_ipv6_list_and_reverse_entries_as_written(v2: V2, active_instance: dict) -> None:
    path = f"/instances/{active_instance['id']}"
    ipv6 = v2.ok(v2.get(path + "/ipv6"))
    entry = ipv6["ipv6s"][0]
    assert list(entry) == ["ip", "network", "network_size", "type"] and entry["network_size"] == 64
    instance = v2.ok(v2.get(path))["instance"]
    assert (instance["v6_main_ip"], instance["v6_network"]) == (entry["ip"], entry["network"])
    assert instance["features"] == ["ipv6"]
    expanded = entry["network"].rstrip(":") + ":0000:0000:0000:0abc"
    v2.ok(v2.post(path + "/ipv6/reverse", {"ip": expanded, "reverse": "v6.example.com"}), 204)
    assert v2.ok(v2.get(path + "/ipv6/reverse")) == {
        "reverse_ipv6s": [{"ip": expanded, "reverse": "v6.example.com"}]
    }
    short = expanded.replace("0000:0000:0000:0abc", ":abc").replace(":::", "::")
    v2.ok(v2.post(path + "/ipv6/reverse", {"ip": expanded, "reverse": "again.example.com"}), 204)
    assert len(v2.ok(v2.get(path + "/ipv6/reverse"))["reverse_ipv6s"]) == 1
    v2.ok(v2.delete(f"{path}/ipv6/reverse/{short}"), 204)
    assert v2.ok(v2.get(path + "/ipv6/reverse")) == {"reverse_ipv6s": []}


def test_instance_without_ipv6_has_no_v6_fields(v2: V2, clock: ManualClock) -> None:
    instance = v2.create_instance()
    clock.advance(60)
    got = v2.ok(v2.get(f"/instances/{instance['id']}"))["instance"]
    assert (got["v6_network"], got["v6_main_ip"], got["v6_network_size"]) == ("", "", 0)
    assert v2.ok(v2.get(f"/instances/{instance['id']}/ipv6"))["ipv6s"] == []
