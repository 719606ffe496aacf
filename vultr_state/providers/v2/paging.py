"""v2 response envelopes and cursor pagination.

Called by the v2 dialect for every answer it parses. Single objects come wrapped in their singular key
(``{"instance":{…}}``), lists in their plural key plus ``meta`` (``{"instances":[…],"meta":{"total":3,
"links":{"next":"<cursor>","prev":""}}}``). A list is read page by page at ``PER_PAGE`` (500, v2's
maximum) by following ``meta.links.next`` until it is ``""``; cursors are opaque. The shared pipeline
does the following (and stops on a repeated cursor); this module reads one page.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from vultr_state.providers.v2.convert import WireShapeError

PER_PAGE = 500


def unwrap(body: Any, key: str) -> Mapping[str, Any]:
    """The object under ``key`` of a single-object answer.

    Raises:
        WireShapeError: the body is not an object holding an object under ``key``.
    """
    if not isinstance(body, Mapping) or not isinstance(body.get(key), Mapping):
        raise WireShapeError(f"expected an object with a {key!r} object")
    return body[key]


def items(body: Any, key: str) -> list[Mapping[str, Any]]:
    """The list under ``key`` of a list answer (every item an object).

    Raises:
        WireShapeError: the body is not an object holding a list of objects under ``key``.
    """
    if not isinstance(body, Mapping) or not isinstance(body.get(key), list):
        raise WireShapeError(f"expected an object with a {key!r} list")
    found = body[key]
    if not all(isinstance(item, Mapping) for item in found):
        raise WireShapeError(f"an item of {key!r} is not an object")
    return found


def next_cursor(body: Mapping[str, Any]) -> str:
    """``meta.links.next`` of a list answer; ``""`` when this is the last page (or there is no meta).

    Raises:
        WireShapeError: ``meta`` or its ``links`` are present but malformed.
    """
    meta = body.get("meta")
    if meta is None:
        return ""
    links = meta.get("links") if isinstance(meta, Mapping) else None
    if links is None and isinstance(meta, Mapping):
        return ""
    if not isinstance(links, Mapping):
        raise WireShapeError("'meta.links' is not an object")
    cursor = links.get("next") or ""
    if not isinstance(cursor, str):
        raise WireShapeError("'meta.links.next' is not a string")
    return cursor


def page_query(cursor: str) -> tuple[tuple[str, str], ...]:
    """The query of one page request: ``per_page`` always, ``cursor`` after the first page."""
    query = (("per_page", str(PER_PAGE)),)
    return (*query, ("cursor", cursor)) if cursor else query
