"""vultr-node 2.x (npm ``@vultr/vultr-node``, Vultr's own API v2 client for Node.js), unmodified, against
the emulator's ``/v2/`` over HTTP: SSH keys, startup scripts, an instance from create to delete (power,
update), reverse DNS on IPv4 and IPv6, user data and a snapshot.

Runs ``node/vultr_node_v2.js`` when ``node`` is on the PATH and ``VULTR_NODE_V2_COMPAT_DIR`` names a
directory whose ``node_modules`` holds a 2.x install (``.ci/run`` installs one into its own prefix beside
the 0.1.2 v1 install); skipped otherwise (the suite installs nothing from npm).
"""

from __future__ import annotations

from collections.abc import Iterator

import pytest

from compat.node_runner import HAVE_NODE, REAL_CLOCK_CONFIG, node_modules, run_script
from vultr_state.emulator import EmulatorServer

MODULES = node_modules("VULTR_NODE_V2_COMPAT_DIR", "2")


@pytest.fixture
def live_server() -> Iterator[EmulatorServer]:
    with EmulatorServer(config=REAL_CLOCK_CONFIG) as running:
        yield running
    running.emulator.close()


@pytest.mark.skipif(not HAVE_NODE, reason="node is not installed")
@pytest.mark.skipif(MODULES is None, reason="set VULTR_NODE_V2_COMPAT_DIR to a vultr-node 2.x install")
def test_vultr_node_v2_drives_the_emulator(live_server: EmulatorServer) -> None:
    assert MODULES is not None
    result = run_script("vultr_node_v2.js", MODULES, live_server.url, timeout=120)
    assert result.returncode == 0, result.stdout + result.stderr
    assert '"checks":20' in result.stdout
    assert live_server.emulator.v2.instances() == [] and live_server.emulator.v2.ssh_keys() == []
