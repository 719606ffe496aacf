"""Addresses and reverse DNS of an instance: ``GET/POST /instances/{id}/ipv4``, ``DELETE …/ipv4/{ip}``,
``POST …/ipv4/reverse``, ``POST …/ipv4/reverse/default``, ``GET …/ipv6``, ``GET/POST …/ipv6/reverse``,
``DELETE …/ipv6/reverse/{ip}``.

Addresses exist once the instance is no longer pending (lists are empty before). An IPv4 reverse is read
back through the ``reverse`` field of ``GET …/ipv4`` (default ``<ip>.vultrusercontent.com``); IPv6 entries
are listed by ``GET …/ipv6/reverse`` exactly as the client wrote them (clients look them up by the string
they sent) and matched on the address's value. An unknown instance on these sub-resources answers the
recorded 404 ``Invalid instance-id.``; an address that is not the instance's (chosen, never recorded):
400 ``Invalid IP address.``.
"""

from __future__ import annotations

import ipaddress
from typing import Any

from vultr_state.emulator.core import allocate
from vultr_state.emulator.core.lifecycle import Stage
from vultr_state.emulator.core.reply import Reply
from vultr_state.emulator.v2.handlers.base import find_instance, list_reply, update_instance
from vultr_state.emulator.v2.models import InstanceRecord
from vultr_state.emulator.v2.paging import by_position
from vultr_state.emulator.v2.request import Call
from vultr_state.emulator.v2.views import NETMASK_V4, default_reverse, expanded_v6, stage, v6_network_text
from vultr_state.emulator.v2.wire import INVALID_IP, NO_CONTENT, ApiError, json_reply

SECONDARY_NETMASK = "255.255.255.255"
PRIVATE_NETMASK = "255.255.0.0"


def _active(call: Call, instance: InstanceRecord) -> bool:
    return stage(instance, call.now, call.backend.config) is not Stage.PENDING


def _mac(instance: InstanceRecord) -> str:
    value = int(instance.id.replace("-", "")[:12], 16)
    return "56:00:" + ":".join(f"{(value >> shift) & 0xFF:02x}" for shift in (24, 16, 8, 0))


def _reverse_v4(instance: InstanceRecord, ip: str) -> str:
    return dict(instance.reverse_v4).get(ip, default_reverse(ip))


def _ipv4_entries(call: Call, instance: InstanceRecord) -> list[dict[str, Any]]:
    if not _active(call, instance):
        return []
    main = {
        "ip": instance.main_ip,
        "netmask": NETMASK_V4,
        "gateway": instance.gateway_v4,
        "type": "main_ip",
        "reverse": _reverse_v4(instance, instance.main_ip),
    }
    if call.query_flag("public_network"):
        main["mac_address"] = _mac(instance)
    entries = [main]
    for ip in instance.secondary_ips:
        entries.append(
            {
                "ip": ip,
                "netmask": SECONDARY_NETMASK,
                "gateway": "",
                "type": "secondary_ip",
                "reverse": _reverse_v4(instance, ip),
            }
        )
    if instance.internal_ip:
        entries.append(
            {
                "ip": instance.internal_ip,
                "netmask": PRIVATE_NETMASK,
                "gateway": "",
                "type": "private",
                "reverse": "",
            }
        )
    return entries


def list_ipv4(call: Call) -> Reply:
    """GET /instances/{instance-id}/ipv4?public_network= (paged)."""
    entries = _ipv4_entries(call, find_instance(call, sub_resource=True))
    return list_reply(call, "ipv4s", entries, by_position([e["ip"] for e in entries], _ip), dict)


def create_ipv4(call: Call) -> Reply:
    """POST /instances/{instance-id}/ipv4 {reboot?} → 202 ``{"ipv4": {...}}`` (a new secondary address)."""
    store = call.backend.store
    allocated: dict[str, str] = {}

    def change(instance: InstanceRecord) -> dict[str, Any]:
        call.boolean("reboot")  # type-checked, otherwise ignored
        allocated["ip"], allocated["gateway"] = allocate.next_ipv4(store)
        return {"secondary_ips": (*instance.secondary_ips, allocated["ip"])}

    update_instance(call, change, sub_resource=True)
    ip = allocated["ip"]
    entry = {
        "ip": ip,
        "netmask": NETMASK_V4,
        "gateway": allocated["gateway"],
        "type": "secondary_ip",
        "reverse": default_reverse(ip),
    }
    return json_reply({"ipv4": entry}, 202)


