"""The v2 dialect's requests (URL, Bearer, JSON) and the wire documents the operations send."""

from __future__ import annotations

import json

import pytest

from vultr_state.errors import ObjectGone, PlanError
from vultr_state.http.pipeline import Auth, Call, Pipeline
from vultr_state.http.retry import CallKind
from vultr_state.http.settings import ClientSettings
from vultr_state.model.server import BootSource, ServerCreate
from vultr_state.providers.v2.api import V2Api
from vultr_state.providers.v2.dialect import V2Dialect
from vultr_state.providers.v2.operations import V2Operations

TOKEN = "ABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789"
SETTINGS = ClientSettings(api_key=TOKEN, api_url="https://api.vultr.com")


def test_requests_carry_bearer_auth_json_content_type_and_the_v2_path() -> None:
    call = Call("PATCH", "instances/abc", CallKind.IDEMPOTENT, json={"label": "web-1", "tags": ["a"]})
    request = V2Dialect().build_request(call, SETTINGS)
    headers = dict(request.headers)
    assert request.url == "https://api.vultr.com/v2/instances/abc"
    assert headers["Authorization"] == f"Bearer {TOKEN}"
    assert headers["Content-Type"] == "application/json"
    assert json.loads(request.body or "") == {"label": "web-1", "tags": ["a"]}
    assert request.body == '{"label":"web-1","tags":["a"]}'
    assert TOKEN not in repr(request)


def test_reads_send_their_query_and_no_body_and_public_calls_may_go_without_a_key() -> None:
    call = Call("GET", "os", CallKind.READ, Auth.OPTIONAL, params=(("per_page", "500"),))
    request = V2Dialect().build_request(call, ClientSettings(api_key=None, api_url="https://api.vultr.com"))
    assert request.query == (("per_page", "500"),) and request.body is None
    assert "Authorization" not in dict(request.headers)


def test_next_page_replaces_the_cursor_and_keeps_the_label() -> None:
    first = Call("GET", "instances", params=(("per_page", "500"),), label="GET /instances")
    second = V2Dialect().next_page(first, "bmV4dF9fMjMw")
    third = V2Dialect().next_page(second, "bmV4dF9fNDAx")
    assert third.params == (("per_page", "500"), ("cursor", "bmV4dF9fNDAx"))
    assert third.label == "GET /instances" and third.kind is CallKind.READ


def test_map_error_names_the_call_and_keeps_vultrs_text() -> None:
    error = V2Dialect().map_error(
        Call("GET", "ssh-keys/k1", label="GET /ssh-keys/k1"),
        404,
        '{"error":"Invalid ssh key.","status":404}',
        lambda text: text,
    )
    assert isinstance(error, ObjectGone)
    assert str(error) == "GET /ssh-keys/k1 failed (HTTP 404): Invalid ssh key."


def _operations(project: str = "web") -> V2Operations:
    return V2Operations(V2Api(Pipeline(V2Dialect(), SETTINGS)), project=project)


def test_instance_body_from_a_create_request() -> None:
    request = ServerCreate(
        label="web-1",
        region_id="ewr",
        plan_id="vc2-1c-1gb",
        boot=BootSource.os("1743"),
        ssh_key_ids=("k1", "k2"),
        startup_script_id="s1",
        ipv6=True,
        private_network=True,
        auto_backups=True,
        hostname="web-1.example.com",
        tag="blue",
    )
    assert _operations().instance_body(request) == {
        "region": "ewr",
        "plan": "vc2-1c-1gb",
        "label": "web-1",
        "os_id": 1743,
        "hostname": "web-1.example.com",
        "sshkey_id": ["k1", "k2"],
        "script_id": "s1",
        "enable_ipv6": True,
        "enable_vpc": True,
        "backups": "enabled",
        "tags": ["blue", "vultr-state:web"],
    }


@pytest.mark.parametrize(
    ("boot", "field"),
    [
        (BootSource.snapshot("snap-1"), {"snapshot_id": "snap-1"}),
        (BootSource.iso("iso-1"), {"iso_id": "iso-1"}),
    ],
)
def test_instance_body_boots_from_exactly_one_source(boot: BootSource, field: dict[str, str]) -> None:
    body = _operations("").instance_body(ServerCreate(label="x", region_id="ewr", plan_id="p", boot=boot))
    assert {k: body[k] for k in ("os_id", "snapshot_id", "iso_id") if k in body} == field
    assert body["backups"] == "disabled" and body["tags"] == []
    assert "enable_ipv6" not in body and "sshkey_id" not in body and "script_id" not in body


def test_a_non_numeric_os_id_is_a_clear_error() -> None:
    request = ServerCreate(label="x", region_id="ewr", plan_id="p", boot=BootSource.os("Ubuntu"))
    with pytest.raises(PlanError, match="not a v2 OS id"):
        _operations().instance_body(request)
