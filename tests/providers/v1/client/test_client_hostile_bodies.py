"""Hostile answers: whatever body and status come back, only the client's own error types come out.

Hypothesis feeds truncated, oversized, wrongly typed, non-JSON and non-UTF-8 bodies (and random statuses)
through every parsing method via a scripted test transport. A method either returns its documented type
or raises an ``ApiError`` subclass; never a KeyError, TypeError, JSONDecodeError or RecursionError.
"""

from __future__ import annotations

import json
from pathlib import Path

import requests
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from providers.v1.client.support import Reply, ScriptedAdapter, scripted_client
from vultr_state.errors import ApiError, ApiOutcomeUnknown, ApiTransportError
from vultr_state.http.transport import HttpRequest, Transport
from vultr_state.providers.v1.client.normalize import ADDRESS_FIELDS, AMOUNT_FIELDS, ID_FIELDS

WIRE = Path(__file__).parent / "wire"
REAL_BODIES = [path.read_text() for path in sorted(WIRE.glob("*.json"))]
FIELDS = sorted(
    ID_FIELDS | ADDRESS_FIELDS | AMOUNT_FIELDS | {"v6_networks", "available_locations", "acls", "x"}
)

scalars = st.none() | st.booleans() | st.integers() | st.floats(allow_nan=False) | st.text(max_size=12)
json_values = st.recursive(
    scalars,
    lambda inner: st.lists(inner, max_size=4) | st.dictionaries(st.text(max_size=6), inner, max_size=4),
    max_leaves=12,
)
records = st.dictionaries(st.sampled_from(FIELDS), json_values, max_size=8)
shaped = (
    st.dictionaries(st.text(max_size=8), records, max_size=3)
    | st.dictionaries(st.sampled_from(["576965", "SUBID"]), st.lists(records, max_size=3), max_size=2)
    | st.lists(st.integers() | st.text(max_size=4), max_size=4)
    | records
)


@st.composite
def bodies(draw) -> str | bytes:
    kind = draw(st.sampled_from(["json", "shaped", "truncated", "text", "bytes", "real-truncated"]))
    if kind == "json":
        return json.dumps(draw(json_values))
    if kind == "shaped":
        return json.dumps(draw(shaped))
    if kind == "truncated":
        text = json.dumps(draw(shaped))
        return text[: draw(st.integers(0, max(0, len(text) - 1)))]
    if kind == "real-truncated":
        text = draw(st.sampled_from(REAL_BODIES))
        return text[: draw(st.integers(0, len(text)))]
    if kind == "bytes":
        return draw(st.binary(max_size=40))
    return draw(st.text(max_size=40))


METHODS = {
    "server_list": (lambda c: c.server_list(), dict),
    "server_list_one": (lambda c: c.server_list("576965"), dict),
    "sshkey_list": (lambda c: c.sshkey_list(), dict),
    "startupscript_list": (lambda c: c.startupscript_list(), dict),
    "snapshot_list": (lambda c: c.snapshot_list(), dict),
    "plans_list": (lambda c: c.plans_list(), dict),
    "os_list": (lambda c: c.os_list(), dict),
    "backup_list": (lambda c: c.backup_list(), dict),
    "server_list_ipv4": (lambda c: c.server_list_ipv4(1), list),
    "server_reverse_list_ipv6": (lambda c: c.server_reverse_list_ipv6(1), list),
    "regions_availability": (lambda c: c.regions_availability(1), list),
    "server_upgrade_plan_list": (lambda c: c.server_upgrade_plan_list(1), list),
    "server_bandwidth": (lambda c: c.server_bandwidth(1), dict),
    "account_info": (lambda c: c.account_info(), dict),
    "auth_info": (lambda c: c.auth_info(), dict),
    "server_create": (lambda c: c.server_create(1, 201, 387), str),
    "startupscript_create": (lambda c: c.startupscript_create("n", "s"), str),
    "server_create_ipv4": (lambda c: c.server_create_ipv4(1), (str, type(None))),
    "server_halt": (lambda c: c.server_halt(1), type(None)),
}


@settings(max_examples=400, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(
    method=st.sampled_from(sorted(METHODS)),
    body=bodies(),
    status=st.sampled_from([200, 200, 200, 200, 201, 204, 302, 400, 403, 404, 405, 412, 500, 502, 503]),
)
def test_only_client_errors_come_out(method, body, status):
    call, expected = METHODS[method]
    client, _, _ = scripted_client([Reply(status, body)], max_attempts=2)
    try:
        result = call(client)
    except ApiError as error:
        assert error.call and isinstance(error.message, str)
        if 200 <= status < 300:
            assert isinstance(error, ApiTransportError | ApiOutcomeUnknown)
        return
    assert 200 <= status < 300
    assert isinstance(result, expected)
    if isinstance(result, dict) and method.endswith("_list"):
        assert all(isinstance(key, str) and isinstance(value, dict) for key, value in result.items())
        for value in result.values():
            assert all(isinstance(value[field], str) for field in ID_FIELDS & value.keys())


def test_oversized_body_is_refused():
    adapter = ScriptedAdapter([Reply(200, b"[" + b"1," * 600 + b"1]")])
    session = requests.Session()
    session.mount("https://api.vultr.com/", adapter)
    transport = Transport(session, (1.0, 1.0), max_body_bytes=1000)
    request = HttpRequest("GET", "https://api.vultr.com/v1/regions/availability", "GET regions/availability")
    try:
        transport.send(request, str)
    except ApiTransportError as error:
        assert "larger than 1000 bytes" in error.message and error.status == 200
    else:
        raise AssertionError("an oversized body was accepted")


def test_oversized_body_through_the_client_default_cap():
    client, adapter, _ = scripted_client(
        [Reply(200, b"[" + b"1," * (17 * 1024 * 1024) + b"1]")], max_attempts=1
    )
    try:
        client.regions_availability(1)
    except ApiTransportError as error:
        assert "larger than" in error.message
    else:
        raise AssertionError("a 34 MiB body was accepted")
    assert len(adapter.sent) == 1


def test_non_utf8_success_body_is_a_transport_error_but_an_error_text_stays_readable():
    client, _, _ = scripted_client([Reply(200, b'{"SUBID":"\xff"}')], max_attempts=1)
    try:
        client.server_list("1")
    except ApiTransportError as error:
        assert "UTF-8" in error.message
    else:
        raise AssertionError("a non-UTF-8 body was accepted")
    client, _, _ = scripted_client([Reply(412, b"Invalid server.\xff")])
    try:
        client.server_halt(1)
    except ApiError as error:
        assert error.status == 412 and error.message.startswith("Invalid server.")
