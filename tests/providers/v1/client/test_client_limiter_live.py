"""The shared limiter keeps parallel calls under the emulator's real rate limit (real clock, real HTTP).

Eight threads share one client. With the client's limiter at 30 req/s the emulator (40 req/s, burst 4)
never answers 503; without it, the same burst is refused. This is the one client test that waits for real
(about 1.3 s), because rate limiting is about real time.
"""

from __future__ import annotations

import threading

import pytest
import requests

from providers.v1.client.support import TEST_KEY
from vultr_state.emulator import Emulator, EmulatorConfig
from vultr_state.errors import ApiRateLimited
from vultr_state.providers.v1.client import ClientSettings, RateLimiter, VultrClient

THREADS, CALLS_PER_THREAD = 8, 5


@pytest.fixture
def limited_server(shared_server):
    server, app = shared_server
    emulator = Emulator(EmulatorConfig(api_keys=(TEST_KEY,), rate_limit=40.0, rate_burst=4))
    app.target = emulator
    yield server.url
    app.target = None
    emulator.close()


def hammer(client: VultrClient) -> list[BaseException]:
    errors: list[BaseException] = []
    lock = threading.Lock()
    barrier = threading.Barrier(THREADS)

    def worker() -> None:
        barrier.wait()
        for _ in range(CALLS_PER_THREAD):
            try:
                client.sshkey_list()
            except ApiRateLimited as exc:
                with lock:
                    errors.append(exc)

    threads = [threading.Thread(target=worker) for _ in range(THREADS)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    return errors


def make_client(url: str, limiter: RateLimiter) -> VultrClient:
    settings = ClientSettings(api_key=TEST_KEY, api_url=url)
    return VultrClient(settings, session=requests.Session(), rate_limiter=limiter, max_attempts=1)


def test_parallel_burst_stays_under_the_rate(limited_server):
    client = make_client(limited_server, RateLimiter(30.0, 1))
    errors = hammer(client)
    # The emulator's own 40 req/s limit is the judge (no stopwatch here: a loaded machine only slows
    # the calls down): it refused none of the paced calls, and refuses the unpaced burst below.
    assert errors == []
    assert client.calls == THREADS * CALLS_PER_THREAD


def test_without_the_limiter_the_same_burst_is_refused(limited_server):
    client = make_client(limited_server, RateLimiter(0))
    assert hammer(client), "the emulator should have answered 503 to an unpaced burst"
