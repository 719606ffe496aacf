"""Measure the emulator's own speed over loopback: mixed-request throughput with the rate limit off, and
``server/list`` latency with 10,000 servers stored. Targets: >= 500 requests/s, list under 300 ms.

Run: ``python benchmarks/emulator_throughput.py [--requests 2000] [--servers 10000] [--list-calls 20]``.
"""

from __future__ import annotations

import argparse
import statistics
import time

import requests

from vultr_state.emulator import DEFAULT_API_KEY, Emulator, EmulatorConfig, EmulatorServer

HEADERS = {"API-Key": DEFAULT_API_KEY}
SSH_KEY = "ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAIOMqqnkVzrm0SdG6UOoqKLsabgH5C9okWi0dh2l9GKJl bench"


def mixed_throughput(url: str, total: int) -> float:
    """Requests per second for a mix of reads, creates and actions on one keep-alive session."""
    session, auth = requests.Session(), HEADERS
    subid = session.post(
        url + "/v1/server/create", data={"DCID": 1, "VPSPLANID": 201, "OSID": 1743}, headers=HEADERS
    ).json()["SUBID"]
    calls = [
        lambda: session.get(url + "/v1/server/list", params={"SUBID": subid}, headers=HEADERS),
        lambda: session.get(url + "/v1/os/list"),
        lambda: session.get(url + "/v1/sshkey/list", headers=HEADERS),
        lambda: session.post(url + "/v1/server/label_set", data={"SUBID": subid, "label": "b"}, headers=auth),
        lambda: session.get(url + "/v1/plans/list"),
        lambda: session.post(url + "/v1/sshkey/create", data={"name": "b", "ssh_key": SSH_KEY}, headers=auth),
        lambda: session.get(url + "/v1/server/list_ipv4", params={"SUBID": subid}, headers=HEADERS),
        lambda: session.get(url + "/v1/startupscript/list", headers=HEADERS),
    ]
    start = time.perf_counter()
    for index in range(total):
        response = calls[index % len(calls)]()
        response.raise_for_status()
    elapsed = time.perf_counter() - start
    session.close()
    return total / elapsed


def list_latency(emulator: Emulator, url: str, servers: int, calls: int) -> tuple[float, float, int]:
    """Median and p95 seconds of ``server/list`` with ``servers`` stored, and the body size."""
    emulator.reset()
    session = requests.Session()
    for index in range(servers):
        data = {"DCID": 1, "VPSPLANID": 201, "OSID": 1743, "enable_ipv6": "yes", "label": f"bench-{index}"}
        session.post(url + "/v1/server/create", data=data, headers=HEADERS).raise_for_status()
    timings, size = [], 0
    for _ in range(calls):
        start = time.perf_counter()
        response = session.get(url + "/v1/server/list", headers=HEADERS)
        size = len(response.content)
        timings.append(time.perf_counter() - start)
        assert response.status_code == 200
    session.close()
    timings.sort()
    return statistics.median(timings), timings[max(0, int(len(timings) * 0.95) - 1)], size


def main() -> None:
    """Run both measurements and print the figures."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--requests", type=int, default=2000)
    parser.add_argument("--servers", type=int, default=10_000)
    parser.add_argument("--list-calls", type=int, default=20)
    args = parser.parse_args()
    emulator = Emulator(EmulatorConfig(rate_limit=0, provision_seconds=0))
    with EmulatorServer(emulator) as server:
        rate = mixed_throughput(server.url, args.requests)
        print(f"throughput: {rate:,.0f} requests/s ({args.requests} mixed requests, keep-alive, limit off)")
        median, p95, size = list_latency(emulator, server.url, args.servers, args.list_calls)
        print(
            f"server/list with {args.servers:,} servers: median {median * 1000:.0f} ms, "
            f"p95 {p95 * 1000:.0f} ms ({size / 1e6:.1f} MB body, {args.list_calls} calls)"
        )
    emulator.close()


if __name__ == "__main__":
    main()
