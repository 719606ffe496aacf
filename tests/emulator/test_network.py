"""IPv4/IPv6 addresses, private networking and reverse DNS rules."""

from __future__ import annotations

import ipaddress

from tests.emulator.conftest import Api

INVALID_IP = "Invalid IP address"
INVALID_SERVER = "Invalid server.  Check SUBID value and ensure your API key matches the server's account"


def _server(api: Api, subid: str) -> dict:
    return api.ok(api.get("server/list", SUBID=subid))


def test_list_ipv4_with_secondary_private_and_default_reverse(api: Api, active_server: str) -> None:
    created = api.ok(api.post("server/create_ipv4", SUBID=active_server, reboot="no"))
    entries = api.ok(api.get("server/list_ipv4", SUBID=active_server, public_network="yes"))[active_server]
    main, secondary, private = entries
    assert main["type"] == "main_ip" and main["reverse"] == f"{main['ip']}.vultr.com" and main["mac_address"]
    assert (secondary["ip"], secondary["type"]) == (created["ipv4"], "secondary_ip")
    assert (private["type"], private["reverse"]) == ("private", "")
    assert private["ip"] == _server(api, active_server)["internal_ip"]
    assert api.post("server/destroy_ipv4", SUBID=active_server, ip="10.0.0.1").text == INVALID_IP
    api.ok(api.post("server/destroy_ipv4", SUBID=active_server, ip=created["ipv4"]))
    assert len(api.ok(api.get("server/list_ipv4", SUBID=active_server))[active_server]) == 2


def test_list_ipv6_and_reverse_lists_are_empty_arrays_without_ipv6(api: Api, clock) -> None:
    subid = api.create_server()
    clock.advance(60)
    assert api.get("server/list_ipv6", SUBID=subid).text == "[]"
    assert api.get("server/reverse_list_ipv6", SUBID=subid).text == "[]"
    api.ok(api.post("server/ipv6_enable", SUBID=subid))
    (entry,) = api.ok(api.get("server/list_ipv6", SUBID=subid))[subid]
    assert (entry["network_size"], entry["type"]) == ("64", "main_ip")
    assert ipaddress.ip_address(entry["ip"]) in ipaddress.ip_network("2001:db8::/32")
    assert api.ok(api.get("server/reverse_list_ipv6", SUBID=subid)) == {subid: []}


def test_reverse_ipv4_set_and_default(api: Api, active_server: str) -> None:
    main_ip = _server(api, active_server)["main_ip"]
    api.ok(api.post("server/reverse_set_ipv4", SUBID=active_server, ip=main_ip, entry="web-1.example.com"))
    (main, _private) = api.ok(api.get("server/list_ipv4", SUBID=active_server))[active_server]
    assert main["reverse"] == "web-1.example.com"
    api.ok(api.post("server/reverse_default_ipv4", SUBID=active_server, ip=main_ip))
    (main, _private) = api.ok(api.get("server/list_ipv4", SUBID=active_server))[active_server]
    assert main["reverse"] == f"{main_ip}.vultr.com"


def test_reverse_calls_validate_the_ip_before_the_subid(api: Api, active_server: str) -> None:
    for endpoint in ("reverse_set_ipv4", "reverse_default_ipv4", "reverse_set_ipv6", "reverse_delete_ipv6"):
        response = api.post(f"server/{endpoint}", SUBID=1, ip="no", entry="x")
        assert (response.status_code, response.text) == (412, INVALID_IP)
    assert api.post("server/reverse_set_ipv4", SUBID=1, ip="192.0.2.200", entry="x").text == INVALID_SERVER
    not_owned = api.post("server/reverse_set_ipv4", SUBID=active_server, ip="203.0.113.250", entry="x")
    assert not_owned.text == INVALID_IP
    v6_for_v4 = api.post("server/reverse_set_ipv4", SUBID=active_server, ip="2001:db8::1", entry="x")
    assert v6_for_v4.text == INVALID_IP


def test_reverse_ipv6_set_list_delete_inside_the_servers_64(api: Api, active_server: str) -> None:
    network = _server(api, active_server)["v6_network"]
    inside = network + "101"
    api.ok(api.post("server/reverse_set_ipv6", SUBID=active_server, ip=inside, entry="host1.example.com"))
    api.ok(api.post("server/reverse_set_ipv6", SUBID=active_server, ip=inside, entry="host2.example.com"))
    listed = api.ok(api.get("server/reverse_list_ipv6", SUBID=active_server))
    assert listed == {active_server: [{"ip": inside, "reverse": "host2.example.com"}]}
    outside = api.post("server/reverse_set_ipv6", SUBID=active_server, ip="2001:db8:ffff:ffff::1", entry="x")
    assert outside.text == INVALID_IP
    expanded = ipaddress.ip_address(inside).exploded
    api.ok(api.post("server/reverse_delete_ipv6", SUBID=active_server, ip=expanded))
    assert api.ok(api.get("server/reverse_list_ipv6", SUBID=active_server)) == {active_server: []}


def test_addresses_are_not_usable_while_pending(api: Api) -> None:
    subid = api.create_server(enable_ipv6="yes")
    assert api.ok(api.get("server/list_ipv4", SUBID=subid)) == {subid: []}
    assert api.get("server/list_ipv6", SUBID=subid).text == "[]"
    assert api.post("server/reverse_set_ipv4", SUBID=subid, ip="192.0.2.2", entry="x").text == INVALID_IP


def test_private_network_enable_disable_and_list(api: Api, clock) -> None:
    subid = api.create_server()
    clock.advance(60)
    assert api.get("server/private_networks", SUBID=subid).text == "[]"
    api.ok(api.post("server/private_network_enable", SUBID=subid))
    networks = api.ok(api.get("server/private_networks", SUBID=subid))
    (network,) = networks.values()
    assert network["ip_address"].startswith("10.1.96.") and network["NETWORKID"].startswith("net")
    api.ok(api.post("server/private_network_disable", SUBID=subid))
    assert _server(api, subid)["internal_ip"] == ""
    assert api.get("network/list").text == "[]"
