"""Benchmark: apply N servers (with SSH keys, startup scripts, IPv6 and reverse DNS) from an empty
account, on v2 (default: 30 requests/s) or v1 (2 requests/s).

Runs the real pipeline - load_manifest → read_live → plan → apply - against the in-process emulator with
that API's rate limit on and the client pacing itself at the same rate, in real time, then prints the
wall time and the API calls next to three bounds:

- the target's, ``calls / rate + provisioning time`` (issue 15: within 1.25x, with no throttled answer,
  v2 429 or v1 503, in steady state);
- the absolute lower bound ``max(calls / rate, provisioning time)``: no apply can send its calls faster
  than the rate limit allows, nor finish before a server has provisioned;
- a dependency-aware bound between the two: no create can be sent before the plan's reads, the
  registry's intent write and the lock's settle time (``registry.store.DEFAULT_SETTLE``); no reverse
  DNS can be set before the first server has provisioned (its address is unknown while pending); then
  every reverse-DNS call and the registry's result write still have to pass the rate limit. So
  ``(calls before the first create) / rate + settle + provisioning + (reverse-DNS calls + 1) / rate``.

    python benchmarks/apply_bench.py                         # v2: 50 servers at 30 req/s, 5 s provisioning
    python benchmarks/apply_bench.py --api v1                # v1: 50 servers at 2 req/s
    python benchmarks/apply_bench.py --servers 10 --rate 5
"""

from __future__ import annotations

import argparse
import tempfile
import threading
import time
from collections import Counter
from pathlib import Path

import requests

from vultr_state.emulator import DEFAULT_API_KEY, Emulator, EmulatorAdapter, EmulatorConfig
from vultr_state.executor import apply
from vultr_state.http.settings import ClientSettings
from vultr_state.manifest import load_manifest
from vultr_state.planner import PlanOptions, plan
from vultr_state.providers.base import Provider, read_live
from vultr_state.registry.store import DEFAULT_SETTLE

BASE_URL = "https://api.vultr.com"
DEFAULT_RATES = {"v1": 2.0, "v2": 30.0}
KEYS = (
    "ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAICvMRIoLl7ifUS3jw5GPijSJRpDW6frmaxgsFBvBFfLQ deploy@bench",
    "ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAIAABAgMEBQYHCAkKCwwNDg8QERITFBUWFxgZGhscHR4f ops@bench",
)


def write_manifest(directory: Path, servers: int) -> Path:
    """A manifest with two keys, two scripts and ``servers`` servers using them, with reverse DNS."""
    lines = [
        "project: bench",
        "defaults:",
        "  region: New Jersey",
        "  plan: 1024 MB RAM,25 GB SSD,1.00 TB BW",
        "  os: Ubuntu 22.04 x64",
        "  ssh_keys: [deploy, ops]",
        "ssh_keys:",
        f'  - {{name: deploy, public_key: "{KEYS[0]}"}}',
        f'  - {{name: ops, public_key: "{KEYS[1]}"}}',
        "startup_scripts:",
        '  - {name: web-boot, script: "#!/bin/sh\\necho web\\n"}',
        '  - {name: api-boot, script: "#!/bin/sh\\necho api\\n"}',
        "servers:",
    ]
    for i in range(1, servers + 1):
        label = f"node-{i:03d}"
        script = "web-boot" if i % 2 else "api-boot"
        lines += [
            f"  - label: {label}",
            f"    startup_script: {script}",
            "    ipv6: true",
            f"    reverse_dns: {{ipv4: {label}.example.com, ipv6: {label}.example.com}}",
        ]
    path = directory / "bench.yaml"
    path.write_text("\n".join(lines) + "\n")
    return path


class Recorder:
    """WSGI middleware: the time, method, path and status of every answer the emulator gives."""

    def __init__(self, app):
        self.app = app
        self.calls: list[tuple[float, str, str, int]] = []
        self._lock = threading.Lock()

    def __call__(self, environ, start_response):
        method, path = environ.get("REQUEST_METHOD", ""), environ.get("PATH_INFO", "")

        def recording(status: str, headers, exc_info=None):
            with self._lock:
                self.calls.append((time.monotonic(), method, path, int(status.split()[0])))
            return start_response(status, headers, exc_info) if exc_info else start_response(status, headers)

        return self.app(environ, recording)


def _emulator(api: str, rate: float, provision: float) -> Emulator:
    if api == "v1":
        return Emulator(EmulatorConfig(rate_limit=rate, provision_seconds=provision))
    return Emulator(EmulatorConfig(rate_limit=rate, v2_rate_limit=rate, provision_seconds=provision))