def delete_ipv4(call: Call) -> Reply:
    """DELETE /instances/{instance-id}/ipv4/{ipv4} → 204 (secondary addresses only)."""
    ip = call.path["ipv4"]

    def change(instance: InstanceRecord) -> dict[str, Any]:
        if ip not in instance.secondary_ips:
            raise ApiError(400, INVALID_IP)
        return {
            "secondary_ips": tuple(a for a in instance.secondary_ips if a != ip),
            "reverse_v4": tuple(pair for pair in instance.reverse_v4 if pair[0] != ip),
        }

    update_instance(call, change, sub_resource=True)
    return NO_CONTENT


def _own_v4(call: Call, instance: InstanceRecord, ip: str) -> str:
    try:
        address = str(ipaddress.IPv4Address(ip.strip()))
    except ValueError:
        raise ApiError(400, INVALID_IP) from None
    if not _active(call, instance) or address not in (instance.main_ip, *instance.secondary_ips):
        raise ApiError(400, INVALID_IP)
    return address


def set_reverse_ipv4(call: Call) -> Reply:
    """POST /instances/{instance-id}/ipv4/reverse {ip, reverse} → 204."""
    ip, name = call.required_string("ip"), call.required_string("reverse")

    def change(instance: InstanceRecord) -> dict[str, Any]:
        address = _own_v4(call, instance, ip)
        kept = tuple(pair for pair in instance.reverse_v4 if pair[0] != address)
        return {"reverse_v4": (*kept, (address, name))}

    update_instance(call, change, sub_resource=True)
    return NO_CONTENT


def default_reverse_ipv4(call: Call) -> Reply:
    """POST /instances/{instance-id}/ipv4/reverse/default {ip} → 204 (back to the default name)."""
    ip = call.required_string("ip")

    def change(instance: InstanceRecord) -> dict[str, Any]:
        address = _own_v4(call, instance, ip)
        return {"reverse_v4": tuple(pair for pair in instance.reverse_v4 if pair[0] != address)}

    update_instance(call, change, sub_resource=True)
    return NO_CONTENT


def list_ipv6(call: Call) -> Reply:
    """GET /instances/{instance-id}/ipv6 (paged; empty without IPv6 or while pending)."""
    instance = find_instance(call, sub_resource=True)
    entries = []
    if instance.v6_network and _active(call, instance):
        entries.append(
            {
                "ip": expanded_v6(instance.v6_main_ip),
                "network": v6_network_text(instance.v6_network),
                "network_size": 64,
                "type": "main_ip",
            }
        )
    return list_reply(call, "ipv6s", entries, by_position([e["ip"] for e in entries], _ip), dict)


def _in_network(call: Call, instance: InstanceRecord, ip: str) -> ipaddress.IPv6Address:
    try:
        address = ipaddress.IPv6Address(ip.strip())
    except ValueError:
        raise ApiError(400, INVALID_IP) from None
    if not instance.v6_network or not _active(call, instance):
        raise ApiError(400, INVALID_IP)
    if address not in ipaddress.IPv6Network(f"{instance.v6_network}/64"):
        raise ApiError(400, INVALID_IP)
    return address


def _without(instance: InstanceRecord, address: ipaddress.IPv6Address) -> tuple[tuple[str, str], ...]:
    return tuple(pair for pair in instance.reverse_v6 if ipaddress.IPv6Address(pair[0]) != address)


def list_reverse_ipv6(call: Call) -> Reply:
    """GET /instances/{instance-id}/ipv6/reverse → ``{"reverse_ipv6s": [...]}`` (no meta)."""
    instance = find_instance(call, sub_resource=True)
    entries = [{"ip": ip, "reverse": name} for ip, name in instance.reverse_v6]
    return json_reply({"reverse_ipv6s": entries})


def set_reverse_ipv6(call: Call) -> Reply:
    """POST /instances/{instance-id}/ipv6/reverse {ip, reverse} → 204."""
    ip, name = call.required_string("ip"), call.required_string("reverse")

    def change(instance: InstanceRecord) -> dict[str, Any]:
        address = _in_network(call, instance, ip)
        return {"reverse_v6": (*_without(instance, address), (ip.strip(), name))}

    update_instance(call, change, sub_resource=True)
    return NO_CONTENT


def delete_reverse_ipv6(call: Call) -> Reply:
    """DELETE /instances/{instance-id}/ipv6/reverse/{ipv6} → 204 (an absent entry is accepted)."""
    ip = call.path["ipv6"]

    def change(instance: InstanceRecord) -> dict[str, Any]:
        return {"reverse_v6": _without(instance, _in_network(call, instance, ip))}

    update_instance(call, change, sub_resource=True)
    return NO_CONTENT


def _ip(entry: dict[str, Any]) -> str:
    return entry["ip"]
