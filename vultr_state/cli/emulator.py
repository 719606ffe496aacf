"""``vultr-state emulator serve``: run the embedded Vultr emulator (``/v1/`` and ``/v2/`` on one port) over
HTTP until SIGTERM or Ctrl-C.

Registered on the ``emulator`` group of ``vultr_state.cli.app``. Prints the base URL as the first line
of stdout (flushed) so scripts can read it, then serves on a background thread while the main thread
waits for a signal; stops cleanly with exit code 0. Never prints the API key. What a user can get wrong
answers one line on stderr and exit code 1, never a traceback: a port in use (``cannot listen on
HOST:PORT: address already in use (try --port 0)``), a ``--state`` file that cannot be opened or
written. ``--access-log`` writes one line per request to stderr (client address, method, path without
the query string, status); ``-v`` logs the emulator's own diagnostics there too.

Rate limits per API: ``--rate-limit`` (v1, default 2/s) and ``--v2-rate-limit`` (default 30/s);
``--rate-limit 0`` turns both off unless ``--v2-rate-limit`` is given.
"""

from __future__ import annotations

import errno
import os
import signal
import sqlite3
import threading
from pathlib import Path
from typing import Annotated

import typer

from vultr_state.cli.app import emulator_app
from vultr_state.cli.common import VerboseOption, setup_logging
from vultr_state.emulator import DEFAULT_API_KEY, Emulator, EmulatorConfig, EmulatorServer, FaultConfig
from vultr_state.emulator.core.config import (
    DEFAULT_PROVISION_SECONDS,
    DEFAULT_RATE_BURST,
    DEFAULT_RATE_LIMIT,
    DEFAULT_SNAPSHOT_SECONDS,
    DEFAULT_V2_RATE_BURST,
    DEFAULT_V2_RATE_LIMIT,
)

_LIMITS, _LIFE, _FAULTS = "Rate limits", "Lifecycle", "Faults (seeded, reproducible)"


def _fail(message: str) -> typer.Exit:
    typer.echo(f"error: {message}", err=True)
    return typer.Exit(1)


def _check_state(state: str) -> None:
    """Refuse a ``--state`` path that cannot hold the account, with one line naming why."""
    path = Path(state)
    if path.is_dir():
        raise _fail(f"cannot use --state {state}: it is a directory")
    parent = path.parent if str(path.parent) else Path(".")
    if not parent.is_dir():
        raise _fail(f"cannot use --state {state}: {parent} is not a directory")
    if path.exists() and not os.access(path, os.R_OK | os.W_OK):
        raise _fail(f"cannot use --state {state}: the file is not writable")
    if not os.access(parent, os.W_OK | os.X_OK):
        raise _fail(f"cannot use --state {state}: {parent} is not writable")


def _open(config: EmulatorConfig) -> Emulator:
    try:
        emulator = Emulator(config)
        if config.state_file:
            emulator.store.next_value("serve.starts", 1)  # a write: a read-only file fails here, not later
        return emulator
    except sqlite3.Error as error:
        raise _fail(f"cannot use --state {config.state_file}: {error}") from None


def _listen(emulator: Emulator, host: str, port: int, access_log: bool) -> EmulatorServer:
    try:
        return EmulatorServer(emulator, host=host, port=port, access_log=access_log)
    except OSError as error:
        emulator.close()
        if error.errno == errno.EADDRINUSE:
            raise _fail(f"cannot listen on {host}:{port}: address already in use (try --port 0)") from None
        raise _fail(f"cannot listen on {host}:{port}: {error.strerror or error}") from None


