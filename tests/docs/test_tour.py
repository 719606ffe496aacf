"""The README's short tour is real: every command it shows is run, in order, as the real CLI (a subprocess
with ``--emulator`` in a scratch copy of ``examples/``), the edit it asks for (its ``diff`` block) is made
to the manifest, and each shown output must match what the command printed.

Matching: a README line ``...`` stands for any number of lines; ids the emulator derives from the clock
(v2 UUIDs, 13-hex-digit v1 SSH key ids) and elapsed times are compared as placeholders; apply's
progress lines are compared as a set per run (parallel actions finish in any order); every other line
must be there, in order. Costs a few seconds: the ``--emulator`` account provisions a server in 3 s.
"""

from __future__ import annotations

import os
import re
import shlex
import shutil
import subprocess
import sys
from pathlib import Path

from tests.docs.conftest import EXAMPLES, README

_BLOCK = re.compile(r"^```(text|diff)\n(.*?)^```", re.S | re.M)
_VOLATILE = (
    (re.compile(r"\b[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}\b"), "<uuid>"),
    (re.compile(r"\b[0-9a-f]{13}\b"), "<hex-id>"),
    (re.compile(r"\b\d+\.\ds\b"), "<seconds>"),
    (re.compile(r" +$"), ""),
)


def _tour() -> str:
    text = README.read_text(encoding="utf-8")
    start = text.index("## A short tour")
    return text[start : text.index("\n## ", start + 1)]


def _normal(line: str) -> str:
    for pattern, placeholder in _VOLATILE:
        line = pattern.sub(placeholder, line)
    return line


_PROGRESS = re.compile(r"^(\+|~|-/\+|-|!|=) [a-z_]+\.\S+: ")


def _progress_sorted(lines: list[str]) -> list[str]:
    """Each run of apply progress lines sorted: parallel actions finish in any order."""
    out: list[str] = []
    run: list[str] = []
    for line in [*lines, ""]:
        if _PROGRESS.match(line):
            run.append(line)
            continue
        out.extend(sorted(run, key=_normal))
        run.clear()
        out.append(line)
    return out[:-1]


def _matches(expected: list[str], actual: list[str]) -> str | None:
    """None when ``expected`` (``...`` = any lines) is in ``actual`` in order, else the line missing."""
    position, gap = 0, False
    for line in expected:
        if line.strip() == "...":
            gap = True
            continue
        want = _normal(line)
        while position < len(actual) and _normal(actual[position]) != want:
            if not gap:
                return f"{line!r} (found {actual[position]!r} instead)"
            position += 1
        if position == len(actual):
            return f"{line!r} (not printed)"
        position, gap = position + 1, False
    return None


def _commands(block: str) -> list[tuple[str, list[str]]]:
    """``(command line, expected output lines)`` for each ``$ `` line of a shown session."""
    steps: list[tuple[str, list[str]]] = []
    for line in block.splitlines():
        if line.startswith("$ "):
            steps.append((line[2:], []))
        elif steps:
            steps[-1][1].append(line)
    return steps


def _edit(manifest: Path, diff: str) -> None:
    """Make the edit a unified-diff block shows: each run of ``-`` lines becomes the ``+`` lines after it."""
    text = manifest.read_text(encoding="utf-8")
    removed: list[str] = []
    added: list[str] = []

    def flush() -> None:
        nonlocal text
        if removed or added:
            old, new = "".join(removed), "".join(added)
            assert old in text, f"the tour's edit does not apply: {old!r} is not in {manifest.name}"
            text = text.replace(old, new, 1)
        removed.clear()
        added.clear()

    for line in diff.splitlines():
        if line.startswith("-"):
            if added:
                flush()
            removed.append(line[1:] + "\n")
        elif line.startswith("+"):
            added.append(line[1:] + "\n")
        else:
            flush()
    flush()
    manifest.write_text(text, encoding="utf-8")


def test_the_tour_shows_what_the_cli_prints(tmp_path):
    shutil.copytree(EXAMPLES, tmp_path / "examples")
    env = {k: v for k, v in os.environ.items() if not k.startswith("VULTR_")}
    env.update(NO_COLOR="1", COLUMNS="120")
    last_code = 0
    ran = 0
    for kind, body in _BLOCK.findall(_tour()):
        if kind == "diff":
            _edit(tmp_path / "examples" / "quickstart.yaml", body)
            continue
        for command, expected in _commands(body):
            words = shlex.split(command)
            if words == ["echo", "$?"]:
                assert expected == [str(last_code)], f"README says {command} printed {expected}"
                continue
            assert words[0] == "vultr-state", command
            done = subprocess.run(
                [sys.executable, "-m", "vultr_state", *words[1:]],
                cwd=tmp_path,
                env=env,
                stdin=subprocess.DEVNULL,
                capture_output=True,
                text=True,
                timeout=120,
            )
            last_code = done.returncode
            shown = _progress_sorted((done.stdout + done.stderr).splitlines())
            problem = _matches(_progress_sorted(expected), shown)
            assert problem is None, f"README's `{command}` shows {problem}:\n{done.stdout}{done.stderr}"
            ran += 1
    assert ran >= 6  # validate, apply, plan, show, apply --api v1, plan after the edit
