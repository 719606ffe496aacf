"""A bounded property-based run (schemathesis) over every in-scope v2 operation of the published document:
no 5xx, no undocumented content type, no response-schema mismatch, and every answer passes the stricter
``conformance`` check too (errors included, recorded deviations listed there).

Requests are generated from the vendored document (``fixtures/openapi``) and sent over a real socket to an
emulator with instant provisioning (so nothing is locked) and no rate limit. Half of the generated path
ids are swapped for ids of objects seeded in the account, so that the run reaches the handlers' logic and
not only their 404s. The example count is bounded (``MAX_EXAMPLES`` per operation, derandomized) to keep
the suite fast.
"""

from __future__ import annotations

import zlib
from collections.abc import Iterator
from urllib.parse import urlsplit

import pytest
import requests
import schemathesis
from hypothesis import HealthCheck, settings
from schemathesis.checks import not_a_server_error
from schemathesis.specs.openapi.checks import content_type_conformance, response_schema_conformance

from tests.emulator.v2.conformance import DOCUMENT, problems
from tests.emulator.v2.conftest import SCRIPT_B64, SSH_KEY
from vultr_state.emulator import DEFAULT_API_KEY, EmulatorConfig, EmulatorServer

MAX_EXAMPLES = 10
AUTH = {"Authorization": f"Bearer {DEFAULT_API_KEY}"}
SCHEMA = schemathesis.openapi.from_dict(DOCUMENT)


def _seed(url: str) -> dict[str, str]:
    """Objects of every kind, by the path parameter that names them."""
    session = requests.Session()
    session.headers.update(AUTH)
    v2 = url + "/v2"
    key = session.post(v2 + "/ssh-keys", json={"name": "fuzz", "ssh_key": SSH_KEY}).json()["ssh_key"]["id"]
    script = session.post(v2 + "/startup-scripts", json={"name": "fuzz", "script": SCRIPT_B64}).json()
    body = {"region": "ewr", "plan": "vc2-1c-1gb", "os_id": 477, "enable_ipv6": True}
    instance = session.post(v2 + "/instances", json=body).json()["instance"]["id"]
    snapshot = session.post(v2 + "/snapshots", json={"instance_id": instance}).json()["snapshot"]["id"]
    iso = session.post(v2 + "/iso", json={"url": "https://example.com/fuzz.iso"}).json()["iso"]["id"]
    main_ip = session.get(f"{v2}/instances/{instance}").json()["instance"]["main_ip"]
    return {
        "instance-id": instance,
        "ssh-key-id": key,
        "startup-id": script["startup_script"]["id"],
        "snapshot-id": snapshot,
        "iso-id": iso,
        "region-id": "ewr",
        "ipv4": main_ip,
    }


@pytest.fixture(scope="module")
def emulator_url() -> Iterator[tuple[str, dict[str, str]]]:
    config = EmulatorConfig(rate_limit=0, provision_seconds=0, snapshot_seconds=0)
    with EmulatorServer(config=config) as server:
        yield server.url, _seed(server.url)


@SCHEMA.parametrize()
@settings(
    max_examples=MAX_EXAMPLES,
    deadline=None,
    derandomize=True,
    suppress_health_check=list(HealthCheck),
)
def test_generated_requests_get_documented_answers(case, emulator_url) -> None:
    url, seeded = emulator_url
    for name in list(case.path_parameters or {}):
        if name in seeded and zlib.crc32(repr(case.path_parameters).encode()) % 2:
            case.path_parameters[name] = seeded[name]
    response = case.call(base_url=url + "/v2", headers=AUTH, timeout=10)
    case.validate_response(
        response, checks=[not_a_server_error, content_type_conformance, response_schema_conformance]
    )
    path = urlsplit(response.request.url).path[len("/v2") :]
    headers = {name: values[0] for name, values in response.headers.items()}
    found = problems(case.method, path, response.status_code, headers, response.content)
    assert not found, found