@emulator_app.command()
def serve(
    host: Annotated[str, typer.Option(help="Interface to bind.")] = "127.0.0.1",
    port: Annotated[int, typer.Option(help="TCP port; 0 picks a free one.")] = 8080,
    state: Annotated[
        str | None, typer.Option(help="SQLite file holding both accounts (kept across restarts).")
    ] = None,
    api_key: Annotated[
        str,
        typer.Option(
            help="API key the emulator accepts.", envvar="VULTR_EMULATOR_API_KEY", show_default=False
        ),
    ] = DEFAULT_API_KEY,
    rate_limit: Annotated[
        float,
        typer.Option(help="v1 requests/s per key; 0 = off on both APIs.", rich_help_panel=_LIMITS),
    ] = DEFAULT_RATE_LIMIT,
    rate_burst: Annotated[
        int, typer.Option(help="v1 requests a key may send at once.", rich_help_panel=_LIMITS)
    ] = DEFAULT_RATE_BURST,
    v2_rate_limit: Annotated[
        float | None,
        typer.Option(
            help=f"v2 requests/s per key; 0 = off (default {DEFAULT_V2_RATE_LIMIT:g}).",
            show_default=False,
            rich_help_panel=_LIMITS,
        ),
    ] = None,
    v2_rate_burst: Annotated[
        int, typer.Option(help="v2 requests a key may send at once.", rich_help_panel=_LIMITS)
    ] = DEFAULT_V2_RATE_BURST,
    provision_seconds: Annotated[
        float, typer.Option(help="Seconds a new server stays pending.", rich_help_panel=_LIFE)
    ] = DEFAULT_PROVISION_SECONDS,
    snapshot_seconds: Annotated[
        float, typer.Option(help="Seconds a snapshot stays pending.", rich_help_panel=_LIFE)
    ] = DEFAULT_SNAPSHOT_SECONDS,
    destroy_min_age: Annotated[
        float, typer.Option(help="v1: refuse destroying younger servers.", rich_help_panel=_LIFE)
    ] = 0.0,
    fault_seed: Annotated[int, typer.Option(help="Seed of the fault stream.", rich_help_panel=_FAULTS)] = 0,
    fault_latency_ms: Annotated[
        float, typer.Option(help="Added latency per call.", rich_help_panel=_FAULTS)
    ] = 0.0,
    fault_latency_jitter_ms: Annotated[
        float, typer.Option(help="Extra random latency, up to.", rich_help_panel=_FAULTS)
    ] = 0.0,
    fault_500_rate: Annotated[
        float, typer.Option(help="Share of calls answered 500.", rich_help_panel=_FAULTS)
    ] = 0.0,
    fault_503_every: Annotated[
        int, typer.Option(help="A throttle burst every N calls.", rich_help_panel=_FAULTS)
    ] = 0,
    fault_503_burst: Annotated[
        int, typer.Option(help="Throttled calls per burst.", rich_help_panel=_FAULTS)
    ] = 0,
    fault_drop_rate: Annotated[
        float, typer.Option(help="Share of calls dropped unread.", rich_help_panel=_FAULTS)
    ] = 0.0,
    fault_commit_drop_rate: Annotated[
        float, typer.Option(help="Share done but unanswered.", rich_help_panel=_FAULTS)
    ] = 0.0,
    fault_hide_lost_creates: Annotated[
        float,
        typer.Option(help="Seconds a lost create stays unlisted.", rich_help_panel=_FAULTS),
    ] = 0.0,
    access_log: Annotated[bool, typer.Option("--access-log", help="One line per request on stderr.")] = False,
    verbose: VerboseOption = False,
) -> None:
    """Serve the emulated API (/v1/ and /v2/) until SIGTERM or Ctrl-C; prints its URL first."""
    setup_logging(verbose)
    faults = FaultConfig(
        seed=fault_seed,
        latency_ms=fault_latency_ms,
        latency_jitter_ms=fault_latency_jitter_ms,
        error_500_rate=fault_500_rate,
        burst_503_every=fault_503_every,
        burst_503_length=fault_503_burst,
        drop_rate=fault_drop_rate,
        commit_drop_rate=fault_commit_drop_rate,
        hide_lost_creates_seconds=fault_hide_lost_creates,
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
    if state:
        _check_state(state)
    emulator = _open(config)
    server = _listen(emulator, host, port, access_log)
    stop = threading.Event()
    for signum in (signal.SIGTERM, signal.SIGINT):
        signal.signal(signum, lambda *_: stop.set())
    server.start()
    try:
        typer.echo(server.url)
        while not stop.wait(0.5):
            pass
    finally:
        server.stop()
        emulator.close()
