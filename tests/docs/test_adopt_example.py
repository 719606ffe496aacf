"""examples/adopt/adopt.sh, run for real: objects created outside vultr-state in an emulator served on a
loopback port, then export → plan (adoptions only) → apply the saved plan → plan (no changes).

The script runs under ``sh`` with ``vultr-state`` on its PATH (a shim for this interpreter), pointed at
the served emulator through ``VULTR_STATE_TARGET`` and ``VULTR_API_KEY``, exactly as its header says.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from tests.docs.conftest import EXAMPLES
from vultr_state.emulator import DEFAULT_API_KEY, Emulator, EmulatorConfig, EmulatorServer

ADOPT_ONLY = (
    "Plan: 0 to create, 0 to update, 0 to replace, 0 to reinstall, 0 to destroy, 0 to prune, 3 to adopt."
)


@pytest.fixture
def served():
    emulator = Emulator(EmulatorConfig(rate_limit=0, provision_seconds=0, snapshot_seconds=0))
    with EmulatorServer(emulator) as server:
        yield server
    emulator.close()


def _shim(directory: Path) -> Path:
    """A ``vultr-state`` executable that runs this interpreter's vultr_state package."""
    directory.mkdir()
    shim = directory / "vultr-state"
    shim.write_text(f'#!/bin/sh\nexec "{sys.executable}" -m vultr_state "$@"\n')
    shim.chmod(0o755)
    return directory


@pytest.mark.skipif(shutil.which("sh") is None, reason="needs a POSIX shell")
def test_adopt_script_exports_adopts_and_converges(served, tmp_path):
    env = {k: v for k, v in os.environ.items() if not k.startswith("VULTR_")}
    env.update(
        PATH=f"{_shim(tmp_path / 'bin')}{os.pathsep}{env.get('PATH', '')}",
        VULTR_STATE_TARGET=f"--api-url {served.url} --rate-limit 0",
        VULTR_API_KEY=DEFAULT_API_KEY,
        NO_COLOR="1",
    )

    done = subprocess.run(
        ["sh", str(EXAMPLES / "adopt" / "adopt.sh"), "legacy-infra"],
        cwd=tmp_path,
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
    )

    assert done.returncode == 0, done.stdout + done.stderr
    steps = done.stdout.split("== ")
    show, plan, apply, final = steps[2], steps[4], steps[5], steps[6]
    assert show.count("unmanaged") >= 3 and "0 owned, 3 unmanaged" in show
    assert ADOPT_ONLY in plan and plan.count("(adopt)") == 3
    assert "Apply complete: 3 adopted" in apply
    assert "No changes. The account matches the manifest." in final
    assert "echo set up by hand" not in done.stdout + done.stderr  # script bodies are never printed
    manifest = (tmp_path / "legacy-infra" / "legacy.yaml").read_text()
    assert "label: legacy-web" in manifest and "ipv6: true" in manifest
    assert (tmp_path / "legacy-infra" / "scripts" / "legacy-setup.sh").read_text().endswith("set up by hand")
    account = served.emulator.v2  # the script runs on v2, the default
    assert [s["label"] for s in account.instances()] == ["legacy-web"]
    assert [k["name"] for k in account.ssh_keys()] == ["ops"]
    assert sorted(s["name"] for s in account.startup_scripts()) == ["legacy-setup", "vultr-state:legacy"]
    assert served.emulator.servers() == []  # nothing on v1
