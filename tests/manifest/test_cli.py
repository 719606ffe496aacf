"""``vultr-state validate`` and ``vultr-state schema``: output, stderr and exit codes, through ``main``."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest

from vultr_state.cli import main

QUICKSTART = Path(__file__).parents[2] / "examples" / "quickstart.yaml"


def run(capsys: pytest.CaptureFixture[str], *args: str) -> tuple[int, str, str]:
    with pytest.raises(SystemExit) as exited:
        main(list(args))
    out, err = capsys.readouterr()
    return int(exited.value.code or 0), out, err


def test_validate_valid_manifest(capsys, monkeypatch):
    monkeypatch.delenv("VULTR_API_KEY", raising=False)
    code, out, err = run(capsys, "validate", str(QUICKSTART))
    assert code == 0
    assert out == f"{QUICKSTART}: valid (project quickstart: 1 ssh key, 1 script, 1 server, 0 snapshots)\n"
    assert err == ""


def test_validate_directory_counts_files(capsys, tmp_path):
    (tmp_path / "a.yaml").write_text(
        "project: web\ndefaults: {region: r, plan: p, os: o}\nservers: [{label: a}]\n"
    )
    (tmp_path / "b.yaml").write_text("project: web\nservers: [{label: b}, {label: c}]\n")
    code, out, _ = run(capsys, "validate", str(tmp_path))
    assert code == 0
    assert out == f"{tmp_path}: valid (project web: 0 ssh keys, 0 scripts, 3 servers, 0 snapshots; 2 files)\n"


def test_validate_reports_every_problem_on_stderr(capsys, tmp_path):
    path = tmp_path / "m.yaml"
    path.write_text("project: web\nservers:\n  - lable: a\n    ipv6: maybe\n")
    code, out, err = run(capsys, "validate", str(path))
    assert code == 1
    assert out == ""
    assert err.splitlines() == [
        "Error: manifest has 2 problems:",
        f"  {path}:3:5: servers.0: unknown field 'lable' (did you mean 'label'?)",
        f"  {path}:4:11: servers.0.ipv6: expected true or false, got text 'maybe'",
    ]


def test_validate_missing_path(capsys, tmp_path):
    code, _, err = run(capsys, "validate", str(tmp_path / "nope.yaml"))
    assert code == 1
    assert f"'{tmp_path / 'nope.yaml'}': no such file or directory" in err
    assert "Traceback" not in err


def test_validate_without_path_is_a_usage_error(capsys):
    code, _, err = run(capsys, "validate")
    assert code == 64
    assert "PATH" in err


def test_schema_prints_the_schema(capsys):
    code, out, _ = run(capsys, "schema")
    assert code == 0
    assert json.loads(out)["title"] == "vultr-state manifest"


def test_validate_as_a_subprocess_never_shows_a_traceback(tmp_path):
    path = tmp_path / "bin.yaml"
    path.write_bytes(b"\x89PNG\r\n\x1a\n\x00\x00")
    result = subprocess.run(
        [sys.executable, "-m", "vultr_state", "validate", str(path)],
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert result.returncode == 1
    assert result.stdout == ""
    assert result.stderr.splitlines() == [
        "Error: manifest has 1 problem:",
        f"  {path}:3:1: manifest '{path}' is a binary file (NUL byte); expected UTF-8 text",
    ]
