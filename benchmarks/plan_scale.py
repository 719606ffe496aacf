"""Benchmark: how a plan scales with the account, on v1 and v2. Prints API calls, wall time, the parse
floor and peak memory per N.

For N = 10, 100, 1,000 and 5,000 servers (plus N/10 SSH keys and N/10 startup scripts), an emulator
state file is seeded directly (fast) on the chosen API's face, with every object owned by the project's
registry (split across as many registry scripts as it needs) and 5 servers managing reverse DNS. The
emulator then serves that file from a separate process (``vultr-state emulator serve``, on a free
loopback port), so the figures hold the client's work only, as against a real account. With the
client's rate limit off it runs manifest load → read_live → plan (which must come out empty) and prints:

- calls: every request of the read, then split into lists (one per page: v1 has no pages, v2 500 items
  a page), bodies (v2 only: ``GET /startup-scripts/{id}`` of the registry parts, since v2 lists omit
  bodies; the manifest's scripts are unchanged since the registry recorded them, so none of theirs) and
  reverse DNS (the 5 servers that manage it);
- load / read / plan / total seconds, timed WITHOUT tracemalloc (tracing slows Python about 3×): the
  fastest of ``--repeat`` runs (3 by default; each with a new provider, so a new connection pool), as
  ``timeit`` reports, since a shared machine only ever adds time;
- floor: the same run's lower bound for the work, parsing the manifest YAML with libyaml
  (``yaml.CSafeLoader``) plus decoding the list bodies the read fetched with ``json.loads`` (also the
  fastest of ``--repeat``);
- × floor: total / floor (the target's figure);
- × nogc: total / the same floor timed with Python's cyclic garbage collector paused, as the pipeline
  pauses it for its own passes (``vultr_state.heap``): the stricter comparison, printed for reference;
- peak MB: traced peak of a second, separate run of the whole pipeline (tracemalloc on).

Targets on v2: ≤ 10 calls at 1,000 servers (the catalog + one call per 500 objects per kind + the
registry; the 5 reverse-DNS reads are the scope's and counted apart); at 5,000 servers total within 3×
the floor and peak < 300 MB.

    python benchmarks/plan_scale.py [--api v1|v2|both] [--repeat K] [N ...]
"""

from __future__ import annotations

import argparse
import base64
import gc
import json
import subprocess
import sys
import tempfile
import time
import tracemalloc
from collections import Counter
from collections.abc import Callable
from pathlib import Path

import requests
import yaml

from vultr_state.emulator import DEFAULT_API_KEY, Emulator, EmulatorConfig
from vultr_state.emulator.v1 import models as v1m
from vultr_state.emulator.v2 import models as v2m
from vultr_state.emulator.v2.views import format_date
from vultr_state.heap import cyclic_gc_paused
from vultr_state.http.settings import ClientSettings
from vultr_state.manifest import load_manifest
from vultr_state.model.desired import DesiredServer
from vultr_state.model.live import Live
from vultr_state.model.plan import Plan
from vultr_state.model.registry import OwnedObject, Registry
from vultr_state.planner import plan
from vultr_state.providers.base import Provider, read_live
from vultr_state.registry import encode_registry, registry_script_name
from vultr_state.registry.digests import secret_digest
from vultr_state.resources.server import Resolved, create_digest

PROJECT = "bench"
REVERSE_DNS_SERVERS = 5
KEY = "ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAICvMRIoLl7ifUS3jw5GPijSJRpDW6frmaxgsFBvBFfLQ bench-{i}"
SCRIPT = "#!/bin/sh\necho bench {i}\n"
V1_IDS = ("1", "201", "1743")  # New Jersey, 1024 MB plan, Ubuntu 22.04 x64
V2_IDS = ("ewr", "vc2-1c-1gb", "1743")
DATE = "2026-01-01 00:00:00"
EPOCH = float(int(time.time()) - 86_400)  # a day ago: every seeded object is old and ready


def _ip(i: int) -> str:
    return f"45.{(i >> 16) & 255}.{(i >> 8) & 255}.{i & 255}"


def _uuid(kind: int, i: int) -> str:
    return f"{kind:08x}-0000-4000-8000-{i:012x}"


def manifest_text(n: int, reverse_dns_servers: int = REVERSE_DNS_SERVERS) -> str:
    """The manifest of ``n`` servers (N/10 keys and scripts); the first ``reverse_dns_servers`` of them
    manage an IPv4 reverse DNS name. Also ``refresh_bench.py``'s, with every server managing one."""
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
        if i < reverse_dns_servers:
            lines.append(f"    reverse_dns:\n      ipv4: node-{i}.example.com")
    return "\n".join(lines) + "\n"


