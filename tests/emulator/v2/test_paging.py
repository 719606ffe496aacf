"""v2 cursor pagination: per_page default and cap, recorded cursor format, total on every page, prev
links, and exactly-once walks while items are added and removed between pages."""

from __future__ import annotations

import base64
import threading

import pytest

from tests.emulator.v2.conftest import V2, adapter_v2
from vultr_state.emulator import Emulator


def _walk(v2: V2, path: str, name: str, per_page: int, between=None) -> tuple[list[str], list[int]]:
    seen, totals, cursor = [], [], ""
    while True:
        params = {"per_page": per_page, **({"cursor": cursor} if cursor else {})}
        page = v2.ok(v2.get(path, params=params))
        seen += [item["id"] for item in page[name]]
        totals.append(page["meta"]["total"])
        cursor = page["meta"]["links"]["next"]
        if not cursor:
            return seen, totals
        if between is not None:
            between(len(totals))


@pytest.fixture
def keys(v2: V2) -> list[str]:
    return [v2.create_key(f"key-{n}") for n in range(25)]


def test_walk_returns_every_item_once_and_total_counts_the_whole_list(v2: V2, keys: list[str]) -> None:
    seen, totals = _walk(v2, "/ssh-keys", "ssh_keys", 10)
    assert seen == keys and totals == [25, 25, 25]


def test_cursor_format_is_base64_of_next_and_prev_item_ids(v2: V2, keys: list[str]) -> None:
    first = v2.ok(v2.get("/ssh-keys", params={"per_page": 10}))
    assert first["meta"]["links"]["prev"] == ""
    assert base64.b64decode(first["meta"]["links"]["next"]).decode() == f"next__{keys[9]}"
    second = v2.ok(v2.get("/ssh-keys", params={"per_page": 10, "cursor": first["meta"]["links"]["next"]}))
    assert base64.b64decode(second["meta"]["links"]["prev"]).decode() == f"prev__{keys[10]}"
    back = v2.ok(v2.get("/ssh-keys", params={"per_page": 10, "cursor": second["meta"]["links"]["prev"]}))
    assert [k["id"] for k in back["ssh_keys"]] == keys[:10]


def test_items_added_and_removed_between_pages(v2: V2, keys: list[str]) -> None:
    added: list[str] = []

    def churn(page: int) -> None:
        v2.ok(v2.delete(f"/ssh-keys/{keys[5 * page]}"), 204)  # already seen: keys[5], keys[10]
        v2.ok(v2.delete(f"/ssh-keys/{keys[-page]}"), 204)  # not seen yet: keys[24], keys[23]
        added.append(v2.create_key(f"late-{page}"))

    seen, _ = _walk(v2, "/ssh-keys", "ssh_keys", 10, between=churn)
    assert len(seen) == len(set(seen))
    survivors = [k for k in keys if k not in (keys[24], keys[23])]
    assert [k for k in seen if k in keys] == survivors
    assert [k for k in seen if k in added] == added


def test_per_page_defaults_to_100_and_caps_at_500(v2: V2, emulator: Emulator) -> None:
    for n in range(120):
        v2.create_key(f"k{n}")
    assert len(v2.ok(v2.get("/ssh-keys"))["ssh_keys"]) == 100
    assert len(v2.ok(v2.get("/ssh-keys", params={"per_page": 1000}))["ssh_keys"]) == 120


@pytest.mark.parametrize("cursor", ["%%%", base64.b64encode(b"sideways__x").decode(), "bm9wZQ"])
def test_a_malformed_cursor_is_400(v2: V2, cursor: str) -> None:
    response = v2.get("/os", params={"cursor": cursor})
    assert (response.status_code, response.json()["error"]) == (400, "Invalid cursor.")


def test_non_integer_per_page_is_400_and_empty_query_segments_are_fine(v2: V2) -> None:
    assert v2.get("/os", params={"per_page": "ten"}).status_code == 400
    assert v2.ok(v2.call("GET", "/os?&per_page=5&"))["meta"]["links"]["next"]


def test_empty_list_envelope(v2: V2) -> None:
    assert v2.ok(v2.get("/snapshots")) == {
        "snapshots": [],
        "meta": {"total": 0, "links": {"next": "", "prev": ""}},
    }


def test_walk_while_another_thread_adds_and_removes(v2: V2, emulator: Emulator) -> None:
    keys = [v2.create_key(f"base-{n}") for n in range(60)]
    other = adapter_v2(emulator)
    stop = threading.Event()
    churned: list[str] = []

    def churn() -> None:
        victims = iter(keys[1::2])
        while not stop.is_set():
            victim = next(victims, None)
            if victim is None:
                return
            other.ok(other.delete(f"/ssh-keys/{victim}"), 204)
            churned.append(victim)
            other.create_key("late")

    worker = threading.Thread(target=churn)
    worker.start()
    try:
        seen, _ = _walk(v2, "/ssh-keys", "ssh_keys", 7)
    finally:
        stop.set()
        worker.join(timeout=30)
    assert len(seen) == len(set(seen))
    assert set(keys[0::2]) <= set(seen)  # never removed: every one seen exactly once
