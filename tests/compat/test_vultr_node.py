"""vultr-node (npm ``@vultr/vultr-node`` 0.1.x, Vultr's own v1 client for Node.js), unmodified, against the
emulator over HTTP.

Runs ``node/vultr_node_v1.js`` when ``node`` is on the PATH and ``VULTR_NODE_COMPAT_DIR`` names a directory
whose ``node_modules`` holds the client; skipped otherwise (the suite installs nothing from npm).
``benchmarks/compat_vultr_node.sh`` installs the client into a temporary directory and runs this script and
the slower node-vultr one.
"""

from __future__ import annotations

import os
import shutil
import subprocess
from collections.abc import Iterator
from pathlib import Path

import pytest

from vultr_state.emulator import DEFAULT_API_KEY, EmulatorConfig, EmulatorServer

SCRIPT = Path(__file__).parent / "node" / "vultr_node_v1.js"


def node_modules() -> Path | None:
    """The ``node_modules`` directory holding ``@vultr/vultr-node``, or ``None``."""
    base = os.environ.get("VULTR_NODE_COMPAT_DIR")
    modules = Path(base) / "node_modules" if base else None
    return modules if modules and (modules / "@vultr" / "vultr-node").is_dir() else None


@pytest.fixture
def live_server() -> Iterator[EmulatorServer]:
    """A real-clock emulator: the node script polls until its server and snapshot are ready."""
    config = EmulatorConfig(rate_limit=0, provision_seconds=0.4, snapshot_seconds=0.2)
    with EmulatorServer(config=config) as running:
        yield running
    running.emulator.close()


@pytest.mark.skipif(shutil.which("node") is None, reason="node is not installed")
@pytest.mark.skipif(node_modules() is None, reason="set VULTR_NODE_COMPAT_DIR to a vultr-node 0.1.x install")
def test_vultr_node_drives_the_emulator(live_server: EmulatorServer) -> None:
    environment = {**os.environ, "NODE_PATH": str(node_modules())}
    result = subprocess.run(
        ["node", str(SCRIPT), live_server.url, DEFAULT_API_KEY],
        env=environment,
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
    )
    assert result.returncode == 0, result.stdout + result.stderr
    assert '"checks":18' in result.stdout
    assert live_server.emulator.servers() == []
