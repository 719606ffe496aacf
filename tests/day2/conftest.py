"""Fixtures for the day-2 workflow tests (renames, snapshots that outlive their source, refresh-free and
targeted plans, scoped staleness, catalog positions): the real CLI, in process, against one served
emulator answering both APIs, with every test run on ``--api v1`` and ``--api v2``. ``ops`` acts on the
account behind the tool's back through the provider of the API under test."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from pathlib import Path

import pytest

from tests.cli_support import CliResult, run_cli
from vultr_state.cli.common import ConnectionOptions, open_provider
from vultr_state.emulator import DEFAULT_API_KEY, Emulator
from vultr_state.providers.base import Provider

KEY = "ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAICvMRIoLl7ifUS3jw5GPijSJRpDW6frmaxgsFBvBFfLQ deploy@ci"
OTHER_KEY = "ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAIKx8c2d0ZYXWVUTSRQPONMLKJIHGFEDCBAzyxwvutsrq ops@laptop"
HEAD = """\
project: day2
defaults:
  region: New Jersey
  plan: 1024 MB RAM,25 GB SSD,1.00 TB BW
  os: Ubuntu 20.04 x64
"""


@pytest.fixture(params=["v1", "v2"])
def api(request, _server, monkeypatch) -> str:
    """The API under test, with an empty emulated account and the environment pointing at it."""
    _server.emulator.reset()
    monkeypatch.setenv("VULTR_API_URL", _server.url)
    monkeypatch.setenv("VULTR_API_KEY", DEFAULT_API_KEY)
    monkeypatch.setenv("NO_COLOR", "1")
    monkeypatch.delenv("VULTR_API_VERSION", raising=False)
    return request.param


@pytest.fixture
def emulator(_server) -> Emulator:
    return _server.emulator


@pytest.fixture
def cli(capsys, api) -> Callable[..., CliResult]:
    """Run ``vultr-state COMMAND ARGS --api API --rate-limit 0`` in process (real exit-code mapping)."""

    def run(command: str, *args: str) -> CliResult:
        return run_cli(capsys, [command, *args, "--api", api, "--rate-limit", "0"])

    return run


@pytest.fixture
def ops(api, _server) -> Iterator[Provider]:
    """A provider of the API under test on the emulated account (for changes behind the tool's back)."""
    options = ConnectionOptions(api_url=_server.url, rate_limit=0, api=api)
    with open_provider(options, env={"VULTR_API_KEY": DEFAULT_API_KEY}) as provider:
        yield provider


@pytest.fixture
def write(tmp_path) -> Callable[[str], Path]:
    """Write ``HEAD + body`` as the manifest ``site.yaml``; returns its path."""

    def put(body: str, name: str = "site.yaml") -> Path:
        path = tmp_path / name
        path.write_text(HEAD + body, encoding="utf-8")
        return path

    return put
