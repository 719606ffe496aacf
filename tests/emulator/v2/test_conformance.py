"""The conformance helper itself: it must catch what it exists to catch (a wrong type, an undocumented
content type, a body on a documented empty answer, a malformed error), so that the automatic checks of
every v2 test mean something."""

from __future__ import annotations

import json

from tests.emulator.v2.conformance import RECORDED_BEYOND_SCHEMA, find_operation, problems

JSON = {"Content-Type": "application/json"}


def test_a_wrong_field_type_is_reported() -> None:
    body = json.dumps({"ssh_key": {"id": 5, "name": "x", "ssh_key": "k", "date_created": ""}}).encode()
    found = problems("GET", "/ssh-keys/abc", 200, JSON, body)
    assert found and "id" in found[0] and "string" in found[0]


def test_an_undocumented_content_type_and_a_body_on_204_are_reported() -> None:
    assert problems("GET", "/regions", 200, {"Content-Type": "text/html"}, b"{}")
    assert problems("DELETE", "/ssh-keys/abc", 204, JSON, b"")
    assert problems("DELETE", "/ssh-keys/abc", 204, {}, b"") == []


def test_undocumented_statuses_and_error_shapes() -> None:
    assert problems("GET", "/regions", 201, JSON, b"{}")
    assert problems("GET", "/instances", 400, {"Content-Type": "text/plain"}, b"Bad request")
    assert problems("GET", "/instances", 400, JSON, b'{"error":"x","status":401}')
    assert problems("GET", "/instances", 418, JSON, b'{"error":"x","status":418}')
    assert problems("GET", "/instances", 429, JSON, b'{"status": 429,"error": "rate limit exceeded"}') == []
    assert set(RECORDED_BEYOND_SCHEMA) == {400, 401, 404, 429, 500}


def test_literal_segments_win_over_parameters() -> None:
    assert find_operation("POST", "/instances/halt")[0] == "/instances/halt"
    assert find_operation("POST", "/instances/abc/halt")[0] == "/instances/{instance-id}/halt"
    assert find_operation("GET", "/nothing") is None
