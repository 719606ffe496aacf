"""Addresses and reverse DNS of a server: list_ipv4, create_ipv4, destroy_ipv4, list_ipv6, ipv6_enable,
private_network_enable/disable, private_networks, reverse_set_ipv4, reverse_default_ipv4,
reverse_set_ipv6, reverse_delete_ipv6, reverse_list_ipv6.

Validation order of the reverse_* calls (the live API answered ``Invalid IP address`` even for a
non-existent SUBID): the ``ip`` must first be a well-formed address of the right family, then the SUBID
must exist, then the address must belong to the server — one of its IPv4 addresses, or any address inside
its IPv6 /64 — else ``Invalid IP address``. Addresses exist only once the server is active. IPv6 entries
are matched on the address's value but listed as the client wrote them.
"""

from __future__ import annotations

import ipaddress
from dataclasses import replace

from vultr_state.emulator.core import allocate
from vultr_state.emulator.v1 import ids
from vultr_state.emulator.v1.handlers.base import Call, find_server, update_server
from vultr_state.emulator.v1.models import ServerRecord, save
from vultr_state.emulator.v1.views import NETMASK_V4, default_reverse
from vultr_state.emulator.v1.wire import INVALID_IP, ApiFailure, Reply, empty_reply, json_reply, keyed_reply


def _mac(server: ServerRecord) -> str:
    value = int(server.subid) & 0xFFFFFFFF
    return "56:00:" + ":".join(f"{(value >> shift) & 0xFF:02x}" for shift in (24, 16, 8, 0))


def _network_id(server: ServerRecord) -> str:
    return f"net{int(server.subid):013x}"


def _ipv4_reverse(server: ServerRecord, ip: str) -> str:
    return dict(server.reverse_v4).get(ip, default_reverse(ip))


def _active(call: Call, server: ServerRecord) -> bool:
    return not call.phase_of(server).pending


def server_list_ipv4(call: Call) -> Reply:
    """GET server/list_ipv4: ``{SUBID: [main, secondaries..., private]}``; ``public_network`` adds
    ``mac_address`` to the main entry. Empty list while the server is pending."""
    server = find_server(call)
    entries: list[dict[str, str]] = []
    if _active(call, server):
        main = {
            "ip": server.main_ip,
            "netmask": NETMASK_V4,
            "gateway": server.gateway_v4,
            "type": "main_ip",
            "reverse": _ipv4_reverse(server, server.main_ip),
        }
        if "public_network" in call.params:
            main["mac_address"] = _mac(server)
        entries.append(main)
        for ip in server.secondary_ips:
            entries.append(
                {
                    "ip": ip,
                    "netmask": "255.255.255.255",
                    "gateway": "",
                    "type": "secondary_ip",
                    "reverse": _ipv4_reverse(server, ip),
                }
            )
        if server.internal_ip:
            entries.append(
                {
                    "ip": server.internal_ip,
                    "netmask": "255.255.0.0",
                    "gateway": "",
                    "type": "private",
                    "reverse": "",
                }
            )
    return json_reply({server.subid: entries})


def server_create_ipv4(call: Call) -> Reply:
    """POST server/create_ipv4: ``SUBID``, ``reboot`` (default yes) → ``{"ipv4":"..."}`` (2020 shape)."""
    store = call.backend.store
    with store.transaction():
        server = find_server(call)
        ip, _ = allocate.next_ipv4(store)
        power = "running" if call.flag("reboot", default=True) else server.power_status
        save(store, replace(server, secondary_ips=(*server.secondary_ips, ip), power_status=power))
    return json_reply({"ipv4": ip})


def server_destroy_ipv4(call: Call) -> Reply:
    """POST server/destroy_ipv4: ``SUBID`` (checked first), ``ip`` (a secondary address); hard restart."""
    ip = call.param("ip")
    store = call.backend.store
    with store.transaction():
        server = find_server(call)
        if ip not in server.secondary_ips:
            raise ApiFailure(INVALID_IP)
        changes = {
            "secondary_ips": tuple(x for x in server.secondary_ips if x != ip),
            "reverse_v4": tuple(pair for pair in server.reverse_v4 if pair[0] != ip),
            "power_status": "running",
        }
        save(store, replace(server, **changes))
    return empty_reply()


def server_list_ipv6(call: Call) -> Reply:
    """GET/POST server/list_ipv6: ``{SUBID: [main]}``; ``[]`` without IPv6 or while pending."""
    server = find_server(call)
    if not server.v6_network or not _active(call, server):
        return json_reply([])
    entry = {"ip": server.v6_main_ip, "network": server.v6_network, "network_size": "64", "type": "main_ip"}
    return json_reply({server.subid: [entry]})


