"""``vultr-state emulator serve``: run the embedded Vultr emulator (``/v1/`` and ``/v2/`` on one port) over
HTTP until SIGTERM or Ctrl-C.

Registered by ``vultr_state.cli``. Prints the base URL as the first line of stdout (flushed) so scripts can
read it, then serves on a background thread while the main thread waits for a signal; stops cleanly with
exit code 0. Never prints the API key.
"""

from __future__ import annotations

import signal
import threading
from typing import Annotated

import typer

from vultr_state.cli.app import emulator_app
from vultr_state.emulator import DEFAULT_API_KEY, Emulator, EmulatorConfig, EmulatorServer, FaultConfig
from vultr_state.emulator.core.config import (
    DEFAULT_PROVISION_SECONDS,
    DEFAULT_RATE_BURST,
    DEFAULT_RATE_LIMIT,
    DEFAULT_SNAPSHOT_SECONDS,
    DEFAULT_V2_RATE_BURST,
    DEFAULT_V2_RATE_LIMIT,
)


@emulator_app.command()
def serve(
    host: Annotated[str, typer.Option(help="Interface to bind (loopback by default).")] = "127.0.0.1",
    port: Annotated[int, typer.Option(help="TCP port; 0 picks a free one.")] = 8080,
    state: Annotated[
        str | None, typer.Option(help="SQLite file holding the account (kept across restarts).")
    ] = None,
    api_key: Annotated[
        str,
        typer.Option(
            help="API key the emulator accepts.", envvar="VULTR_EMULATOR_API_KEY", show_default=False
        ),
    ] = DEFAULT_API_KEY,
    rate_limit: Annotated[
        float,
        typer.Option(help="v1 requests per second per key; 0 turns the limit off on both APIs."),
    ] = DEFAULT_RATE_LIMIT,
    rate_burst: Annotated[int, typer.Option(help="v1 requests a key may send at once.")] = DEFAULT_RATE_BURST,
    v2_rate_limit: Annotated[
        float | None,
        typer.Option(
            help=f"v2 requests per second per key; 0 = off (default {DEFAULT_V2_RATE_LIMIT:g}, or off"
            " with --rate-limit 0).",
            show_default=False,
        ),
    ] = None,
    v2_rate_burst: Annotated[
        int, typer.Option(help="v2 requests a key may send at once.")
    ] = DEFAULT_V2_RATE_BURST,
    provision_seconds: Annotated[
        float, typer.Option(help="Seconds a new server stays pending.")
    ] = DEFAULT_PROVISION_SECONDS,
    snapshot_seconds: Annotated[
        float, typer.Option(help="Seconds a snapshot stays pending.")
    ] = DEFAULT_SNAPSHOT_SECONDS,
    destroy_min_age: Annotated[
        float, typer.Option(help="Refuse destroying servers younger than this (real service: 300).")
    ] = 0.0,
    fault_seed: Annotated[int, typer.Option(help="Seed of the fault stream.")] = 0,
    fault_latency_ms: Annotated[float, typer.Option(help="Added latency per call.")] = 0.0,
    fault_latency_jitter_ms: Annotated[float, typer.Option(help="Extra random latency, up to.")] = 0.0,
    fault_500_rate: Annotated[float, typer.Option(help="Share of calls answered 500.")] = 0.0,
    fault_503_every: Annotated[int, typer.Option(help="A 503 burst every N calls (0 = never).")] = 0,
    fault_503_burst: Annotated[int, typer.Option(help="Consecutive 503s per burst.")] = 0,
    fault_drop_rate: Annotated[float, typer.Option(help="Share of calls dropped unprocessed.")] = 0.0,
    fault_commit_drop_rate: Annotated[
        float, typer.Option(help="Share of calls processed but left unanswered.")
    ] = 0.0,
    access_log: Annotated[bool, typer.Option(help="Log method, path and status of each call.")] = False,
) -> None:
    """Serve the emulated API (/v1/ and /v2/) until SIGTERM or Ctrl-C; prints its URL first."""
    faults = FaultConfig(
        seed=fault_seed,
        latency_ms=fault_latency_ms,
        latency_jitter_ms=fault_latency_jitter_ms,
        error_500_rate=fault_500_rate,
        burst_503_every=fault_503_every,
        burst_503_length=fault_503_burst,
        drop_rate=fault_drop_rate,
        commit_drop_rate=fault_commit_drop_rate,
    )
    config = EmulatorConfig(
        api_keys=(api_key,),
        rate_limit=rate_limit,
        rate_burst=rate_burst,
        v2_rate_limit=v2_rate_limit,
        v2_rate_burst=v2_rate_burst,
        provision_seconds=provision_seconds,
        snapshot_seconds=snapshot_seconds,
        destroy_min_age_seconds=destroy_min_age,
        state_file=state,
        faults=faults,
    )
    emulator = Emulator(config)
    stop = threading.Event()
    for signum in (signal.SIGTERM, signal.SIGINT):
        signal.signal(signum, lambda *_: stop.set())
    server = EmulatorServer(emulator, host=host, port=port, access_log=access_log).start()
    try:
        typer.echo(server.url)
        while not stop.wait(0.5):
            pass
    finally:
        server.stop()
        emulator.close()
