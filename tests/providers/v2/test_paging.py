"""Envelopes and cursor pagination, on the live-recorded three-page ``/os`` listing."""

from __future__ import annotations

import pytest

from providers.v2.wiredata import body
from vultr_state.providers.v2 import paging
from vultr_state.providers.v2.convert import WireShapeError


def test_page_queries_ask_for_500_and_carry_the_cursor_after_the_first_page() -> None:
    assert paging.page_query("") == (("per_page", "500"),)
    assert paging.page_query("bmV4dF9fMjMw") == (("per_page", "500"), ("cursor", "bmV4dF9fMjMw"))
    cursors = [paging.next_cursor(body(f"os_list.page{n}.2021.json")) for n in (1, 2, 3)]
    assert cursors == ["bmV4dF9fMjMw", "bmV4dF9fNDAx", ""]


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
