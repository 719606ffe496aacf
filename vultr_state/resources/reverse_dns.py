"""Reverse DNS of one server: its own plan action (``reverse_dns:<label>``), every change in place.

Called by the planner for each present manifest server that manages reverse DNS. The main IPv4 and
IPv6 addresses are looked up on the live server; extra IPv6 entries name their address. Addresses are
compared in canonical form (``2001:DB8::1`` equals ``2001:db8::1``). Names the manifest does not give
are left alone.
"""

from __future__ import annotations

import ipaddress

from vultr_state.model.desired import ReverseDns
from vultr_state.model.live import LiveReverseDns, LiveServer
from vultr_state.model.plan import ChangeClass, FieldChange, ReverseDnsSpec


def _canonical(address: str) -> str:
    try:
        return ipaddress.ip_address(address.strip()).compressed
    except ValueError:
        return address.strip().lower()


def _lookup(entries: tuple[tuple[str, str], ...], address: str | None) -> str | None:
    if address is None:
        return None
    wanted = _canonical(address)
    return next((name or None for ip, name in entries if _canonical(ip) == wanted), None)


def compare(
    wanted: ReverseDns, server: LiveServer | None, live: LiveReverseDns | None
) -> tuple[FieldChange, ...]:
    """The names to set. With no live record (new, replaced or pending server) every name is new.

    Args:
        wanted: The manifest's reverse DNS of the server.
        server: The live server (None when it is created by this plan).
        live: Its reverse-DNS entries as read (None when they could not be read).

    Returns:
        One in-place change per name that differs, sorted by field.
    """
    ipv4 = live.ipv4 if live else ()
    ipv6 = live.ipv6 if live else ()
    main_v4 = server.main_ip if server and live else None
    main_v6 = server.v6_main_ip if server and live else None
    changes = []
    if wanted.ipv4 is not None:
        changes.append(("ipv4", _lookup(ipv4, main_v4), wanted.ipv4))
    if wanted.ipv6 is not None:
        changes.append(("ipv6", _lookup(ipv6, main_v6), wanted.ipv6))
    for address, name in wanted.ipv6_extra:
        changes.append((f"ipv6[{_canonical(address)}]", _lookup(ipv6, address) if live else None, name))
    return tuple(
        FieldChange(field, old, new, ChangeClass.IN_PLACE)
        for field, old, new in sorted(changes)
        if old != new
    )


def to_spec(label: str, wanted: ReverseDns) -> ReverseDnsSpec:
    """The names the executor sets once the server is active (addresses are looked up then)."""
    return ReverseDnsSpec(server=label, ipv4=wanted.ipv4, ipv6=wanted.ipv6, ipv6_extra=wanted.ipv6_extra)
