"""Bare-metal lists some v2 clients read on the way (apache-libcloud lists them beside instances and
plans): ``GET /bare-metals`` and ``GET /plans-metal``. The emulated account has no bare-metal servers
and the emulated catalog no bare-metal plans, so both are empty paged lists (the plans key is
``plans_metal``, as in the documentation's example and govultr)."""

from __future__ import annotations

from vultr_state.emulator.core.reply import Reply
from vultr_state.emulator.v2.paging import by_position, paginate
from vultr_state.emulator.v2.request import Call
from vultr_state.emulator.v2.wire import json_reply


def _empty(call: Call, name: str) -> Reply:
    page = paginate([], call.query, by_position([], str))
    return json_reply({name: [], "meta": page.meta})


def list_bare_metals(call: Call) -> Reply:
    """GET /bare-metals: always empty."""
    return _empty(call, "bare_metals")


def list_metal_plans(call: Call) -> Reply:
    """GET /plans-metal: always empty."""
    return _empty(call, "plans_metal")
