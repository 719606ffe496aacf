"""Fixtures for the CLI tests: an emulator served on an ephemeral loopback port, the environment that
points the CLI at it, and two ways to run the CLI (in process through ``main`` with captured output, and
as a real subprocess)."""

from __future__ import annotations

import os
import subprocess
import sys
from collections.abc import Iterator

import pytest

from tests.cli_support import CliResult, run_cli
from vultr_state.emulator import DEFAULT_API_KEY, Emulator, EmulatorServer
from vultr_state.providers.v1.client import ClientSettings, VultrClient


@pytest.fixture
def served(_server) -> EmulatorServer:
    """The served emulator, with an empty account."""
    _server.emulator.reset()
    return _server


@pytest.fixture
def emulator(served) -> Emulator:
    """The emulator behind ``served`` (for inspecting the account)."""
    return served.emulator


@pytest.fixture
def api_env(served, monkeypatch) -> dict[str, str]:
    """VULTR_API_URL / VULTR_API_KEY pointing at the served emulator, and VULTR_API_VERSION=v1: the tests
    using it inspect the emulator's v1 account (also set in this process)."""
    env = {"VULTR_API_URL": served.url, "VULTR_API_KEY": DEFAULT_API_KEY, "VULTR_API_VERSION": "v1"}
    for name, value in env.items():
        monkeypatch.setenv(name, value)
    return env


@pytest.fixture
def cli(capsys, monkeypatch):
    """Run ``vultr-state ARGS`` in process through ``main`` (real exit-code mapping), output captured."""
    monkeypatch.delenv("NO_COLOR", raising=False)

    def run(*args: str) -> CliResult:
        return run_cli(capsys, args)

    return run


@pytest.fixture
def cli_process(tmp_path):
    """Run ``python -m vultr_state ARGS`` as a subprocess in ``tmp_path`` with extra environment."""

    def run(*args: str, env: dict[str, str] | None = None, cwd=None) -> CliResult:
        environ = {k: v for k, v in os.environ.items() if not k.startswith("VULTR_")}
        environ.update(env or {})
        done = subprocess.run(
            [sys.executable, "-m", "vultr_state", *args],
            capture_output=True,
            text=True,
            timeout=60,
            env=environ,
            cwd=cwd or tmp_path,
        )
        return CliResult(done.returncode, done.stdout, done.stderr)

    return run


@pytest.fixture
def client(served) -> Iterator[VultrClient]:
    """A client on the served emulator's (empty) account, for setting up and inspecting it."""
    settings = ClientSettings.resolve(api_key=DEFAULT_API_KEY, api_url=served.url, env={}, rate_limit=0)
    with VultrClient(settings) as vultr:
        yield vultr
