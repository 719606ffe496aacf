"""Help output (through typer's CliRunner): every read-side command documents its options, and the API
key from the environment never shows up as a default value."""

from __future__ import annotations

import pytest
from typer.testing import CliRunner

from vultr_state.cli import app

SECRET = "SECRET-KEY-FROM-ENV-0123"


@pytest.mark.parametrize("command", ["plan", "show", "export", "api"])
def test_help_never_shows_the_api_key(command):
    result = CliRunner().invoke(app, [command, "--help"], env={"VULTR_API_KEY": SECRET, "COLUMNS": "200"})
    assert result.exit_code == 0
    assert SECRET not in result.output
    for option in ("--api-url", "--api-key-file", "--emulator", "--rate-limit", "--verbose"):
        assert option in result.output
    assert "--api-key " not in result.output  # the key is never a command-line value


def test_plan_help_documents_exit_codes_and_permissions():
    output = CliRunner().invoke(app, ["plan", "--help"], env={"COLUMNS": "200"}).output
    for text in (
        "--detailed-exitcode",
        "--allow-destroy",
        "--allow-prune",
        "--allow-replace",
        "--allow-reinstall",
    ):
        assert text in output
    assert "2 changes present" in output and "64: a usage error" in output
