"""Fixtures for the emulator tests: a manual clock, an in-memory emulator, and a thin raw-HTTP helper that
talks to it through the in-process adapter (or over a real socket where a test asks for it)."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
import requests

from vultr_state.emulator import DEFAULT_API_KEY, Emulator, EmulatorAdapter, EmulatorConfig, ManualClock

BASE = "https://api.vultr.com"
SSH_ED25519 = "ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAIOMqqnkVzrm0SdG6UOoqKLsabgH5C9okWi0dh2l9GKJl deploy@ci"


class Api:
    """Raw v1 calls with ``requests``: GET params in the query, POST params form-encoded."""

    def __init__(self, session: requests.Session, base: str, key: str | None = DEFAULT_API_KEY) -> None:
        self.session, self.base, self.key = session, base, key

    def _headers(self, key: str | None) -> dict[str, str]:
        return {"API-Key": key} if key else {}

    def get(self, endpoint: str, *, key: str | None = "default", **params: object) -> requests.Response:
        key = self.key if key == "default" else key
        return self.session.get(f"{self.base}/v1/{endpoint}", params=params, headers=self._headers(key))

    def post(self, endpoint: str, *, key: str | None = "default", **data: object) -> requests.Response:
        key = self.key if key == "default" else key
        return self.session.post(f"{self.base}/v1/{endpoint}", data=data, headers=self._headers(key))

    def ok(self, response: requests.Response) -> object:
        assert response.status_code == 200, response.text
        return response.json() if response.content else None

    def create_server(self, **overrides: object) -> str:
        params = {"DCID": 1, "VPSPLANID": 201, "OSID": 1743, **overrides}
        return self.ok(self.post("server/create", **params))["SUBID"]


@pytest.fixture
def clock() -> ManualClock:
    return ManualClock()


@pytest.fixture
def make_emulator(clock: ManualClock) -> Iterator:
    made: list[Emulator] = []

    def make(**overrides: object) -> Emulator:
        settings = {"rate_limit": 0, "provision_seconds": 10, "snapshot_seconds": 5, "clock": clock}
        emulator = Emulator(EmulatorConfig(**{**settings, **overrides}))
        made.append(emulator)
        return emulator

    yield make
    for emulator in made:
        emulator.close()


@pytest.fixture
def emulator(make_emulator) -> Emulator:
    return make_emulator()


def adapter_api(emulator: Emulator, key: str | None = DEFAULT_API_KEY) -> Api:
    session = requests.Session()
    session.mount(BASE + "/", EmulatorAdapter(emulator))
    return Api(session, BASE, key)


@pytest.fixture
def api(emulator: Emulator) -> Api:
    return adapter_api(emulator)


@pytest.fixture
def active_server(api: Api, clock: ManualClock) -> str:
    """A server with IPv6 and private networking, fully provisioned."""
    subid = api.create_server(enable_ipv6="yes", enable_private_network="yes", label="web-1", tag="web")
    clock.advance(60)
    return subid
