"""Envelopes and cursor pagination, on the live-recorded three-page ``/os`` listing."""

from __future__ import annotations

from typing import Any

import pytest

from providers.v2.wiredata import body
from vultr_state.providers.v2 import paging
from vultr_state.providers.v2.convert import WireShapeError

# The recorded pages, keyed by the cursor that asks for them ("" = first page).
_PAGES = {
    "": "os_list.page1.2021.json",
    "bmV4dF9fMjMw": "os_list.page2.2021.json",
    "bmV4dF9fNDAx": "os_list.page3.2021.json",
}


def _recorded_pages(queries: list[dict[str, str]]) -> Any:
    def fetch(query: tuple[tuple[str, str], ...]) -> Any:
        asked = dict(query)
        queries.append(asked)
        return body(_PAGES[asked.get("cursor", "")])

    return fetch


def test_walk_follows_the_recorded_cursors_one_call_per_page() -> None:
    queries: list[dict[str, str]] = []
    walked = list(paging.walk(_recorded_pages(queries), "os"))
    assert [item["id"] for item in walked] == [item["id"] for item in body("os_list.2021.json")["os"]]
    assert queries == [
        {"per_page": "500"},
        {"per_page": "500", "cursor": "bmV4dF9fMjMw"},
        {"per_page": "500", "cursor": "bmV4dF9fNDAx"},
    ]


def test_a_repeated_cursor_is_an_error_not_a_loop() -> None:
    looping = {"os": [], "meta": {"total": 1, "links": {"next": "c2FtZQ==", "prev": ""}}}
    calls: list[object] = []

    def fetch(query: object) -> Any:
        calls.append(query)
        return looping

    with pytest.raises(WireShapeError, match="repeated a page cursor"):
        list(paging.walk(fetch, "os"))
    assert len(calls) == 2


def test_envelopes() -> None:
    assert paging.unwrap(body("instance_get.2021.json"), "instance")["id"] == "123"
    assert len(paging.items(body("snapshots_list.2021.json"), "snapshots")) == 2
    assert paging.next_cursor(body("snapshots_list.2021.json")) == ""
    assert paging.next_cursor(body("doc-examples/instance_ipv6_reverse_list.json")) == ""  # no meta at all
    for bad in ([], {"instance": []}, {"instances": {}}):
        with pytest.raises(WireShapeError):
            paging.unwrap(bad, "instance")
    with pytest.raises(WireShapeError):
        paging.items({"instances": [1]}, "instances")
    with pytest.raises(WireShapeError):
        paging.next_cursor({"meta": {"links": {"next": 5}}})
