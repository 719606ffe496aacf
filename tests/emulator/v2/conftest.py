"""Fixtures for the v2 emulator tests: a raw JSON client (``V2``) over the in-process adapter that checks
every answer against the published schema (``conformance``), the recorded v2 bodies (read from
``tests/emulator/v2/fixtures``, copied from ``/work/shared/fixtures/v2``) and a provisioned instance."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

import pytest
import requests

from tests.emulator.v2.conformance import problems
from vultr_state.emulator import DEFAULT_API_KEY, Emulator, EmulatorAdapter, ManualClock

BASE = "https://api.vultr.com"
FIXTURES = Path(__file__).parent / "fixtures"
SSH_KEY = "ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAIOMqqnkVzrm0SdG6UOoqKLsabgH5C9okWi0dh2l9GKJl deploy@ci"
SCRIPT_B64 = "IyEvYmluL3NoCmVjaG8gaGVsbG8K"  # "#!/bin/sh\necho hello\n"


def recorded(name: str) -> Any:
    """A recorded body (``fixtures/<name>``) as JSON."""
    return json.loads((FIXTURES / name).read_text(encoding="utf-8"))


class V2:
    """Raw v2 calls: JSON bodies, ``Authorization: Bearer``; ``key=None`` sends no header."""

    def __init__(self, session: requests.Session, base: str, key: str | None = DEFAULT_API_KEY) -> None:
        self.session, self.base, self.key = session, base, key

    def call(
        self, method: str, path: str, *, key: str | None = "default", **kwargs: Any
    ) -> requests.Response:
        key = self.key if key == "default" else key
        headers = dict(kwargs.pop("headers", {}))
        if key is not None:
            headers["Authorization"] = f"Bearer {key}"
        response = self.session.request(method, f"{self.base}/v2{path}", headers=headers, **kwargs)
        found = problems(
            method,
            urlsplit(response.url).path[len("/v2") :],
            response.status_code,
            dict(response.headers),
            response.content,
        )
        assert not found, found
        return response

    def get(self, path: str, **kwargs: Any) -> requests.Response:
        return self.call("GET", path, **kwargs)

    def post(self, path: str, body: Any = None, **kwargs: Any) -> requests.Response:
        return self.call("POST", path, json=body, **kwargs)

    def patch(self, path: str, body: Any = None, **kwargs: Any) -> requests.Response:
        return self.call("PATCH", path, json=body, **kwargs)

    def put(self, path: str, body: Any = None, **kwargs: Any) -> requests.Response:
        return self.call("PUT", path, json=body, **kwargs)

    def delete(self, path: str, **kwargs: Any) -> requests.Response:
        return self.call("DELETE", path, **kwargs)

    def ok(self, response: requests.Response, status: int = 200) -> Any:
        assert response.status_code == status, response.text
        if status == 204:
            assert response.content == b"" and "Content-Type" not in response.headers
            return None
        assert response.headers["Content-Type"] == "application/json"
        return response.json()

    def create_instance(self, **overrides: Any) -> dict[str, Any]:
        body = {"region": "ams", "plan": "vc2-1c-1gb", "os_id": 477, **overrides}
        return self.ok(self.post("/instances", body), 202)["instance"]

    def create_key(self, name: str = "deploy") -> str:
        return self.ok(self.post("/ssh-keys", {"name": name, "ssh_key": SSH_KEY}), 201)["ssh_key"]["id"]


def adapter_v2(emulator: Emulator, key: str | None = DEFAULT_API_KEY) -> V2:
    session = requests.Session()
    session.mount(BASE + "/", EmulatorAdapter(emulator))
    return V2(session, BASE, key)


@pytest.fixture
def v2(emulator: Emulator) -> V2:
    return adapter_v2(emulator)


@pytest.fixture
def active_instance(v2: V2, clock: ManualClock) -> dict[str, Any]:
    """An instance with IPv6 and a VPC, fully provisioned (active/ok)."""
    created = v2.create_instance(enable_ipv6=True, enable_vpc=True, label="web-1", tags=["web"])
    clock.advance(60)
    return created
