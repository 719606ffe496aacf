"""End-to-end fixtures: an emulator on a real loopback port and the real CLI run as a subprocess.

The CLI finds the emulator through ``VULTR_API_URL``/``VULTR_API_KEY`` in its environment, exactly as a
CI job would find Vultr. Provisioning is short (1 s) and neither side rate-limits, to keep the suite fast.
"""

from __future__ import annotations

import os
import subprocess
import sys
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest

from vultr_state.emulator import DEFAULT_API_KEY, Emulator, EmulatorConfig, EmulatorServer

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


@dataclass
class Cli:
    """Runs ``python -m vultr_state`` in ``cwd`` against ``url``."""

    url: str
    cwd: Path

    def env(self) -> dict[str, str]:
        env = {k: v for k, v in os.environ.items() if not k.startswith("VULTR_")}
        env.update(VULTR_API_URL=self.url, VULTR_API_KEY=DEFAULT_API_KEY, NO_COLOR="1")
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
    """The emulator behind the port, and the CLI pointed at it."""

    emulator: Emulator
    server: EmulatorServer
    cli: Cli
    manifest: Path

    def write(self, text: str) -> None:
        self.manifest.write_text(text)

    def labels(self) -> list[str]:
        return sorted(s["label"] for s in self.emulator.servers())

    def posts(self) -> int:
        """Mutating calls the emulator received so far (everything that is not a list/read)."""
        return sum(n for path, n in self.emulator.call_counts.items() if not _is_read(path))


def _is_read(path: str) -> bool:
    return path.endswith("/list") or "list_" in path or path.endswith("/availability")


def make_account(tmp_path: Path, app_wrapper=None, **config) -> Iterator[Account]:
    """Start an emulator (optionally wrapped in WSGI middleware) on a free port; stop it afterwards."""
    config.setdefault("rate_limit", 0)
    config.setdefault("provision_seconds", 1.0)
    config.setdefault("snapshot_seconds", 1.0)
    emulator = Emulator(EmulatorConfig(**config))
    app = app_wrapper(emulator) if app_wrapper else emulator
    server = EmulatorServer(app).start()  # type: ignore[arg-type]  (a WSGI wrapper serves like the app)
    manifest = tmp_path / "manifest.yaml"
    manifest.write_text(manifest_text())
    try:
        yield Account(emulator, server, Cli(server.url, tmp_path), manifest)
    finally:
        server.stop()
        emulator.close()


@pytest.fixture
def account(tmp_path: Path) -> Iterator[Account]:
    yield from make_account(tmp_path)
