"""vultr-node (npm ``@vultr/vultr-node`` 0.1.x, Vultr's own v1 client for Node.js), unmodified, against the
emulator over HTTP.

Runs ``node/vultr_node_v1.js`` when ``node`` is on the PATH and ``VULTR_NODE_COMPAT_DIR`` names a directory
whose ``node_modules`` holds the client; skipped otherwise (the suite installs nothing from npm).
``benchmarks/compat_vultr_node.sh`` installs the client into a temporary directory and runs this script and
the slower node-vultr one.
"""

from __future__ import annotations

from collections.abc import Iterator

import pytest

from compat.node_runner import HAVE_NODE, REAL_CLOCK_CONFIG, node_modules, run_script
from vultr_state.emulator import EmulatorServer

MODULES = node_modules("VULTR_NODE_COMPAT_DIR", "0")


@pytest.fixture
def live_server() -> Iterator[EmulatorServer]:
    with EmulatorServer(config=REAL_CLOCK_CONFIG) as running:
        yield running
    running.emulator.close()


@pytest.mark.skipif(not HAVE_NODE, reason="node is not installed")
@pytest.mark.skipif(MODULES is None, reason="set VULTR_NODE_COMPAT_DIR to a vultr-node 0.1.x install")
def test_vultr_node_drives_the_emulator(live_server: EmulatorServer) -> None:
    assert MODULES is not None
    result = run_script("vultr_node_v1.js", MODULES, live_server.url, timeout=60)
    assert result.returncode == 0, result.stdout + result.stderr
    assert '"checks":18' in result.stdout
    assert live_server.emulator.servers() == []
