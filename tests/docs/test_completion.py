"""Shell completion, as the README documents it: ``--show-completion`` prints a script for the shell,
and the script, sourced into a real bash, completes commands and options by asking ``vultr-state``
itself (typer's completion protocol, ``_VULTR_STATE_COMPLETE``).
"""

from __future__ import annotations

import os
import shutil
import subprocess
import sys

import pytest
from typer.testing import CliRunner

from vultr_state.cli import app

# Typer detects the user's shell from the parent processes; this switch (typer's own, for tests) makes
# --show-completion take the shell as a value instead, so the test does not depend on how it was started.
NO_DETECTION = {"_TYPER_COMPLETE_TEST_DISABLE_SHELL_DETECTION": "1"}


def _show_completion(shell: str, tmp_path) -> str:
    env = {**os.environ, **NO_DETECTION}
    done = subprocess.run(
        [sys.executable, "-m", "vultr_state", "--show-completion", shell],
        capture_output=True,
        text=True,
        env=env,
        cwd=tmp_path,
        timeout=60,
    )
    assert done.returncode == 0, done.stderr
    return done.stdout


def _complete(words: str) -> list[str]:
    env = {
        "_VULTR_STATE_COMPLETE": "complete_bash",
        "COMP_WORDS": words,
        "COMP_CWORD": str(len(words.split()) - 1),
    }
    result = CliRunner().invoke(app, [], env=env, prog_name="vultr-state")
    assert result.exit_code == 0
    return result.output.split()


def test_show_completion_prints_a_script_per_shell(tmp_path):
    bash = _show_completion("bash", tmp_path)
    assert "complete -o default -F _vultr_state_completion vultr-state" in bash
    assert "_VULTR_STATE_COMPLETE=complete_bash" in bash
    assert _show_completion("zsh", tmp_path).startswith("#compdef vultr-state")


def test_the_protocol_completes_commands_options_and_choices():
    assert _complete("vultr-state pl") == ["plan"]
    assert _complete("vultr-state plan --allow-re") == ["--allow-replace", "--allow-reinstall"]
    assert _complete("vultr-state emulator s") == ["serve"]


@pytest.mark.skipif(shutil.which("bash") is None, reason="needs bash")
def test_the_bash_script_completes_in_a_real_bash(tmp_path):
    script = tmp_path / "completion.bash"
    script.write_text(_show_completion("bash", tmp_path))
    bin_dir = tmp_path / "bin"
    bin_dir.mkdir()
    shim = bin_dir / "vultr-state"
    shim.write_text(f'#!/bin/sh\nexec "{sys.executable}" -m vultr_state "$@"\n')
    shim.chmod(0o755)
    probe = (
        f"source {script}; COMP_WORDS=(vultr-state plan --allow-re); COMP_CWORD=2; "
        '_vultr_state_completion vultr-state; printf "%s\\n" "${COMPREPLY[@]}"'
    )
    env = {**os.environ, "PATH": f"{bin_dir}{os.pathsep}{os.environ.get('PATH', '')}"}

    done = subprocess.run(["bash", "-c", probe], capture_output=True, text=True, env=env, timeout=60)

    assert done.returncode == 0, done.stderr
    assert done.stdout.split() == ["--allow-replace", "--allow-reinstall"]
