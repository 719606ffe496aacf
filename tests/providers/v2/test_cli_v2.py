"""The real CLI on v2 (``--api v2`` / ``VULTR_API_VERSION=v2``), run as a subprocess against the v2
emulator on a loopback port: apply from empty, a no-change plan, ``show`` naming the owner, the owner tag
on the instance, and the separate v1 account of the same emulator."""

from __future__ import annotations

import os
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

import pytest
import requests

from vultr_state.emulator import DEFAULT_API_KEY, Emulator, EmulatorConfig, EmulatorServer

ROOT = Path(__file__).resolve().parents[3]
SCRIPT_SECRET = "cli-v2-secret-body-41c7"
MANIFEST = f"""\
project: clitest
defaults:
  region: ewr
  plan: vc2-1c-1gb
  os: Debian 11 x64 (bullseye)
ssh_keys:
  - name: deploy
    public_key: "ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAICvMRIoLl7ifUS3jw5GPijSJRpDW6frmaxgsFBvBFfLQ deploy@ci"
startup_scripts:
  - name: bootstrap
    script: |
      #!/bin/sh
      echo {SCRIPT_SECRET}
servers:
  - label: web-1
    ssh_keys: [deploy]
    startup_script: bootstrap
    ipv6: true
    reverse_dns:
      ipv4: web-1.example.com
      ipv6: web-1.example.com
"""


@pytest.fixture
def url() -> Iterator[str]:
    emulator = Emulator(EmulatorConfig(rate_limit=0, provision_seconds=0.5, snapshot_seconds=0.5))
    with EmulatorServer(emulator) as server:
        yield server.url
    emulator.close()


def _run(cwd: Path, url: str, *args: str, api: str | None = "v2") -> subprocess.CompletedProcess[str]:
    env = {
        **os.environ,
        "PYTHONPATH": str(ROOT),
        "VULTR_API_URL": url,
        "VULTR_API_KEY": DEFAULT_API_KEY,
        "NO_COLOR": "1",
    }
    env.pop("VULTR_API_VERSION", None)
    if api is not None:
        env["VULTR_API_VERSION"] = api
    return subprocess.run(
        [sys.executable, "-m", "vultr_state", *args],
        cwd=cwd,
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
    )


def test_apply_plan_and_show_on_v2(tmp_path: Path, url: str) -> None:
    (tmp_path / "site.yaml").write_text(MANIFEST, encoding="utf-8")
    applied = _run(tmp_path, url, "apply", "site.yaml", "--auto-approve", "--rate-limit", "0")
    assert applied.returncode == 0, applied.stderr
    assert "4 created" in applied.stdout + applied.stderr

    again = _run(tmp_path, url, "plan", "site.yaml", "--detailed-exitcode", "--rate-limit", "0")
    assert again.returncode == 0, again.stdout + again.stderr
    assert "No changes" in again.stdout

    shown = _run(tmp_path, url, "show", "--api", "v2", api=None)
    assert shown.returncode == 0, shown.stderr
    assert shown.stdout.count("owned by clitest") == 3

    instances = requests.get(
        f"{url}/v2/instances", headers={"Authorization": f"Bearer {DEFAULT_API_KEY}"}, timeout=10
    ).json()["instances"]
    assert [i["tags"] for i in instances] == [["vultr-state:clitest"]]
    for output in (applied, again, shown):
        assert SCRIPT_SECRET not in output.stdout + output.stderr
        assert DEFAULT_API_KEY not in output.stdout + output.stderr


def test_v1_is_one_flag_away_and_its_account_is_separate(tmp_path: Path, url: str) -> None:
    (tmp_path / "site.yaml").write_text(MANIFEST, encoding="utf-8")
    assert _run(tmp_path, url, "apply", "site.yaml", "--auto-approve", "--rate-limit", "0").returncode == 0
    on_v1 = _run(tmp_path, url, "plan", "site.yaml", "--api", "v1", "--rate-limit", "0", api=None)
    assert on_v1.returncode == 1  # v1 plans its own (empty) account with v1 catalog names
    assert "unknown plan 'vc2-1c-1gb'" in on_v1.stderr  # v2 ids are not v1 names


def test_an_unknown_api_is_a_clear_error(tmp_path: Path, url: str) -> None:
    (tmp_path / "site.yaml").write_text(MANIFEST, encoding="utf-8")
    result = _run(tmp_path, url, "plan", "site.yaml", api="v3")
    assert result.returncode != 0
    assert "unknown API 'v3': expected one of v1, v2" in result.stderr
    assert "Traceback" not in result.stderr