def _provider(api: str, app, rate: float) -> Provider:
    session = requests.Session()
    session.mount(BASE_URL + "/", EmulatorAdapter(app))
    settings = ClientSettings(api_key=DEFAULT_API_KEY, api_url=BASE_URL, rate_limit=rate)
    if api == "v1":
        from vultr_state.providers.v1 import V1Provider
        from vultr_state.providers.v1.client import VultrClient

        return V1Provider(VultrClient(settings, session=session))
    from vultr_state.providers.v2.provider import V2Provider

    return V2Provider(settings, session=session)


def _kind(api: str, method: str, path: str) -> str:
    """create | poll | reverse DNS | registry | read | other, for the breakdown."""
    if api == "v1":
        name = path.removeprefix("/v1/")
        if name == "server/create":
            return "create"
        if "reverse_set" in name:
            return "reverse DNS"
        if name.startswith("startupscript/") and method == "POST":
            return "registry/scripts"
        return "read" if method == "GET" else "other"
    parts = path.removeprefix("/v2/").split("/")
    if parts == ["instances"] and method == "POST":
        return "create"
    if parts[0] == "instances" and parts[-1] == "reverse":
        return "reverse DNS"
    if parts[0] == "startup-scripts" and method != "GET":
        return "registry/scripts"
    return "read" if method == "GET" else "other"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--api", choices=("v1", "v2"), default="v2")
    parser.add_argument("--servers", type=int, default=50)
    parser.add_argument("--rate", type=float, help="requests/s allowed (default: 30 on v2, 2 on v1)")
    parser.add_argument("--provision", type=float, default=5.0, help="seconds a new server stays pending")
    parser.add_argument("--parallelism", type=int, default=10)
    args = parser.parse_args()
    rate = args.rate or DEFAULT_RATES[args.api]

    emulator = _emulator(args.api, rate, args.provision)
    recorder = Recorder(emulator)
    provider = _provider(args.api, recorder, rate)
    with tempfile.TemporaryDirectory() as tmp:
        desired = load_manifest([str(write_manifest(Path(tmp), args.servers))], env={})
    started = time.monotonic()
    live = read_live(provider, desired)
    the_plan = plan(desired, live, PlanOptions(), capabilities=provider.capabilities)
    plan_calls = len(recorder.calls)
    result = apply(the_plan, provider, parallelism=args.parallelism)
    wall = time.monotonic() - started
    provider.close()

    servers = emulator.servers() if args.api == "v1" else emulator.v2.instances()
    assert result.ok and len(servers) == args.servers, result.summary()
    answered = [c for c in recorder.calls if c[3] not in (429, 503)]
    throttled = len(recorder.calls) - len(answered)
    kinds = Counter(_kind(args.api, m, p) for _t, m, p, _s in answered)
    calls = len(answered)
    bound = max(calls / rate, args.provision)
    target_bound = calls / rate + args.provision
    first_create = min(t for t, m, p, _s in answered if _kind(args.api, m, p) == "create")
    before = sum(1 for t, *_rest in answered if t < first_create)
    pipeline = before / rate + DEFAULT_SETTLE + args.provision + (kinds["reverse DNS"] + 1) / rate
    polls = kinds["read"] - plan_calls
    print(
        f"apply {args.servers} servers from empty on {args.api} at {rate:g} req/s, provisioning "
        f"{args.provision:g} s, parallelism {args.parallelism}"
    )
    print(f"  actions           {len(the_plan.actions)}")
    print(
        f"  API calls         {calls} (plan reads {plan_calls}; apply: creates {kinds['create']}, "
        f"reverse DNS {kinds['reverse DNS']}, registry and scripts {kinds['registry/scripts']}, "
        f"polls and other reads {polls}, other {kinds['other']})"
    )
    print(f"  throttled answers {throttled} ({'429' if args.api == 'v2' else '503'})")
    print(f"  wall time         {wall:.2f} s")
    print(
        f"  target bound      {target_bound:.2f} s  calls / rate + provisioning  "
        f"ratio {wall / target_bound:.2f}x (target <= 1.25x)"
    )
    print(f"  lower bound       {bound:.2f} s  max(calls / rate, provisioning)  ratio {wall / bound:.2f}x")
    print(
        f"  dependency bound  {pipeline:.2f} s  (calls before the first create) / rate + settle "
        f"{DEFAULT_SETTLE:g} s + provisioning + (reverse DNS + 1) / rate  ratio {wall / pipeline:.2f}x"
    )


if __name__ == "__main__":
    main()
