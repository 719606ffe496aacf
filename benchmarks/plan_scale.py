"""Benchmark: how a plan scales with the account. Prints API calls, wall time and peak memory per N.

For N = 10, 100, 1,000 and 5,000 servers (plus N/10 SSH keys and N/10 startup scripts), the emulator's
store is seeded directly (fast), with every object owned by the project's registry (split across as
many registry scripts as it needs) and 5 servers managing reverse DNS. Then, with the client's rate
limit off and the emulator on a real loopback socket, it runs manifest load → read_live → plan and
prints the figures. Targets: calls ≤ 8 plus one per reverse-DNS server, independent of N; 5,000
servers planned in under 2 s and under 300 MB beyond the baseline.

    python benchmarks/plan_scale.py [N ...]
"""

from __future__ import annotations

import sys
import tempfile
import time
import tracemalloc
from pathlib import Path

import requests

from vultr_state.emulator import (
    DEFAULT_API_KEY,
    Emulator,
    EmulatorAdapter,
    EmulatorConfig,
    EmulatorServer,
    ManualClock,
)
from vultr_state.emulator.v1.models import ScriptRecord, ServerRecord, SshKeyRecord, save
from vultr_state.http.settings import ClientSettings
from vultr_state.manifest import load_manifest
from vultr_state.model.desired import DesiredServer
from vultr_state.model.live import Live
from vultr_state.model.plan import Plan
from vultr_state.model.registry import OwnedObject, Registry
from vultr_state.planner import plan
from vultr_state.providers.base import read_live
from vultr_state.providers.v1 import V1Provider
from vultr_state.providers.v1.client import VultrClient
from vultr_state.registry import encode_registry, registry_script_name
from vultr_state.resources.server import Resolved, create_digest

PROJECT = "bench"
REVERSE_DNS_SERVERS = 5
KEY = "ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAICvMRIoLl7ifUS3jw5GPijSJRpDW6frmaxgsFBvBFfLQ bench-{i}"
SCRIPT = "#!/bin/sh\necho bench {i}\n"
NJ, PLAN, UBUNTU = "1", "201", "1743"


def _ip(i: int) -> str:
    return f"45.{(i >> 16) & 255}.{(i >> 8) & 255}.{i & 255}"