def server_ipv6_enable(call: Call) -> Reply:
    """POST server/ipv6_enable: assigns a /64 (no-op when already enabled)."""
    store = call.backend.store
    with store.transaction():
        server = find_server(call)
        if not server.v6_network:
            network, main = allocate.next_ipv6(store)
            save(store, replace(server, v6_network=network, v6_main_ip=main))
    return empty_reply()


def server_private_network_enable(call: Call) -> Reply:
    """POST server/private_network_enable: ``SUBID``; ignores ``NETWORKID`` (one network per server)."""
    store = call.backend.store
    with store.transaction():
        server = find_server(call)
        if not server.internal_ip:
            save(store, replace(server, internal_ip=ids.private_ipv4(server.dcid, server.subid)))
    return empty_reply()


def server_private_network_disable(call: Call) -> Reply:
    """POST server/private_network_disable: ``SUBID``; ignores ``NETWORKID``."""
    update_server(call, internal_ip="")
    return empty_reply()


def server_private_networks(call: Call) -> Reply:
    """GET server/private_networks: NETWORKID → attachment; ``[]`` without private networking."""
    server = find_server(call)
    if not server.internal_ip:
        return json_reply([])
    network_id = _network_id(server)
    return keyed_reply(
        {network_id: {"NETWORKID": network_id, "mac_address": _mac(server), "ip_address": server.internal_ip}}
    )


def _checked(call: Call, version: int) -> tuple[ServerRecord, str]:
    """The reverse_* validation order; returns the server and the ``ip`` as sent."""
    ip = call.param("ip")
    try:
        address = ipaddress.ip_address(ip)
    except ValueError:
        raise ApiFailure(INVALID_IP) from None
    if address.version != version:
        raise ApiFailure(INVALID_IP)
    server = find_server(call)
    if not _active(call, server):
        raise ApiFailure(INVALID_IP)
    if version == 4:
        owned = ip in (server.main_ip, *server.secondary_ips)
    else:
        owned = bool(server.v6_network) and address in ipaddress.ip_network(f"{server.v6_network}/64")
    if not owned:
        raise ApiFailure(INVALID_IP)
    return server, ip


def server_reverse_set_ipv4(call: Call) -> Reply:
    """POST server/reverse_set_ipv4: ``SUBID``, ``ip``, ``entry``; shown as ``reverse`` in list_ipv4."""
    with call.backend.store.transaction():
        server, ip = _checked(call, 4)
        others = tuple(pair for pair in server.reverse_v4 if pair[0] != ip)
        save(call.backend.store, replace(server, reverse_v4=(*others, (ip, call.param("entry")))))
    return empty_reply()


def server_reverse_default_ipv4(call: Call) -> Reply:
    """POST server/reverse_default_ipv4: ``SUBID``, ``ip``; back to ``<ip>.vultr.com``."""
    with call.backend.store.transaction():
        server, ip = _checked(call, 4)
        others = tuple(pair for pair in server.reverse_v4 if pair[0] != ip)
        save(call.backend.store, replace(server, reverse_v4=others))
    return empty_reply()


def _without_v6(server: ServerRecord, ip: str) -> tuple[tuple[str, str], ...]:
    target = ipaddress.ip_address(ip)
    return tuple(pair for pair in server.reverse_v6 if ipaddress.ip_address(pair[0]) != target)


def server_reverse_set_ipv6(call: Call) -> Reply:
    """POST server/reverse_set_ipv6: ``SUBID``, ``ip`` (inside the server's /64), ``entry``."""
    with call.backend.store.transaction():
        server, ip = _checked(call, 6)
        entries = (*_without_v6(server, ip), (ip, call.param("entry")))
        save(call.backend.store, replace(server, reverse_v6=entries))
    return empty_reply()


def server_reverse_delete_ipv6(call: Call) -> Reply:
    """POST server/reverse_delete_ipv6: ``SUBID``, ``ip``; deleting an absent entry is accepted."""
    with call.backend.store.transaction():
        server, ip = _checked(call, 6)
        save(call.backend.store, replace(server, reverse_v6=_without_v6(server, ip)))
    return empty_reply()


def server_reverse_list_ipv6(call: Call) -> Reply:
    """GET/POST server/reverse_list_ipv6: ``{SUBID: [{ip, reverse}...]}``; ``[]`` without IPv6 or pending."""
    server = find_server(call)
    if not server.v6_network or not _active(call, server):
        return json_reply([])
    return json_reply({server.subid: [{"ip": ip, "reverse": entry} for ip, entry in server.reverse_v6]})
