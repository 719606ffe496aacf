"""Measure the v2 face of the emulator over loopback: mixed-request throughput with the rate limit off, and
the time to page through 10,000 instances at 500 a page. Targets: >= 1,000 requests/s; paging < 1 s.

Run: ``python benchmarks/emulator_v2_throughput.py [--requests 3000] [--instances 10000] [--per-page 500]``.

The emulator runs as ``vultr-state emulator serve`` in a subprocess (its own interpreter, so client and
server do not share a GIL); the client is ``http.client`` on one keep-alive connection (``requests``
alone costs more CPU per call than the emulator does, so it would measure itself). Besides wall-clock
figures the script prints the emulator process's CPU seconds, which a loaded machine skews less. The
instances for the paging run are created through the API (``POST /instances``), untimed.
"""

from __future__ import annotations

import argparse
import http.client
import json
import os
import subprocess
import sys
import time
from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any
from urllib.parse import urlencode, urlsplit

from vultr_state.emulator import DEFAULT_API_KEY

HEADERS = {"Authorization": f"Bearer {DEFAULT_API_KEY}", "Content-Type": "application/json"}
SSH_KEY = "ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAIOMqqnkVzrm0SdG6UOoqKLsabgH5C9okWi0dh2l9GKJl bench"
INSTANCE = {"region": "ewr", "plan": "vc2-1c-1gb", "os_id": 477, "enable_ipv6": True}


@contextmanager
def emulator_process() -> Iterator[tuple[str, int]]:
    """Run ``emulator serve`` (limit off, instant provisioning); yields its URL and pid."""
    command = [sys.executable, "-m", "vultr_state", "emulator", "serve", "--port", "0", "--rate-limit", "0"]
    command += ["--provision-seconds", "0", "--snapshot-seconds", "0"]
    process = subprocess.Popen(command, stdout=subprocess.PIPE, text=True)
    try:
        assert process.stdout is not None
        yield process.stdout.readline().strip(), process.pid
    finally:
        process.terminate()
        process.wait(timeout=10)


def cpu_seconds(pid: int) -> float:
    """User plus system CPU seconds used so far by process ``pid`` (Linux ``/proc``)."""
    with open(f"/proc/{pid}/stat", encoding="ascii") as stat:
        fields = stat.read().rsplit(")", 1)[1].split()
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


class Client:
    """One keep-alive connection to the emulator's ``/v2``."""

    def __init__(self, url: str) -> None:
        parts = urlsplit(url)
        self.connection = http.client.HTTPConnection(parts.hostname or "127.0.0.1", parts.port)

    def call(self, method: str, path: str, body: Any = None, **query: object) -> Any:
        """Send one request; returns the decoded JSON body (``None`` for a 204)."""
        target = "/v2" + path + (("?" + urlencode(query)) if query else "")
        data = None if body is None else json.dumps(body).encode()
        self.connection.request(method, target, body=data, headers=HEADERS)
        response = self.connection.getresponse()
        content = response.read()
        if response.status >= 300:
            raise RuntimeError(f"{method} {path}: {response.status} {content[:200]!r}")
        return json.loads(content) if content else None

    def close(self) -> None:
        """Close the connection."""
        self.connection.close()


def mixed_throughput(url: str, pid: int, total: int) -> tuple[float, float]:
    """Requests per wall second, and per CPU second of the emulator, for a mix of reads, creates, updates."""
    client = Client(url)
    instance_id = client.call("POST", "/instances", {**INSTANCE, "label": "bench"})["instance"]["id"]
    calls = [
        lambda: client.call("GET", f"/instances/{instance_id}"),
        lambda: client.call("GET", "/os"),
        lambda: client.call("GET", "/ssh-keys", per_page=20),
        lambda: client.call("PATCH", f"/instances/{instance_id}", {"label": "b"}),
        lambda: client.call("GET", "/plans"),
        lambda: client.call("POST", "/ssh-keys", {"name": "b", "ssh_key": SSH_KEY}),
        lambda: client.call("GET", f"/instances/{instance_id}/ipv4"),
        lambda: client.call("GET", "/startup-scripts"),
    ]
    wall, cpu = time.perf_counter(), cpu_seconds(pid)
    for index in range(total):
        calls[index % len(calls)]()
    wall, cpu = time.perf_counter() - wall, cpu_seconds(pid) - cpu
    client.close()
    return total / wall, total / cpu


def paging_time(url: str, pid: int, instances: int, per_page: int) -> tuple[float, float, int, int]:
    """Wall and emulator CPU seconds to follow ``next`` through every instance, pages, instances seen."""
    client = Client(url)
    client.connection.request("POST", "/_emulator/reset", headers=HEADERS)
    client.connection.getresponse().read()
    for index in range(instances):
        client.call("POST", "/instances", {**INSTANCE, "label": f"bench-{index}"})
    seen, pages, cursor = 0, 0, ""
    wall, cpu = time.perf_counter(), cpu_seconds(pid)
    while True:
        page = client.call("GET", "/instances", per_page=per_page, **({"cursor": cursor} if cursor else {}))
        seen += len(page["instances"])
        pages += 1
        cursor = page["meta"]["links"]["next"]
        if not cursor:
            break
    wall, cpu = time.perf_counter() - wall, cpu_seconds(pid) - cpu
    client.close()
    return wall, cpu, pages, seen


def main() -> None:
    """Run both measurements and print the figures."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--requests", type=int, default=3000)
    parser.add_argument("--instances", type=int, default=10_000)
    parser.add_argument("--per-page", type=int, default=500)
    args = parser.parse_args()
    with emulator_process() as (url, pid):
        rate, cpu_rate = mixed_throughput(url, pid, args.requests)
        print(
            f"v2 throughput: {rate:,.0f} requests/s wall, {cpu_rate:,.0f} per emulator CPU second "
            f"({args.requests} mixed requests, one keep-alive connection, no limit)"
        )
        wall, cpu, pages, seen = paging_time(url, pid, args.instances, args.per_page)
        print(
            f"v2 paging: {seen:,} instances in {pages} pages of {args.per_page}: {wall * 1000:.0f} ms wall, "
            f"{cpu * 1000:.0f} ms emulator CPU"
        )


if __name__ == "__main__":
    main()
