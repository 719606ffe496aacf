"""Running Vultr's own Node.js clients (npm ``@vultr/vultr-node``), unmodified, against the emulator.

Shared by ``test_vultr_node.py`` (0.1.x, API v1) and ``test_vultr_node_v2.py`` (2.x, API v2): where each
install is found (a directory named by an environment variable, whose ``node_modules`` holds the client
of the wanted major version; ``.ci/run`` installs both), the real-clock emulator the scripts poll, and
one run of a script under ``node/`` with the emulator's URL and key.
"""

from __future__ import annotations

import json
import os
import shutil
import subprocess
from pathlib import Path

from vultr_state.emulator import DEFAULT_API_KEY, EmulatorConfig

SCRIPTS = Path(__file__).parent / "node"
HAVE_NODE = shutil.which("node") is not None
# The scripts poll until their server and snapshot are ready: a short, real-clock lifecycle.
REAL_CLOCK_CONFIG = EmulatorConfig(rate_limit=0, provision_seconds=0.4, snapshot_seconds=0.2)


def node_modules(env_var: str, major: str) -> Path | None:
    """The ``node_modules`` under ``$env_var`` holding ``@vultr/vultr-node`` ``major``.x, or None."""
    base = os.environ.get(env_var)
    package = Path(base) / "node_modules" / "@vultr" / "vultr-node" / "package.json" if base else None
    if package is None or not package.is_file():
        return None
    version = json.loads(package.read_text(encoding="utf-8")).get("version", "")
    return package.parents[2] if version.startswith(f"{major}.") else None


def run_script(script: str, modules: Path, url: str, *, timeout: float) -> subprocess.CompletedProcess[str]:
    """Run ``node/<script>`` against the emulator at ``url`` with the client found in ``modules``."""
    return subprocess.run(
        ["node", str(SCRIPTS / script), url, DEFAULT_API_KEY],
        env={**os.environ, "NODE_PATH": str(modules)},
        capture_output=True,
        text=True,
        timeout=timeout,
        check=False,
    )
