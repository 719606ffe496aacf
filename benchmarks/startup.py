"""Benchmark: how long the command line takes to start. Prints wall time (median and best of N runs) and
the number of modules imported for ``vultr-state version``, shell completion of a command name and
``vultr-state plan --help``. Target: ``version`` and completion in under 0.3 s.

Each run is a fresh ``python -m vultr_state`` process, as a shell would start it; the figure includes the
interpreter's own start (printed first, as ``python -c pass``, for comparison). Import details of one
command: ``python -X importtime -m vultr_state version``.

    python benchmarks/startup.py [RUNS]
"""

from __future__ import annotations

import os
import statistics
import subprocess
import sys
import time

# Runs the command in this interpreter, then prints how many modules it imported.
_COUNT = """
import runpy, sys
sys.argv = ["vultr-state", *sys.argv[1:]]
try:
    runpy.run_module("vultr_state", run_name="__main__")
except SystemExit:
    pass
print(len(sys.modules), file=sys.stderr)
"""

CASES: tuple[tuple[str, list[str], dict[str, str]], ...] = (
    ("python -c pass (interpreter alone)", ["-c", "pass"], {}),
    ("vultr-state version", ["-m", "vultr_state", "version"], {}),
    (
        "completion of 'vultr-state pl'",
        ["-m", "vultr_state"],
        {"_VULTR_STATE_COMPLETE": "complete_zsh", "_TYPER_COMPLETE_ARGS": "vultr-state pl"},
    ),
    ("vultr-state plan --help", ["-m", "vultr_state", "plan", "--help"], {"COLUMNS": "100"}),
)


def _run(args: list[str], extra: dict[str, str]) -> float:
    env = {**os.environ, **extra}
    started = time.perf_counter()
    subprocess.run(
        [sys.executable, *args], env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, check=False
    )
    return time.perf_counter() - started


def _modules(args: list[str], extra: dict[str, str]) -> str:
    if args[:1] != ["-m"]:
        return "-"
    env = {**os.environ, **extra}
    done = subprocess.run(
        [sys.executable, "-c", _COUNT, *args[2:]], env=env, capture_output=True, text=True, check=False
    )
    return done.stderr.strip().splitlines()[-1] if done.stderr.strip() else "?"


def main(runs: int) -> None:
    print(f"{'command':<38} {'median':>8} {'best':>8} {'modules':>8}   ({runs} runs each)")
    for label, args, extra in CASES:
        times = [_run(args, extra) for _ in range(runs)]
        print(f"{label:<38} {statistics.median(times):>7.3f}s {min(times):>7.3f}s {_modules(args, extra):>8}")


if __name__ == "__main__":
    main(int(sys.argv[1]) if len(sys.argv) > 1 else 10)