def _owned_server(subid: str, i: int, keys: int, ids: tuple[str, str, str]) -> OwnedObject:
    desired = DesiredServer(
        label=f"node-{i}", ssh_keys=(f"key-{i % keys}",), startup_script=f"script-{i % keys}"
    )
    return OwnedObject("server", subid, f"node-{i}", create_digest=create_digest(desired, Resolved(*ids)))


def seed_v1(emulator: Emulator, n: int) -> None:
    """N servers, N/10 keys and scripts, and the registry owning them, straight into the v1 store."""
    keys = max(1, n // 10)
    owned = []
    store = emulator.store
    nj, plan_id, os_id = V1_IDS
    with store.transaction():
        for i in range(keys):
            v1m.save(store, v1m.SshKeyRecord(f"k{i:012x}", f"key-{i}", KEY.format(i=i), DATE), new=True)
            script = v1m.ScriptRecord(str(10 + i), f"script-{i}", "boot", SCRIPT.format(i=i), DATE, DATE)
            v1m.save(store, script, new=True)
            owned += [
                OwnedObject("ssh_key", f"k{i:012x}", f"key-{i}"),
                OwnedObject("startup_script", str(10 + i), f"script-{i}"),
            ]
        for i in range(n):
            subid, label = str(1_000_000 + i), f"node-{i}"
            record = v1m.ServerRecord(
                subid=subid, dcid=int(nj), plan_id=int(plan_id), osid=int(os_id), os_name="Ubuntu 22.04 x64",
                label=label, tag="", hostname="", created_at=0.0, install_started_at=0.0, install_count=1,
                power_status="running", main_ip=_ip(i), gateway_v4="45.0.0.1", secondary_ips=(),
                v6_network="", v6_main_ip="", internal_ip="", auto_backups=False, appid=0, iso_attached=0,
                snapshot_id="", script_id=str(10 + i % keys), sshkey_ids=(f"k{i % keys:012x}",),
                firewall_group="0", userdata="", default_password="bench-password", kvm_token="t",
                reverse_v4=((_ip(i), f"{label}.example.com"),), reverse_v6=(),
            )  # fmt: skip
            v1m.save(store, record, new=True)
            owned.append(_owned_server(subid, i, keys, V1_IDS))
        for part, body in enumerate(encode_registry(Registry(project=PROJECT, owned=tuple(owned), api="v1"))):
            v1m.save(store, v1m.ScriptRecord(str(900_000 + part), registry_script_name(PROJECT, part), "boot",
                                             body, DATE, DATE), new=True)  # fmt: skip


def seed_v2(emulator: Emulator, n: int) -> None:
    """The same account on the v2 face: UUIDs, base64 script bodies, owner-tagged instances."""
    keys = max(1, n // 10)
    owned = []
    store = emulator.store
    region, plan_id, os_id = V2_IDS
    encode = lambda text: base64.b64encode(text.encode()).decode()  # noqa: E731
    with store.transaction():
        for i in range(keys):
            key_id, script_id = _uuid(1, i), _uuid(2, i)
            v2m.save(store, v2m.SshKeyRecord(key_id, f"key-{i}", KEY.format(i=i), EPOCH), new=True)
            v2m.save(store, v2m.ScriptRecord(script_id, f"script-{i}", "boot", encode(SCRIPT.format(i=i)),
                                             EPOCH, EPOCH), new=True)  # fmt: skip
            # What an apply's result write records of a script: its body's digest and the listed
            # date_modified, so that a plan reads the body only once that date moves on.
            seen = {"body_digest": secret_digest(SCRIPT.format(i=i)) or "", "modified": format_date(EPOCH)}
            owned += [
                OwnedObject("ssh_key", key_id, f"key-{i}"),
                OwnedObject("startup_script", script_id, f"script-{i}", **seen),
            ]
        for i in range(n):
            instance_id, label = _uuid(3, i), f"node-{i}"
            record = v2m.InstanceRecord(
                id=instance_id, region=region, plan=plan_id, os_id=int(os_id), os_name="Ubuntu 22.04 LTS x64",
                app_id=0, image_id="", label=label, hostname=label, tag="", tags=(f"vultr-state:{PROJECT}",),
                created_at=EPOCH, install_started_at=EPOCH, install_count=1, power_status="running",
                main_ip=_ip(i), gateway_v4="45.0.0.1", secondary_ips=(), v6_network="", v6_main_ip="",
                internal_ip="", features=(), firewall_group_id="", user_data="", user_scheme="root",
                default_password="bench-password", password_issued_at=EPOCH, kvm_token="t",
                reverse_v4=((_ip(i), f"{label}.example.com"),), reverse_v6=(),
                sshkey_ids=(_uuid(1, i % keys),), script_id=_uuid(2, i % keys), snapshot_id="", iso_id="",
            )  # fmt: skip
            v2m.save(store, record, new=True)
            owned.append(_owned_server(instance_id, i, keys, V2_IDS))
        for part, body in enumerate(encode_registry(Registry(project=PROJECT, owned=tuple(owned), api="v2"))):
            v2m.save(store, v2m.ScriptRecord(_uuid(9, part), registry_script_name(PROJECT, part), "boot",
                                             encode(body), EPOCH, EPOCH), new=True)  # fmt: skip


V1_LISTS = ("sshkey/list", "startupscript/list", "server/list", "snapshot/list", "regions/list",
            "plans/list", "os/list")  # fmt: skip
V2_LISTS = ("regions", "plans", "os", "ssh-keys", "startup-scripts", "instances", "snapshots")


def _kind_of_call(api: str, label: str) -> str:
    """lists | bodies | reverse DNS, for the breakdown, from a pipeline call label (``GET /os``)."""
    path = label.split(" ", 1)[1]
    if api == "v1":
        return "reverse DNS" if "list_ipv4" in path or "reverse_list" in path else "lists"
    parts = path.removeprefix("/").split("/")
    if parts[0] == "instances" and len(parts) > 2:
        return "reverse DNS"
    return "bodies" if len(parts) > 1 else "lists"


def _calls_by_label(provider: Provider) -> Counter[str]:
    pipeline = getattr(provider, "pipeline", None) or provider.client  # type: ignore[attr-defined]
    return pipeline.calls_by_endpoint


def serve(state: Path, *, rate_limited: bool = False) -> tuple[subprocess.Popen[str], str]:
    """``vultr-state emulator serve`` of ``state`` on a free port: the process and its URL. The emulator's
    own rate limits are off unless ``rate_limited`` (``refresh_bench.py`` plans at the default rates)."""
    command = [sys.executable, "-m", "vultr_state", "emulator", "serve", "--state", str(state),
               "--port", "0", "--provision-seconds", "0"]  # fmt: skip
    if not rate_limited:
        command += ["--rate-limit", "0"]
    process = subprocess.Popen(command, stdout=subprocess.PIPE, stderr=subprocess.DEVNULL, text=True)
    assert process.stdout is not None
    url = process.stdout.readline().strip()
    if not url.startswith("http://127.0.0.1:"):
        process.kill()
        raise SystemExit(f"the emulator did not start (it printed {url!r})")
    return process, url


def _provider(api: str, url: str) -> Provider:
    settings = ClientSettings(api_key=DEFAULT_API_KEY, api_url=url, rate_limit=0.0)
    if api == "v1":
        from vultr_state.providers.v1 import V1Provider
        from vultr_state.providers.v1.client import VultrClient

        return V1Provider(VultrClient(settings))
    from vultr_state.providers.v2.provider import V2Provider

    return V2Provider(settings)


def _pipeline(provider: Provider, path: Path) -> tuple[list[float], Plan, Live]:
    gc.collect()  # the previous size's garbage is not this run's work
    t0 = time.perf_counter()
    desired = load_manifest([str(path)], env={})
    t1 = time.perf_counter()
    live = read_live(provider, desired)
    t2 = time.perf_counter()
    result = plan(desired, live, capabilities=provider.capabilities)
    t3 = time.perf_counter()
    return [t1 - t0, t2 - t1, t3 - t2, t3 - t0], result, live


def _list_bodies(api: str, url: str) -> list[bytes]:
    """The raw bodies of every list page a plan reads (v2: 500 a page, following the cursors)."""
    bodies = []
    with requests.Session() as session:
        if api == "v1":
            session.headers["API-Key"] = DEFAULT_API_KEY
            return [session.get(f"{url}/v1/{name}", timeout=60).content for name in V1_LISTS]
        session.headers["Authorization"] = f"Bearer {DEFAULT_API_KEY}"
        for name in V2_LISTS:
            cursor = ""
            while True:
                params = {"per_page": "500", **({"cursor": cursor} if cursor else {})}
                reply = session.get(f"{url}/v2/{name}", params=params, timeout=60)
                bodies.append(reply.content)
                cursor = (json.loads(reply.content).get("meta") or {}).get("links", {}).get("next", "")
                if not cursor:
                    break
    return bodies


def _floor(text: str, bodies: list[bytes], *, collector: bool = True) -> float:
    """Seconds to parse the manifest with libyaml and json-decode the list bodies a plan reads (with the
    cyclic garbage collector paused unless ``collector``)."""
    gc.collect()
    if not collector:
        with cyclic_gc_paused():
            return _floor(text, bodies)
    t0 = time.perf_counter()
    yaml.load(text, Loader=yaml.CSafeLoader)  # CSafeLoader: libyaml's safe loader
    for body in bodies:
        json.loads(body)
    return time.perf_counter() - t0


def run(api: str, n: int, repeat: int = 3) -> dict[str, object]:
    """One size on one API: calls (and their kinds), times and floor (the fastest of ``repeat`` runs),
    peak MB, registry parts."""
    text = manifest_text(n)
    with tempfile.TemporaryDirectory() as tmp:
        state, path = Path(tmp) / "state.sqlite", Path(tmp) / "bench.yaml"
        path.write_text(text)
        seeding = Emulator(EmulatorConfig(rate_limit=0, provision_seconds=0, state_file=str(state)))
        (seed_v1 if api == "v1" else seed_v2)(seeding, n)
        seeding.close()
        process, url = serve(state)
        try:
            runs = []
            for _ in range(repeat):
                provider = _provider(api, url)
                try:
                    runs.append(_pipeline(provider, path))  # timed without tracemalloc
                    calls = provider.calls
                    kinds: Counter[str] = Counter()
                    for label, count in _calls_by_label(provider).items():
                        kinds[_kind_of_call(api, label)] += count
                finally:
                    provider.close()
            times, result, live = min(runs, key=lambda run: run[0][3])
            del runs  # the floor is timed with the heap as one run leaves it, not three
            bodies = _list_bodies(api, url)
            floor = min(_floor(text, bodies) for _ in range(repeat))
            floor_nogc = min(_floor(text, bodies, collector=False) for _ in range(repeat))
            memory = _provider(api, url)
            try:
                tracemalloc.start()
                base, _ = tracemalloc.get_traced_memory()
                _pipeline(memory, path)
                _, peak = tracemalloc.get_traced_memory()
                tracemalloc.stop()
            finally:
                memory.close()
        finally:
            process.terminate()
            process.wait(timeout=30)
    if result.actions:
        raise SystemExit(f"{api} N={n}: the plan is not empty: {[a.key for a in result.actions[:5]]}")
    return {
        "calls": calls,
        "kinds": kinds,
        "times": times,
        "floor": floor,
        "floor_nogc": floor_nogc,
        "peak": (peak - base) / 2**20,
        "parts": len(live.registry.script_ids),
    }


def main(argv: list[str], out: Callable[[str], None] = print) -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--api", choices=("v1", "v2", "both"), default="both")
    parser.add_argument("--repeat", type=int, default=3, help="runs per size; the fastest is reported")
    parser.add_argument("sizes", nargs="*", type=int)
    args = parser.parse_args(argv)
    sizes = args.sizes or [10, 100, 1_000, 5_000]
    apis = ("v1", "v2") if args.api == "both" else (args.api,)
    head = ("api", "servers", "calls", "lists", "bodies", "rDNS", "load s", "read s", "plan s", "total s",
            "floor s", "x floor", "peak MB", "reg parts", "x nogc")  # fmt: skip
    out(" ".join(f"{h:>9}" for h in head))
    for api in apis:
        for n in sizes:
            r = run(api, n, max(1, args.repeat))
            kinds: Counter[str] = r["kinds"]  # type: ignore[assignment]
            times: list[float] = r["times"]  # type: ignore[assignment]
            floor: float = r["floor"]  # type: ignore[assignment]
            cells = [api, str(n), str(r["calls"]), str(kinds["lists"]), str(kinds["bodies"]),
                     str(kinds["reverse DNS"]), *(f"{t:.3f}" for t in times), f"{floor:.3f}",
                     f"{times[3] / floor:.2f}", f"{r['peak']:.1f}", str(r["parts"]),
                     f"{times[3] / r['floor_nogc']:.2f}"]  # type: ignore[operator]  # fmt: skip
            out(" ".join(f"{c:>9}" for c in cells))
    out(
        f"targets (v2): calls - {REVERSE_DNS_SERVERS} reverse-DNS reads <= 10 at 1,000 servers; at 5,000 "
        "total <= 3x floor and peak < 300 MB"
    )


if __name__ == "__main__":
    main(sys.argv[1:])
