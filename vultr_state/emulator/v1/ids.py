"""Identifiers of the emulated v1 account, all deterministic.

Called by the handlers when they create objects. Formats follow the real service:

* SUBID: decimal string from a persisted counter starting at 30000001 (globally increasing).
* SSHKEYID / SNAPSHOTID / BACKUPID: 13 lowercase hex characters like PHP ``uniqid()``: 8 hex digits of Unix
  seconds from the emulator clock, then 5 hex digits from a persisted counter (unique even with a frozen
  test clock).
* SCRIPTID: integer counter starting at 100001.
* private IPv4: ``10.<DCID>.96.x``.

Addresses, passwords and console tokens come from ``core.allocate`` (one pool for both faces).
"""

from __future__ import annotations

from vultr_state.emulator.core.store import Store


def next_subid(store: Store) -> str:
    """A new SUBID."""
    return str(store.next_value("subid", 30_000_001))


def next_script_id(store: Store) -> int:
    """A new SCRIPTID."""
    return store.next_value("scriptid", 100_001)


def next_uniqid(store: Store, now: float) -> str:
    """A new 13-hex-character id in the style of PHP ``uniqid()``."""
    counter = store.next_value("uniqid", 0)
    return f"{int(now) & 0xFFFFFFFF:08x}{counter & 0xFFFFF:05x}"


def private_ipv4(dcid: int, subid: str) -> str:
    """The private-network address of a server (10.<DCID>.96.x, as the real service numbered them)."""
    return f"10.{dcid % 256}.96.{3 + int(subid) % 250}"
