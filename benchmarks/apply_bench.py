"""Benchmark: apply N servers (with SSH keys, startup scripts, IPv6 and reverse DNS) from an empty account.

Runs the real pipeline - load_manifest → read_live → plan → apply - against the in-process emulator with
its v1 rate limit on (2 requests/s by default) and the client pacing itself at the same rate, then prints
the wall time and the API calls next to the lower bound ``calls ÷ rate + provisioning time``: no apply can
send its calls faster than the rate limit allows, and the last server needs at least one provisioning
period before its reverse DNS can be set. Target: within 1.25x of that bound.

    python benchmarks/apply_bench.py                      # 50 servers at 2 req/s, 5 s provisioning
    python benchmarks/apply_bench.py --servers 10 --rate 5
"""

from __future__ import annotations

import argparse
import tempfile
import time
from pathlib import Path

import requests

from vultr_state.emulator import DEFAULT_API_KEY, Emulator, EmulatorAdapter, EmulatorConfig
from vultr_state.executor import apply
from vultr_state.manifest import load_manifest
from vultr_state.planner import PlanOptions, plan
from vultr_state.providers.base import read_live
from vultr_state.providers.v1 import V1Provider
from vultr_state.providers.v1.client import ClientSettings, VultrClient

BASE_URL = "https://api.vultr.com"
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


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--servers", type=int, default=50)
    parser.add_argument("--rate", type=float, default=2.0, help="requests/s allowed by the emulator")
    parser.add_argument("--provision", type=float, default=5.0, help="seconds a new server stays pending")
    parser.add_argument("--parallelism", type=int, default=10)
    args = parser.parse_args()

    emulator = Emulator(EmulatorConfig(rate_limit=args.rate, provision_seconds=args.provision))
    session = requests.Session()
    session.mount(BASE_URL + "/", EmulatorAdapter(emulator))
    settings = ClientSettings(api_key=DEFAULT_API_KEY, api_url=BASE_URL, rate_limit=args.rate)
    client = VultrClient(settings, session=session)

    with tempfile.TemporaryDirectory() as tmp:
        desired = load_manifest([str(write_manifest(Path(tmp), args.servers))], env={})
    started = time.monotonic()
    the_plan = plan(desired, read_live(V1Provider(client), desired), PlanOptions())
    plan_calls = client.calls
    result = apply(the_plan, V1Provider(client), parallelism=args.parallelism)
    wall = time.monotonic() - started

    assert result.ok and len(emulator.servers()) == args.servers
    by_endpoint = client.calls_by_endpoint
    calls = client.calls
    polls = by_endpoint["GET server/list"] - 1  # one server/list belongs to the plan's read
    needed = calls - polls
    bound = calls / args.rate + args.provision
    strict = needed / args.rate + args.provision
    reverse = by_endpoint["POST server/reverse_set_ipv4"] + by_endpoint["POST server/reverse_set_ipv6"]
    rejected = sum(n for path, n in emulator.call_counts.items()) - calls
    print(
        f"apply {args.servers} servers from empty at {args.rate:g} req/s, provisioning {args.provision:g} s"
    )
    print(f"  actions           {len(the_plan.actions)}")
    print(
        f"  API calls         {calls} (plan reads {plan_calls}, apply {calls - plan_calls}: "
        f"server/create {by_endpoint['POST server/create']}, "
        f"reverse DNS {reverse}, "
        f"polls {polls}, registry {by_endpoint['POST startupscript/update'] + 1})"
    )
    print(f"  503 answers       {max(rejected, 0)}")
    print(f"  wall time         {wall:.1f} s")
    print(f"  lower bound       {bound:.1f} s  (calls / rate + provisioning)   ratio {wall / bound:.2f}x")
    print(f"  strict bound      {strict:.1f} s  (without the polls)             ratio {wall / strict:.2f}x")


if __name__ == "__main__":
    main()
