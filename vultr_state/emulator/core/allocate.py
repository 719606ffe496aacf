"""Addresses and generated secrets shared by both API faces, all deterministic.

Called by the v1 and v2 handlers when they create servers. One address pool serves the whole emulated
datacenter, so a v1 server and a v2 instance never share an address:

* IPv4: documentation ranges 192.0.2.0/24, 198.51.100.0/24, 203.0.113.0/24, hosts .2-.254 (gateway .1),
  handed out in order from a persisted counter. The pool holds 759 addresses; beyond that it wraps round and
  addresses repeat (only large benchmarks get there).
* IPv6: one /64 per server inside 2001:db8::/32 (``2001:db8:HHHH:LLLL::/64`` from a counter); the main
  address uses the EUI-64 style of the real service (``...:5400:03ff:feXX:XXXX``).
* Passwords and console tokens: derived from the config seed and the object, so a seeded run is
  reproducible.
"""

from __future__ import annotations

import hashlib

from vultr_state.emulator.core.store import Store

_V4_BLOCKS = ("192.0.2", "198.51.100", "203.0.113")
_V4_HOSTS = 253
_PASSWORD_ALPHABET = "abcdefghijkmnopqrstuvwxyzABCDEFGHJKLMNPQRSTUVWXYZ23456789!@#*-_"
_TOKEN_ALPHABET = "ABCDEFGHIJKLMNOPQRSTUVWXYZ234567"


def next_ipv4(store: Store) -> tuple[str, str]:
    """A new public IPv4 address and its gateway."""
    index = store.next_value("ipv4", 0)
    block = _V4_BLOCKS[(index // _V4_HOSTS) % len(_V4_BLOCKS)]
    return f"{block}.{2 + index % _V4_HOSTS}", f"{block}.1"


def next_ipv6(store: Store) -> tuple[str, str]:
    """A new IPv6 /64 network and the server's main address inside it."""
    index = store.next_value("ipv6", 1)
    high, low = (index >> 16) & 0xFFFF, index & 0xFFFF
    network = f"2001:db8:{high:x}:{low:x}::"
    main = f"2001:db8:{high:x}:{low:x}:5400:03ff:fe{(index >> 16) & 0xFF:02x}:{low:04x}"
    return network, main


def _digest(seed: int, *parts: object) -> bytes:
    text = ":".join(str(part) for part in (seed, *parts))
    return hashlib.blake2b(text.encode(), digest_size=32).digest()


def password(seed: int, *parts: object) -> str:
    """A 16-character default root password."""
    return "".join(_PASSWORD_ALPHABET[b % len(_PASSWORD_ALPHABET)] for b in _digest(seed, "pw", *parts)[:16])


def kvm_token(seed: int, *parts: object) -> str:
    """The opaque ``data=`` token of a KVM console URL."""
    return "".join(_TOKEN_ALPHABET[b % len(_TOKEN_ALPHABET)] for b in _digest(seed, "kvm", *parts))
