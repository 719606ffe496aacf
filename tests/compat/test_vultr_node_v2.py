"""vultr-node 2.x (npm ``@vultr/vultr-node``, Vultr's own API v2 client for Node.js), unmodified, against
the emulator's ``/v2/`` over HTTP: SSH keys, startup scripts, an instance from create to delete (power,
update), reverse DNS on IPv4 and IPv6, user data and a snapshot.

Runs ``node/vultr_node_v2.js`` when ``node`` is on the PATH and ``VULTR_NODE_V2_COMPAT_DIR`` names a
directory whose ``node_modules`` holds a 2.x install (``.ci/run`` installs one into its own prefix beside
the 0.1.2 v1 install); skipped otherwise (the suite installs nothing from npm).
"""

from __future__ import annotations

import json
import os
import shutil
import subprocess
from collections.abc import Iterator
from pathlib import Path

import pytest

from vultr_state.emulator import DEFAULT_API_KEY, EmulatorConfig, EmulatorServer

SCRIPT = Path(__file__).parent / "node" / "vultr_node_v2.js"


def node_modules() -> Path | None:
    """The ``node_modules`` directory holding ``@vultr/vultr-node`` 2.x, or ``None``."""
    base = os.environ.get("VULTR_NODE_V2_COMPAT_DIR")
    modules = Path(base) / "node_modules" if base else None
    package = modules / "@vultr" / "vultr-node" / "package.json" if modules else None
    if package is None or not package.is_file():
        return None
    return modules if json.loads(package.read_text())["version"].startswith("2.") else None


@pytest.fixture
def live_server() -> Iterator[EmulatorServer]:
    """A real-clock emulator: the node script polls until its instance and snapshot are ready."""
    config = EmulatorConfig(rate_limit=0, provision_seconds=0.4, snapshot_seconds=0.2)
    with EmulatorServer(config=config) as running:
        yield running
    running.emulator.close()


@pytest.mark.skipif(shutil.which("node") is None, reason="node is not installed")
@pytest.mark.skipif(node_modules() is None, reason="set VULTR_NODE_V2_COMPAT_DIR to a vultr-node 2.x install")
def test_vultr_node_v2_drives_the_emulator(live_server: EmulatorServer) -> None:
    environment = {**os.environ, "NODE_PATH": str(node_modules())}
    result = subprocess.run(
        ["node", str(SCRIPT), live_server.url, DEFAULT_API_KEY],
        env=environment,
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )
    assert result.returncode == 0, result.stdout + result.stderr
    assert '"checks":20' in result.stdout
    assert live_server.emulator.v2.instances() == [] and live_server.emulator.v2.ssh_keys() == []
