"""Every command starts fast: the command line imports only what its command needs. Measured by which
modules a fresh interpreter holds after the command ran (never by time; benchmarks/startup.py times it)."""

from __future__ import annotations

import json
import os
import subprocess
import sys

import pytest

# What only the commands that talk to an account, read a manifest or run the emulator need.
HEAVY = (
    "requests",
    "urllib3",
    "yaml",
    "jsonschema",
    "deepdiff",
    "sqlite3",
    "vultr_state.providers.v1",
    "vultr_state.providers.v2",
    "vultr_state.http",
    "vultr_state.emulator",
    "vultr_state.manifest",
    "vultr_state.planner",
)

_PROBE = """
import json, sys
from vultr_state.cli import main
try:
    main(sys.argv[1:])
except SystemExit:
    pass
print(json.dumps(sorted(sys.modules)), file=sys.stderr)
"""


def _modules_after(*args: str, env: dict[str, str] | None = None) -> set[str]:
    environ = {k: v for k, v in os.environ.items() if not k.startswith(("VULTR_", "_TYPER", "COMP_"))}
    environ.update(env or {})
    done = subprocess.run(
        [sys.executable, "-c", _PROBE, *args], capture_output=True, text=True, timeout=60, env=environ
    )
    return set(json.loads(done.stderr.strip().splitlines()[-1]))


def _heavy(modules: set[str]) -> list[str]:
    return sorted(h for h in HEAVY if any(m == h or m.startswith(h + ".") for m in modules))


def test_version_imports_only_its_own_command():
    modules = _modules_after("version")
    assert _heavy(modules) == []
    assert sorted(m for m in modules if m.startswith("vultr_state")) == [
        "vultr_state",
        "vultr_state.cli",
        "vultr_state.cli.app",
        "vultr_state.cli.version",
        "vultr_state.errors",
    ]


@pytest.mark.parametrize(
    "line", ["vultr-state ", "vultr-state pl", "vultr-state plan --allow-", "vultr-state em"]
)
def test_shell_completion_imports_nothing_heavy(line):
    modules = _modules_after(env={"_VULTR_STATE_COMPLETE": "complete_zsh", "_TYPER_COMPLETE_ARGS": line})
    assert _heavy(modules) == []


@pytest.mark.parametrize("command", [["--help"], ["plan", "--help"], ["apply", "--help"], ["show", "--help"]])
def test_help_imports_nothing_heavy(command):
    assert _heavy(_modules_after(*command)) == []


def test_a_command_that_needs_the_client_still_gets_it(tmp_path):
    manifest = tmp_path / "m.yaml"
    manifest.write_text("project: p\n")
    modules = _modules_after("validate", str(manifest))
    assert "vultr_state.manifest" in modules and "vultr_state.client" not in modules
