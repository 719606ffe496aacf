"""Account-wide lists clients read on the way: firewall/group_list and network/list.

The emulated account has no firewall groups and no standalone private networks, so both answer ``[]``.
"""

from __future__ import annotations

from vultr_state.emulator.v1.handlers.base import Call
from vultr_state.emulator.v1.wire import Reply, keyed_reply


def firewall_group_list(call: Call) -> Reply:
    """GET firewall/group_list: FIREWALLGROUPID → group; always ``[]``. Ignores ``FIREWALLGROUPID``."""
    return keyed_reply({})


def network_list(call: Call) -> Reply:
    """GET network/list: NETWORKID → network; always ``[]``. No parameters."""
    return keyed_reply({})
