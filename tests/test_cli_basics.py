"""Basic behaviour of the CLI entry point: version, unknown commands, usage exit code."""

import subprocess
import sys

from vultr_state import __version__


def run_cli(*args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "vultr_state", *args], capture_output=True, text=True, timeout=60
    )


def test_version_prints_installed_version():
    result = run_cli("version")
    assert result.returncode == 0
    assert result.stdout.strip() == f"vultr-state {__version__}"


def test_unknown_command_is_a_usage_error_not_changes_present():
    result = run_cli("no-such-command")
    assert result.returncode == 64
    assert "No such command" in result.stderr
    assert "Traceback" not in result.stderr
