"""Hostile requests to v2 get a 4xx JSON error, never a 5xx, a dropped connection or a traceback: wrong
types, arrays for objects, binary and huge bodies, deep nesting, bad UUIDs, bad base64, malformed HTTP;
plus a bounded property-based run throwing arbitrary JSON at every body-taking operation."""

from __future__ import annotations

import json
import socket
from collections.abc import Iterator

import pytest
import requests
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from tests.emulator.v2.conftest import V2, adapter_v2
from vultr_state.emulator import DEFAULT_API_KEY, Emulator, EmulatorServer

AUTH = {"Authorization": f"Bearer {DEFAULT_API_KEY}"}
JSON_VALUES = st.recursive(
    st.none() | st.booleans() | st.integers() | st.floats(allow_nan=False) | st.text(max_size=20),
    lambda children: (
        st.lists(children, max_size=4) | st.dictionaries(st.text(max_size=10), children, max_size=4)
    ),
    max_leaves=12,
)
FIELDS = (
    "region",
    "plan",
    "os_id",
    "label",
    "tags",
    "tag",
    "sshkey_id",
    "user_data",
    "backups",
    "name",
    "ssh_key",
    "script",
    "type",
    "description",
    "instance_id",
    "ip",
    "reverse",
    "instance_ids",
    "hostname",
    "enable_ipv6",
    "snapshot_id",
    "iso_id",
    "app_id",
    "image_id",
    "url",
    "hour",
    "dow",
    "dom",
)


@pytest.fixture
def server(emulator: Emulator) -> Iterator[EmulatorServer]:
    with EmulatorServer(emulator) as running:
        yield running


def _assert_client_error(response: requests.Response) -> None:
    assert 400 <= response.status_code < 500, (response.status_code, response.text)
    assert response.headers["Content-Type"] == "application/json"
    body = response.json()
    assert body["status"] == response.status_code and isinstance(body["error"], str)


@pytest.mark.parametrize(
    "body", [b"[]", b"[1,2]", b'"text"', b"42", b"null", b"{", b"\xff\xfe\x00", b"{'a': 1}"]
)
def test_bodies_that_are_not_json_objects(v2: V2, body: bytes) -> None:
    _assert_client_error(
        v2.call("POST", "/ssh-keys", data=body, headers={"Content-Type": "application/json"})
    )


def test_deeply_nested_json(v2: V2) -> None:
    _assert_client_error(v2.call("POST", "/instances", data=b"[" * 100_000 + b"]" * 100_000))
    nested = b'{"region":' * 5000 + b"1" + b"}" * 5000
    _assert_client_error(v2.call("POST", "/instances", data=nested))


@pytest.mark.parametrize(
    "body",
    [
        {"region": ["ams"], "plan": "vc2-1c-1gb", "os_id": 477},
        {"region": "ams", "plan": {"id": "x"}, "os_id": 477},
        {"region": "ams", "plan": "vc2-1c-1gb", "os_id": "four"},
        {"region": "ams", "plan": "vc2-1c-1gb", "os_id": 477, "sshkey_id": "not-a-list"},
        {"region": "ams", "plan": "vc2-1c-1gb", "os_id": 477, "sshkey_id": [1, 2]},
        {"region": "ams", "plan": "vc2-1c-1gb", "os_id": 477, "tags": "web"},
        {"region": "ams", "plan": "vc2-1c-1gb", "os_id": 477, "enable_ipv6": [True]},
        {"region": "ams", "plan": "vc2-1c-1gb", "os_id": True},
        {"region": "ams", "plan": "vc2-1c-1gb", "snapshot_id": "not-a-uuid"},
        {"region": "ams", "plan": "vc2-1c-1gb", "os_id": 477, "user_data": "!!not base64!!"},
        {
            "region": "ams",
            "plan": "vc2-1c-1gb",
            "os_id": 477,
            "script_id": "3f2a9c10-0999-4000-8000-000000000000",
        },
    ],
)
def test_wrong_types_and_bad_references_on_create(v2: V2, body: dict) -> None:
    _assert_client_error(v2.post("/instances", body))


@pytest.mark.parametrize(
    "path",
    [
        "/instances/not-a-uuid",
        "/ssh-keys/%00",
        "/snapshots/..%2F..%2Fetc",
        "/startup-scripts/" + "a" * 5000,
        "/instances/3f2a9c10-0999-4000-8000-000000000000/ipv4",
        "/iso/zzz",
    ],
)
def test_bad_ids_in_paths(v2: V2, path: str) -> None:
    _assert_client_error(v2.get(path))


def test_huge_body_is_413_json_over_a_socket(server: EmulatorServer) -> None:
    response = requests.post(
        server.url + "/v2/ssh-keys", data=b"x" * (3 * 1024 * 1024), headers=AUTH, timeout=30
    )
    _assert_client_error(response)
    assert response.status_code == 413


def test_chunked_body_is_read(server: EmulatorServer) -> None:
    body = json.dumps({"name": "chunked", "ssh_key": "x"}).encode()
    response = requests.post(
        server.url + "/v2/ssh-keys", data=iter([body[:5], body[5:]]), headers=AUTH, timeout=10
    )
    _assert_client_error(response)
    assert "authorized_keys" in response.json()["error"]


def _raw(server: EmulatorServer, request: bytes) -> bytes:
    host, port = server.url.removeprefix("http://").split(":")
    with socket.create_connection((host, int(port)), timeout=10) as connection:
        connection.sendall(request)
        chunks = []
        while chunk := connection.recv(65536):
            chunks.append(chunk)
    return b"".join(chunks)


@pytest.mark.parametrize(
    "request_bytes",
    [
        b"POST /v2/ssh-keys HTTP/1.1\r\nHost: x\r\nContent-Length: banana\r\nConnection: close\r\n\r\n",
        b"GARBAGE\r\n\r\n",
        b"FOO /v2/ssh-keys HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n",
        b"GET /v2/" + b"a" * 70_000 + b" HTTP/1.1\r\nHost: x\r\n\r\n",
    ],
)
def test_malformed_http_gets_a_json_4xx(server: EmulatorServer, request_bytes: bytes) -> None:
    answer = _raw(server, request_bytes)
    head, _, body = answer.partition(b"\r\n\r\n")
    status = int(head.split(b" ", 2)[1])
    assert 400 <= status < 500, answer[:200]
    assert b"Content-Type: application/json" in head
    assert json.loads(body)["status"] == status


@settings(max_examples=60, deadline=None, derandomize=True, suppress_health_check=list(HealthCheck))
@given(
    st.sampled_from(
        [
            ("POST", "/instances"),
            ("POST", "/ssh-keys"),
            ("POST", "/startup-scripts"),
            ("POST", "/snapshots"),
            ("POST", "/instances/halt"),
            ("POST", "/iso"),
            ("POST", "/snapshots/create-from-url"),
        ]
    ),
    st.dictionaries(st.sampled_from(FIELDS), JSON_VALUES, max_size=6) | JSON_VALUES,
)
def test_arbitrary_json_never_makes_a_5xx(make_emulator, operation: tuple[str, str], body: object) -> None:
    v2 = adapter_v2(make_emulator(provision_seconds=0))
    method, path = operation
    response = v2.call(method, path, data=json.dumps(body).encode())
    assert response.status_code < 500, response.text
