"""Fixtures of the client tests: a fresh emulator per test, and clients wired to it in process or over HTTP.

``api`` is parametrised: every test that uses it runs twice, once through the emulator's in-process
adapter mounted on the session (the real base URL, no socket) and once over a real socket against an
``EmulatorServer`` on an ephemeral 127.0.0.1 port. Clients never sleep for real: retries and the limiter
record their waits in a ``FakeTime``; the emulator runs on a ``ManualClock`` that tests advance.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass, field

import pytest
import requests

from providers.v1.client.support import TEST_KEY, FakeTime
from vultr_state.emulator import Emulator, EmulatorAdapter, EmulatorConfig, EmulatorServer, ManualClock
from vultr_state.providers.v1.client import ClientSettings, RateLimiter, VultrClient

REAL_URL = "https://api.vultr.com"


@dataclass
class Api:
    """A client wired to an emulator, with the handles tests need."""

    emulator: Emulator
    clock: ManualClock
    fake: FakeTime
    url: str
    session: requests.Session
    client: VultrClient = field(init=False)

    def __post_init__(self) -> None:
        self.client = self.new_client()

    def new_client(self, api_key: str | None = TEST_KEY, **kwargs) -> VultrClient:
        """Another client on the same emulator and session (e.g. with another key or retry bounds)."""
        kwargs.setdefault("sleep", self.fake.sleep)
        kwargs.setdefault("clock", self.fake.clock)
        kwargs.setdefault("rate_limiter", RateLimiter(0))
        settings = ClientSettings(api_key=api_key, api_url=self.url, rate_limit=0)
        return VultrClient(settings, session=self.session, **kwargs)


def emulator_config(clock: ManualClock, **overrides) -> EmulatorConfig:
    """The emulator settings of these tests: our key, no rate limit, a manual clock, no real sleeping."""
    values = {
        "api_keys": (TEST_KEY,),
        "rate_limit": 0,
        "provision_seconds": 10.0,
        "snapshot_seconds": 10.0,
        "clock": clock,
        "sleep": lambda _seconds: None,
    }
    values.update(overrides)
    return EmulatorConfig(**values)


@pytest.fixture
def clock() -> ManualClock:
    return ManualClock()


@pytest.fixture
def emulator(clock: ManualClock) -> Iterator[Emulator]:
    emulator = Emulator(emulator_config(clock))
    yield emulator
    emulator.close()


class SwitchableApp:
    """A WSGI app that forwards to the current test's emulator, so one HTTP server serves every test
    (stopping an ``EmulatorServer`` takes up to half a second: its ``serve_forever`` polls at 0.5 s)."""

    def __init__(self) -> None:
        self.target: Emulator | None = None

    def __call__(self, environ, start_response):
        assert self.target is not None, "no emulator attached to the shared server"
        return self.target(environ, start_response)


@pytest.fixture(scope="session")
def shared_server() -> Iterator[tuple[EmulatorServer, SwitchableApp]]:
    app = SwitchableApp()
    with EmulatorServer(app) as server:  # type: ignore[arg-type]  (any WSGI app can be served)
        yield server, app


@pytest.fixture(params=["adapter", "http"])
def api(request, emulator: Emulator, clock: ManualClock) -> Iterator[Api]:
    fake = FakeTime()
    session = requests.Session()
    if request.param == "adapter":
        session.mount(REAL_URL + "/", EmulatorAdapter(emulator))
        yield Api(emulator, clock, fake, REAL_URL, session)
    else:
        server, app = request.getfixturevalue("shared_server")
        app.target = emulator
        yield Api(emulator, clock, fake, server.url, session)
        app.target = None
    session.close()


@pytest.fixture
def adapter_api(emulator: Emulator, clock: ManualClock) -> Iterator[Api]:
    """In-process only (for fault-injection tests that need no socket)."""
    session = requests.Session()
    session.mount(REAL_URL + "/", EmulatorAdapter(emulator))
    yield Api(emulator, clock, FakeTime(), REAL_URL, session)
    session.close()
