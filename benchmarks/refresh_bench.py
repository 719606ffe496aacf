"""Benchmark: a no-change plan of 100 servers that manage reverse DNS, with and without ``--no-refresh``,
at the default rate limit (v1: 2 requests/s; v2: 30). Prints API calls and wall time of each.

For each API, an emulator state file is seeded directly (fast): 100 servers, each with an IPv4 reverse
DNS name, 10 SSH keys and 10 startup scripts, all owned by the project's registry, which also records the
reverse DNS as an apply leaves it (``rdns``). The emulator then serves that file from a separate process
(``vultr-state emulator serve``, on a free loopback port, with its default rate limits), and the plan runs
as the CLI runs it: the provider the CLI would build, at the CLI's default pacing, then the planner. A
refreshing plan reads each server's reverse DNS (one call per server); ``--no-refresh`` makes the list
calls only and compares with the registry's record. Both plans must come out empty.

With v1's 2 requests per second this takes about a minute.

    python benchmarks/refresh_bench.py [--api v1|v2|both] [--servers N]
"""

from __future__ import annotations

import argparse
import base64
import sys
import tempfile
import time
from collections.abc import Callable
from dataclasses import replace
from pathlib import Path

from plan_scale import PROJECT, manifest_text, seed_v1, seed_v2, serve

from vultr_state.cli.common import PROVIDERS, ConnectionOptions, resolve_settings
from vultr_state.cli.plan import read_without_refresh
from vultr_state.emulator import DEFAULT_API_KEY, Emulator, EmulatorConfig
from vultr_state.emulator.v1 import models as v1m
from vultr_state.emulator.v2 import models as v2m
from vultr_state.manifest import load_manifest
from vultr_state.model.registry import RecordedReverseDns
from vultr_state.planner import plan
from vultr_state.providers.base import read_live
from vultr_state.registry import decode_registry, encode_registry


def _record_reverse_dns(emulator: Emulator, api: str) -> None:
    """Rewrite the seeded registry with the reverse DNS an apply would have recorded."""
    store = emulator.store
    models = v1m if api == "v1" else v2m
    with store.transaction():
        scripts = [
            r for r in models.load_all(store, models.ScriptRecord) if r.name.startswith("vultr-state:")
        ]
        decode = (lambda body: body) if api == "v1" else _b64decode
        registry = decode_registry(PROJECT, [(r.id if api == "v2" else r.script_id, r.name, decode(r.script))
                                             for r in scripts])  # fmt: skip
        ids = [o.id for o in registry.owned if o.kind == "server"]
        records = tuple(RecordedReverseDns(i, ipv4=f"node-{_index(api, i)}.example.com") for i in ids)
        (body,) = encode_registry(replace(registry, reverse_dns=records))
        (script,) = scripts
        models.save(store, replace(script, script=body if api == "v1" else _b64encode(body)))


def _index(api: str, server_id: str) -> int:
    return int(server_id) - 1_000_000 if api == "v1" else int(server_id.rsplit("-", 1)[1], 16)


def _b64decode(text: str) -> str:
    return base64.b64decode(text).decode()


def _b64encode(text: str) -> str:
    return base64.b64encode(text.encode()).decode()


def _plan(api: str, url: str, path: Path, no_refresh: bool) -> tuple[int, float, int]:
    """One plan as the CLI makes it: (calls, seconds, actions)."""
    settings = resolve_settings(
        ConnectionOptions(api_url=url, api=api), {"VULTR_API_KEY": DEFAULT_API_KEY}, require_key=True
    )
    provider = PROVIDERS[api](settings, None)
    try:
        started = time.perf_counter()
        desired = load_manifest([str(path)], env={})
        live = read_without_refresh(provider, desired)[0] if no_refresh else read_live(provider, desired)
        result = plan(desired, live, capabilities=provider.capabilities, now=time.time())
        return provider.calls, time.perf_counter() - started, len(result.actions)
    finally:
        provider.close()


def run(api: str, n: int, out: Callable[[str], None]) -> None:
    with tempfile.TemporaryDirectory() as tmp:
        state, path = Path(tmp) / "state.sqlite", Path(tmp) / "bench.yaml"
        path.write_text(manifest_text(n, reverse_dns_servers=n))
        seeding = Emulator(EmulatorConfig(rate_limit=0, provision_seconds=0, state_file=str(state)))
        (seed_v1 if api == "v1" else seed_v2)(seeding, n)
        _record_reverse_dns(seeding, api)
        seeding.close()
        process, url = serve(state, rate_limited=True)
        try:
            rate = settings_rate(api, url)
            for label, no_refresh in (("refresh", False), ("--no-refresh", True)):
                calls, seconds, actions = _plan(api, url, path, no_refresh)
                if actions:
                    raise SystemExit(f"{api} {label}: the plan is not empty ({actions} actions)")
                out(f"{api:>4} {n:>8} {rate:>7} {label:>13} {calls:>6} {seconds:>9.1f}")
        finally:
            process.terminate()
            process.wait(timeout=30)


def settings_rate(api: str, url: str) -> str:
    settings = resolve_settings(
        ConnectionOptions(api_url=url, api=api), {"VULTR_API_KEY": DEFAULT_API_KEY}, require_key=True
    )
    return f"{settings.rate_limit:g}/s"


def main(argv: list[str], out: Callable[[str], None] = print) -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--api", choices=("v1", "v2", "both"), default="both")
    parser.add_argument("--servers", type=int, default=100)
    args = parser.parse_args(argv)
    out(f"{'api':>4} {'servers':>8} {'rate':>7} {'plan':>13} {'calls':>6} {'seconds':>9}")
    for api in ("v1", "v2") if args.api == "both" else (args.api,):
        run(api, args.servers, out)


if __name__ == "__main__":
    main(sys.argv[1:])
