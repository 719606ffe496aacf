"""Client figures against the emulator: per-call cost, HTTP throughput, and rate-limiter accuracy.

Run: ``python benchmarks/client_throughput.py`` (about 5 seconds). Prints:

1. in process (EmulatorAdapter): ``server_list()`` of an account with 50 servers through the client vs. the
   same request with a bare ``requests`` session and ``json.loads`` → the client's own overhead
   (pipeline, logging checks, normalisation);
2. over HTTP (EmulatorServer on 127.0.0.1, keep-alive): sequential ``sshkey_list()`` calls per second;
3. 8 threads sharing one client limited to 20 req/s against an emulator enforcing 20 req/s (burst 3):
   achieved rate and the number of 503 answers (should be 0).
"""

from __future__ import annotations

import json
import threading
import time

import requests

from vultr_state.emulator import DEFAULT_API_KEY, Emulator, EmulatorAdapter, EmulatorConfig, EmulatorServer
from vultr_state.providers.v1.client import ClientSettings, RateLimiter, VultrClient

URL = "https://api.vultr.com"


def in_process(servers: int = 50, calls: int = 300) -> None:
    emulator = Emulator(EmulatorConfig(rate_limit=0, provision_seconds=0))
    session = requests.Session()
    session.mount(URL + "/", EmulatorAdapter(emulator))
    client = VultrClient(ClientSettings(api_key=DEFAULT_API_KEY, rate_limit=0), session=session)
    dcid = next(iter(client.regions_list()))
    plan = client.regions_availability(dcid)[0]
    osid = next(k for k, os in client.os_list().items() if os["family"] == "ubuntu")
    for n in range(servers):
        client.server_create(dcid, plan, osid, label=f"bench-{n}")
    started = time.perf_counter()
    for _ in range(calls):
        assert len(client.server_list()) == servers
    with_client = (time.perf_counter() - started) / calls
    started = time.perf_counter()
    for _ in range(calls):
        response = session.get(URL + "/v1/server/list", headers={"API-Key": DEFAULT_API_KEY}, timeout=(5, 30))
        assert len(json.loads(response.text)) == servers
    bare = (time.perf_counter() - started) / calls
    print(
        f"in process, server_list of {servers} servers: client {with_client * 1000:.2f} ms/call, "
        f"bare requests {bare * 1000:.2f} ms/call, client overhead {(with_client - bare) * 1000:.2f} ms/call"
    )


def over_http(calls: int = 500) -> None:
    with EmulatorServer(config=EmulatorConfig(rate_limit=0)) as server:
        settings = ClientSettings(api_key=DEFAULT_API_KEY, api_url=server.url, rate_limit=0)
        client = VultrClient(settings)
        client.sshkey_list()
        started = time.perf_counter()
        for _ in range(calls):
            client.sshkey_list()
        elapsed = time.perf_counter() - started
        print(
            f"over HTTP (keep-alive), sshkey_list: {calls / elapsed:.0f} calls/s, "
            f"{elapsed / calls * 1000:.2f} ms/call"
        )


def limiter(rate: float = 20.0, threads: int = 8, per_thread: int = 8) -> None:
    config = EmulatorConfig(rate_limit=rate, rate_burst=3)
    with EmulatorServer(config=config) as server:
        settings = ClientSettings(api_key=DEFAULT_API_KEY, api_url=server.url, rate_limit=rate)
        client = VultrClient(settings, rate_limiter=RateLimiter(rate, 1))
        barrier = threading.Barrier(threads)

        def worker() -> None:
            barrier.wait()
            for _ in range(per_thread):
                client.sshkey_list()

        pool = [threading.Thread(target=worker) for _ in range(threads)]
        started = time.perf_counter()
        for thread in pool:
            thread.start()
        for thread in pool:
            thread.join()
        elapsed = time.perf_counter() - started
        total = threads * per_thread
        refused = client.calls - total
        print(
            f"limiter, {threads} threads x {per_thread} calls at {rate:g} req/s: "
            f"{total / elapsed:.2f} req/s achieved, {refused} answers were 503 (retried)"
        )


if __name__ == "__main__":
    in_process()
    over_http()
    limiter()
