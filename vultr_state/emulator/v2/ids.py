"""Identifiers of the emulated v2 account: UUIDs whose order is creation order, all deterministic.

Called by the v2 handlers when they create objects. A v2 id is a version-4-shaped UUID whose first 12
hex digits are a persisted counter (plus a fixed offset) and whose remaining digits derive from the config
seed: clients see an ordinary opaque UUID, and sorting ids sorts by creation, which is what makes cursor
pagination stable while objects come and go (see ``paging``). VPC addresses are ``10.<n>.96.x`` like the
recorded ones.
"""

from __future__ import annotations

import hashlib

from vultr_state.emulator.core.store import Store

_BASE = 0x3F2A_9C10_0000  # so that ids do not start with a run of zeros


def next_uuid(store: Store, seed: int) -> str:
    """A new id, greater (as a string) than every id handed out before."""
    counter = store.next_value("v2.uuid", 1)
    tail = hashlib.blake2b(f"{seed}:{counter}".encode(), digest_size=10).hexdigest()
    digits = f"{(_BASE + counter) & 0xFFFF_FFFF_FFFF:012x}" + "4" + tail[:3] + "8" + tail[3:18]
    return f"{digits[:8]}-{digits[8:12]}-{digits[12:16]}-{digits[16:20]}-{digits[20:32]}"


def vpc_ipv4(store: Store) -> str:
    """A new VPC address (the recorded ones look like ``10.7.96.6``)."""
    index = store.next_value("v2.vpc_ip", 3)
    return f"10.{7 + (index // 250) % 240}.96.{3 + index % 250}"
