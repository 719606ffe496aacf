"""Running the CLI in process for the command-line suites (``tests/cli``, ``tests/day2``): ``run_cli``
calls ``vultr_state.cli.main`` as the console script would (real exit-code mapping) and returns a
``CliResult`` with the captured output."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

import pytest

from vultr_state.cli import main


@dataclass(frozen=True)
class CliResult:
    """Exit code and captured output of one CLI run."""

    code: int
    out: str
    err: str


def run_cli(capsys: pytest.CaptureFixture[str], args: Sequence[str]) -> CliResult:
    """``vultr-state ARGS`` in this process; its output is read (and cleared) from ``capsys``."""
    with pytest.raises(SystemExit) as exited:
        main(list(args))
    captured = capsys.readouterr()
    return CliResult(int(exited.value.code or 0), captured.out, captured.err)