def manifest_text(n: int) -> str:
    keys = max(1, n // 10)
    lines = [
        f"project: {PROJECT}",
        "defaults:",
        "  region: New Jersey",
        "  plan: 1024 MB RAM,25 GB SSD,1.00 TB BW",
        "  os: Ubuntu 22.04 x64",
        "ssh_keys:",
    ]
    lines += [f'  - name: key-{i}\n    public_key: "{KEY.format(i=i)}"' for i in range(keys)]
    lines.append("startup_scripts:")
    for i in range(keys):
        body = "".join(f"      {line}\n" for line in SCRIPT.format(i=i).splitlines())
        lines.append(f"  - name: script-{i}\n    script: |\n{body.rstrip()}")
    lines.append("servers:")
    for i in range(n):
        lines.append(
            f"  - label: node-{i}\n    ssh_keys: [key-{i % keys}]\n    startup_script: script-{i % keys}"
        )
        if i < REVERSE_DNS_SERVERS:
            lines.append(f"    reverse_dns:\n      ipv4: node-{i}.example.com")
    return "\n".join(lines) + "\n"


def seed(emulator: Emulator, n: int, os_id: str) -> None:
    """Put N servers, N/10 keys and scripts, and the registry owning them, straight into the store."""
    keys = max(1, n // 10)
    owned = []
    store = emulator.store
    with store.transaction():
        for i in range(keys):
            save(
                store,
                SshKeyRecord(f"k{i:012x}", f"key-{i}", KEY.format(i=i), "2026-01-01 00:00:00"),
                new=True,
            )
            save(store, ScriptRecord(str(10 + i), f"script-{i}", "boot", SCRIPT.format(i=i),
                                     "2026-01-01 00:00:00", "2026-01-01 00:00:00"), new=True)  # fmt: skip
            owned += [
                OwnedObject("ssh_key", f"k{i:012x}", f"key-{i}"),
                OwnedObject("startup_script", str(10 + i), f"script-{i}"),
            ]
        for i in range(n):
            subid = str(1_000_000 + i)
            label = f"node-{i}"
            record = ServerRecord(
                subid=subid, dcid=int(NJ), plan_id=int(PLAN), osid=int(os_id), os_name="Ubuntu 22.04 x64",
                label=label, tag="", hostname="", created_at=0.0, install_started_at=0.0, install_count=1,
                power_status="running", main_ip=_ip(i), gateway_v4="45.0.0.1", secondary_ips=(),
                v6_network="", v6_main_ip="", internal_ip="", auto_backups=False, appid=0, iso_attached=0,
                snapshot_id="", script_id=str(10 + i % keys), sshkey_ids=(f"k{i % keys:012x}",),
                firewall_group="0", userdata="", default_password="bench-password", kvm_token="t",
                reverse_v4=((_ip(i), f"{label}.example.com"),), reverse_v6=(),
            )  # fmt: skip
            save(store, record, new=True)
            desired = DesiredServer(
                label=label, ssh_keys=(f"key-{i % keys}",), startup_script=f"script-{i % keys}"
            )
            owned.append(
                OwnedObject(
                    "server", subid, label, create_digest=create_digest(desired, Resolved(NJ, PLAN, os_id))
                )
            )
        bodies = encode_registry(Registry(project=PROJECT, owned=tuple(owned)))
        for part, body in enumerate(bodies):
            save(store, ScriptRecord(str(900_000 + part), registry_script_name(PROJECT, part), "boot", body,
                                     "2026-01-01 00:00:00", "2026-01-01 00:00:00"), new=True)  # fmt: skip


def _pipeline(client: VultrClient, path: Path) -> tuple[list[float], Plan, Live]:
    t0 = time.perf_counter()
    desired = load_manifest([str(path)], env={})
    t1 = time.perf_counter()
    live = read_live(V1Provider(client), desired)
    t2 = time.perf_counter()
    result = plan(desired, live)
    t3 = time.perf_counter()
    return [t1 - t0, t2 - t1, t3 - t2, t3 - t0], result, live


def run(n: int) -> tuple[int, list[float], float, int]:
    """(calls of one pipeline run, [load, read, plan, total] seconds, peak MB, registry parts)."""
    clock = ManualClock(1_000_000.0)
    emulator = Emulator(EmulatorConfig(rate_limit=0, provision_seconds=0, clock=clock, sleep=clock.advance))
    os_id = next(o["OSID"] for o in emulator_os(emulator) if o["name"] == "Ubuntu 22.04 x64")
    seed(emulator, n, str(os_id))
    with (
        tempfile.TemporaryDirectory() as tmp,
        EmulatorServer(emulator) as server,
        requests.Session() as session,
    ):
        path = Path(tmp) / "bench.yaml"
        path.write_text(manifest_text(n))
        settings = ClientSettings(api_key=DEFAULT_API_KEY, api_url=server.url, rate_limit=0.0)
        client = VultrClient(settings, session=session)
        times, result, live = _pipeline(client, path)  # timed without tracemalloc (it slows Python ~3x)
        calls = client.calls
        tracemalloc.start()
        base, _ = tracemalloc.get_traced_memory()
        _pipeline(client, path)
        _, peak = tracemalloc.get_traced_memory()
        tracemalloc.stop()
    assert not result.actions, [a.key for a in result.actions[:5]]
    return calls, times, (peak - base) / 2**20, len(live.registry.script_ids)


def emulator_os(emulator: Emulator) -> list[dict]:
    """The emulator's OS catalog, read through its own public endpoint (no key needed)."""
    with requests.Session() as session:
        session.mount("https://api.vultr.com/", EmulatorAdapter(emulator))
        return list(session.get("https://api.vultr.com/v1/os/list", timeout=10).json().values())


def main(argv: list[str]) -> None:
    sizes = [int(a) for a in argv] or [10, 100, 1_000, 5_000]
    head = ("servers", "calls", "load s", "read s", "plan s", "total s", "peak MB", "reg parts")
    print(" ".join(f"{h:>9}" for h in head))
    for n in sizes:
        calls, times, peak, parts = run(n)
        cells = [str(n), str(calls), *(f"{t:.3f}" for t in times), f"{peak:.1f}", str(parts)]
        print(" ".join(f"{c:>9}" for c in cells))
    print(
        f"target: calls <= 8 + {REVERSE_DNS_SERVERS} reverse-DNS servers at every N; 5,000 in < 2 s, < 300 MB"
    )


if __name__ == "__main__":
    main(sys.argv[1:])
