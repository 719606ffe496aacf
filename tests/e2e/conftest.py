"""End-to-end fixtures: an emulator on a real loopback port and the real CLI run as a subprocess, on
either API (the ``api`` fixture runs a test once for v1 and once for v2).

The CLI finds the emulator through ``VULTR_API_URL``/``VULTR_API_KEY`` in its environment, exactly as a
CI job would find Vultr, and the API through ``VULTR_API_VERSION`` (always set: the default API may
change). Provisioning is short (1 s; v2 instances then spend as long again locked and booting) and neither
side rate-limits, to keep the suite fast. ``CallLog`` (WSGI middleware in front of the emulator) counts
calls by method, so a test can tell the plan's reads from writes on both wires.
"""

from __future__ import annotations

import os
import subprocess
import sys
import threading
from collections import Counter
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path

import pytest
from executor.support import API_NAMES, APIS, V1, Api, SeenServer, scripts_of, servers_of, ssh_keys_of

from vultr_state.emulator import DEFAULT_API_KEY, Emulator, EmulatorConfig, EmulatorServer
from vultr_state.http.settings import ClientSettings
from vultr_state.providers.base import Provider

KEY = "ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAICvMRIoLl7ifUS3jw5GPijSJRpDW6frmaxgsFBvBFfLQ deploy@e2e"
SCRIPT_SECRET = "e2e-secret-script-body"

MANIFEST = """\
project: e2e
defaults:
  region: New Jersey
  plan: 1024 MB RAM,25 GB SSD,1.00 TB BW
  os: Ubuntu 22.04 x64
  ssh_keys: [deploy]
ssh_keys:
  - name: deploy
    public_key: "{key}"
startup_scripts:
  - name: bootstrap
    script: |
      #!/bin/sh
      echo {secret}
servers:
{servers}"""

SERVER = """\
  - label: {label}
    startup_script: bootstrap
    ipv6: true
    power: {power}
    reverse_dns:
      ipv4: {label}.{domain}
      ipv6: {label}.{domain}
"""


def manifest_text(labels=("web-1", "web-2"), *, power="running", domain="example.com", extra="") -> str:
    """A manifest with one key, one script and a server per label (with IPv6 and reverse DNS)."""
    servers = "".join(SERVER.format(label=label, power=power, domain=domain) for label in labels)
    return MANIFEST.format(key=KEY, secret=SCRIPT_SECRET, servers=servers + extra)


class CallLog:
    """WSGI middleware: counts every request that reaches the app by (method, path)."""

    def __init__(self, app):
        self.app = app
        self.counts: Counter[tuple[str, str]] = Counter()
        self._lock = threading.Lock()

    def __call__(self, environ, start_response):
        with self._lock:
            self.counts[(environ.get("REQUEST_METHOD", ""), environ.get("PATH_INFO", ""))] += 1
        return self.app(environ, start_response)


@dataclass
class Cli:
    """Runs ``python -m vultr_state`` in ``cwd`` against ``url``, on ``api``."""

    url: str
    cwd: Path
    api: Api = V1

    def env(self) -> dict[str, str]:
        env = {k: v for k, v in os.environ.items() if not k.startswith("VULTR_")}
        env.update(
            VULTR_API_URL=self.url,
            VULTR_API_KEY=DEFAULT_API_KEY,
            VULTR_API_VERSION=self.api.name,
            NO_COLOR="1",
        )
        return env

    def command(self, *args: str) -> list[str]:
        return [sys.executable, "-m", "vultr_state", *args]

    def run(self, *args: str, timeout: float = 120) -> subprocess.CompletedProcess[str]:
        """Run to completion with no terminal on stdin; returns the completed process."""
        return subprocess.run(
            self.command(*args),
            cwd=self.cwd,
            env=self.env(),
            stdin=subprocess.DEVNULL,
            capture_output=True,
            text=True,
            timeout=timeout,
        )

    def start(self, *args: str) -> subprocess.Popen[str]:
        """Start in the background (for interrupt and crash tests)."""
        return subprocess.Popen(
            self.command(*args),
            cwd=self.cwd,
            env=self.env(),
            stdin=subprocess.DEVNULL,
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            text=True,
        )

    def apply(self, *args: str, timeout: float = 120) -> subprocess.CompletedProcess[str]:
        """``apply manifest.yaml --auto-approve --rate-limit 0`` plus ``args``."""
        return self.run(
            "apply", "manifest.yaml", "--auto-approve", "--rate-limit", "0", *args, timeout=timeout
        )


@dataclass
class Account:
    """The emulator behind the port (``api``'s face of it), and the CLI pointed at it."""

    emulator: Emulator
    server: EmulatorServer
    cli: Cli
    manifest: Path
    log: CallLog
    api: Api = V1
    _providers: list[Provider] = field(default_factory=list)

    def write(self, text: str) -> None:
        self.manifest.write_text(text)

    def servers(self) -> list[SeenServer]:
        return servers_of(self.emulator, self.api)

    def labels(self) -> list[str]:
        return sorted(s.label for s in self.servers())

    def ssh_keys(self) -> list[tuple[str, str]]:
        return ssh_keys_of(self.emulator, self.api)

    def scripts(self) -> list[tuple[str, str, str]]:
        return scripts_of(self.emulator, self.api)

    def calls(self) -> int:
        """API calls (of this account's API) the emulator received so far."""
        return sum(n for (_m, path), n in self.log.counts.items() if path.startswith(f"/{self.api.name}/"))

    def posts(self) -> int:
        """Writes (anything but a GET) the emulator received so far."""
        return sum(n for (method, _path), n in self.log.counts.items() if method != "GET")

    def calls_to(self, method: str, path: str) -> int:
        return self.log.counts[(method, path)]

    def provider(self) -> Provider:
        """A provider of this account's API over the port, for out-of-band changes (as another tool or
        the control panel would make them)."""
        settings = ClientSettings(api_key=DEFAULT_API_KEY, api_url=self.server.url, rate_limit=0)
        if self.api.name == "v1":
            from vultr_state.providers.v1 import V1Provider
            from vultr_state.providers.v1.client import VultrClient

            made: Provider = V1Provider(VultrClient(settings))
        else:
            from vultr_state.providers.v2.provider import V2Provider

            made = V2Provider(settings)
        self._providers.append(made)
        return made

    def close(self) -> None:
        for made in self._providers:
            made.close()


def make_account(tmp_path: Path, app_wrapper=None, *, api: Api = V1, **config) -> Iterator[Account]:
    """Start an emulator (optionally wrapped in WSGI middleware) on a free port; stop it afterwards."""
    config.setdefault("rate_limit", 0)
    config.setdefault("provision_seconds", 1.0)
    config.setdefault("snapshot_seconds", 1.0)
    emulator = Emulator(EmulatorConfig(**config))
    log = CallLog(app_wrapper(emulator) if app_wrapper else emulator)
    server = EmulatorServer(log).start()  # type: ignore[arg-type]  (a WSGI wrapper serves like the app)
    manifest = tmp_path / "manifest.yaml"
    manifest.write_text(manifest_text())
    account = Account(emulator, server, Cli(server.url, tmp_path, api), manifest, log, api)
    try:
        yield account
    finally:
        account.close()
        server.stop()
        emulator.close()


@pytest.fixture(params=API_NAMES)
def api(request: pytest.FixtureRequest) -> Api:
    return APIS[request.param]


@pytest.fixture
def account(tmp_path: Path, api: Api) -> Iterator[Account]:
    yield from make_account(tmp_path, api=api)
