"""Cursor pagination of v2 lists: ``per_page`` and opaque ``cursor``s in the recorded format.

Called by every v2 list handler. ``per_page`` defaults to 100 and is clamped to 1..500 (documented max;
what the real API does above it was never established). A cursor is base64 of ``next__<key>`` (the key of
the last item of the page) or ``prev__<key>`` (the first item), as recorded on ``/os``; ``meta.total``
counts the whole filtered list on every page and links are ``""`` where there is no such page.

Each list is in a fixed order of a sortable key: the UUID for account objects (ids grow with creation,
see ``ids``), the OS id, or the position in the catalog for regions, plans and applications. A ``next``
page holds the items whose key is greater than the cursor's, so following ``next`` returns every item
that exists throughout the walk exactly once, however many items are added or removed between pages
(items added during the walk appear at its end; removed ones simply stop appearing).
"""

from __future__ import annotations

import base64
import binascii
import bisect
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import Any, TypeVar

from vultr_state.emulator.v2.wire import INVALID_CURSOR, INVALID_PER_PAGE, ApiError

DEFAULT_PER_PAGE = 100
MAX_PER_PAGE = 500
T = TypeVar("T")


def _encode(direction: str, key: object) -> str:
    return base64.b64encode(f"{direction}__{key}".encode()).decode("ascii")


def per_page(query: dict[str, str]) -> int:
    """The page size asked for (default 100, clamped to 1..500)."""
    text = query.get("per_page", "").strip()
    if not text:
        return DEFAULT_PER_PAGE
    try:
        value = int(text)
    except ValueError:
        raise ApiError(400, INVALID_PER_PAGE) from None
    return DEFAULT_PER_PAGE if value <= 0 else min(value, MAX_PER_PAGE)


def _cursor(query: dict[str, str]) -> tuple[str, str] | None:
    text = query.get("cursor", "").strip()
    if not text:
        return None
    try:
        decoded = base64.b64decode(text + "=" * (-len(text) % 4), validate=True).decode("utf-8")
    except (binascii.Error, ValueError):
        raise ApiError(400, INVALID_CURSOR) from None
    direction, sep, key = decoded.partition("__")
    if not sep or direction not in ("next", "prev") or not key:
        raise ApiError(400, INVALID_CURSOR)
    return direction, key


@dataclass(frozen=True, slots=True)
class Order:
    """How a list is ordered and how its cursors name items.

    Attributes:
        key: The sort key of an item (the list is in ascending key order).
        label: What a cursor carries for an item (its id).
        parse: A cursor's label back to a sort key; raises ``ValueError`` or ``KeyError`` when unknown.
    """

    key: Callable[[Any], Any]
    label: Callable[[Any], str]
    parse: Callable[[str], Any]


def by_id(id_of: Callable[[Any], str]) -> Order:
    """Account objects: ordered by their (creation-ordered) UUID."""
    return Order(key=id_of, label=id_of, parse=str)


def by_int_id(id_of: Callable[[Any], int]) -> Order:
    """Integer-keyed catalog lists (``/os``): ordered by id."""
    return Order(key=id_of, label=lambda item: str(id_of(item)), parse=int)


def by_position(ids: Sequence[Any], id_of: Callable[[Any], Any]) -> Order:
    """A fixed catalog list: ordered by position; a cursor names the item's id."""
    position = {str(item_id): index for index, item_id in enumerate(ids)}
    return Order(
        key=lambda item: position[str(id_of(item))],
        label=lambda item: str(id_of(item)),
        parse=position.__getitem__,
    )


@dataclass(frozen=True, slots=True)
class Page:
    """One page: its items and the ``meta`` object of the envelope."""

    items: list[Any]
    meta: dict[str, Any]


def paginate(items: Sequence[T], query: dict[str, str], order: Order) -> Page:
    """The page of ``items`` (the whole filtered list, already in ``order``) that ``query`` asks for."""
    size = per_page(query)
    cursor = _cursor(query)
    if cursor is None:
        start, end = 0, min(size, len(items))
    else:
        direction, text = cursor
        try:
            anchor = order.parse(text)
        except (ValueError, KeyError):
            raise ApiError(400, INVALID_CURSOR) from None
        if direction == "next":
            start = bisect.bisect_right(items, anchor, key=order.key)
            end = min(start + size, len(items))
        else:
            end = bisect.bisect_left(items, anchor, key=order.key)
            start = max(0, end - size)
    chunk = list(items[start:end])
    links = {
        "next": _encode("next", order.label(chunk[-1])) if chunk and end < len(items) else "",
        "prev": _encode("prev", order.label(chunk[0])) if chunk and start > 0 else "",
    }
    return Page(chunk, {"total": len(items), "links": links})
