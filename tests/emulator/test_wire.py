"""Transport conventions: authentication forms, status codes and bodies, JSON style, content types."""

from __future__ import annotations

import pytest
import requests

from tests.emulator.conftest import BASE, Api
from vultr_state.emulator import DEFAULT_API_KEY, EmulatorServer

FIXTURES = "/work/shared/fixtures/errors/"


def test_header_key_any_case_and_query_key_are_both_accepted(api: Api) -> None:
    for header in ("API-Key", "api-key", "Api-Key", "API-KEY"):
        response = api.session.get(f"{BASE}/v1/server/list", headers={header: DEFAULT_API_KEY})
        assert response.status_code == 200
        assert response.text == "[]"
    query = api.session.get(f"{BASE}/v1/server/list", params={"api_key": DEFAULT_API_KEY})
    assert query.status_code == 200


def test_post_with_key_in_query_and_params_in_body_like_python_vultr(api: Api) -> None:
    response = api.session.post(
        f"{BASE}/v1/sshkey/create",
        params={"api_key": DEFAULT_API_KEY},
        data={"name": "k", "ssh_key": "ssh-rsa AAAAB3NzaC1yc2E= x"},
    )
    assert response.status_code == 200


@pytest.mark.parametrize("key", [None, "wrong-key"])
def test_missing_or_wrong_key_is_403_plain_text(api: Api, key: str | None) -> None:
    response = api.get("account/info", key=key)
    assert response.status_code == 403
    assert response.text == "Invalid API key"
    assert response.headers["Content-Type"] == "text/html; charset=UTF-8"


@pytest.mark.parametrize("key", [None, DEFAULT_API_KEY, "wrong-key"])
def test_public_endpoints_work_with_and_without_a_key(api: Api, key: str | None) -> None:
    for endpoint in ("os/list", "plans/list", "regions/list", "app/list"):
        assert api.get(endpoint, key=key).status_code == 200
    assert api.get("regions/availability", key=key, DCID=1).status_code == 200


def test_unknown_location_is_400_and_wrong_method_is_405(api: Api) -> None:
    assert api.get("server/no_such_call").status_code == 400
    assert api.session.get(f"{BASE}/v3/instances").status_code == 400  # /v2/ is the v2 face
    wrong = api.post("server/list")
    assert wrong.status_code == 405
    assert "POST|GET" in wrong.text
    assert api.get("server/create").status_code == 405


def test_json_is_php_style_compact_with_escaped_slashes_and_no_newline(api: Api, active_server: str) -> None:
    body = api.get("server/list", SUBID=active_server).content
    assert b'"kvm_url":"https:\\/\\/my.vultr.com\\/subs\\/novnc\\/api.php?data=' in body
    assert b": " not in body and b", " not in body
    assert not body.endswith(b"\n")


def test_action_endpoints_answer_empty_200_without_content_type(api: Api, active_server: str) -> None:
    response = api.post("server/label_set", SUBID=active_server, label="x")
    assert response.status_code == 200
    assert response.content == b""
    assert "Content-Type" not in response.headers
    listed = api.get("server/list")
    assert listed.headers["Content-Type"] == "application/json"


def test_post_without_form_content_type_loses_its_body_and_fails_412(api: Api) -> None:
    # vultr-node#394: a body sent as JSON (or without Content-Type) is not read by the service.
    response = api.session.post(
        f"{BASE}/v1/server/create",
        json={"DCID": 1, "VPSPLANID": 201, "OSID": 1743},
        headers={"API-Key": DEFAULT_API_KEY},
    )
    assert response.status_code == 412
    assert response.text.startswith("Invalid datacenter.  ")


def test_empty_keyed_collections_are_a_json_array(api: Api) -> None:
    for endpoint in ("server/list", "sshkey/list", "startupscript/list", "snapshot/list", "backup/list"):
        assert api.get(endpoint).text == "[]"
    assert api.get("server/list", label="nothing").text == "[]"


def test_error_texts_match_the_recorded_fixtures(api: Api) -> None:
    with open(FIXTURES + "412_invalid_server.txt") as fixture:
        assert api.post("server/halt", SUBID=1).text == fixture.read()
    with open(FIXTURES + "403_invalid_api_key.txt") as fixture:
        assert api.get("account/info", key="nope").text == fixture.read()
    with open(FIXTURES + "412_create_plan_not_available.txt") as fixture:
        assert api.post("server/create", DCID=34, VPSPLANID=201, OSID=1743).text == fixture.read()


def test_the_same_calls_behave_identically_over_a_real_socket(emulator, api: Api) -> None:
    with EmulatorServer(emulator) as server:
        assert server.url.startswith("http://127.0.0.1:")
        session = requests.Session()
        real = Api(session, server.url)
        subid = real.create_server(label="sock")
        assert api.get("server/list", SUBID=subid).json()["label"] == "sock"
        empty = real.post("server/halt", SUBID=subid)
        assert (empty.status_code, empty.content) == (200, b"")
        assert "Content-Type" not in empty.headers
        assert real.get("server/list", key="x").status_code == 403
        assert real.get("nothing/here").status_code == 400
        assert real.post("server/list").status_code == 405
        session.close()
