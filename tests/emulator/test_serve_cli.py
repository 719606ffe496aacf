"""``vultr-state emulator serve`` as a user meets it, through the real CLI in a subprocess: a busy port,
unusable ``--state`` paths, the access log on stderr, ``-v``, help at 80 columns, the lost-create fault
flag and the v2 account surviving a restart."""

from __future__ import annotations

import os
import signal
import socket
import subprocess
import sys
from collections.abc import Iterator
from contextlib import contextmanager

import pytest
import requests

from tests.emulator.conftest import SSH_ED25519
from vultr_state.emulator import DEFAULT_API_KEY

SERVE = [sys.executable, "-m", "vultr_state", "emulator", "serve"]
BEARER = {"Authorization": f"Bearer {DEFAULT_API_KEY}"}


def run(*args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run([*SERVE, *args], capture_output=True, text=True, timeout=60, check=False)


@contextmanager
def serving(*args: str) -> Iterator[tuple[str, list[str]]]:
    """A running ``emulator serve``; yields its URL and, after the block, fills the stderr lines."""
    process = subprocess.Popen(
        [*SERVE, "--port", "0", "--rate-limit", "0", "--provision-seconds", "0", *args],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )
    lines: list[str] = []
    try:
        url = process.stdout.readline().strip()
        assert url.startswith("http://127.0.0.1:"), process.stderr.read()
        yield url, lines
        process.send_signal(signal.SIGTERM)
        _, err = process.communicate(timeout=15)
        lines.extend(err.splitlines())
        assert process.returncode == 0, err
    finally:
        if process.poll() is None:
            process.kill()
            process.communicate(timeout=15)


def test_busy_port_is_one_line_and_exit_1() -> None:
    with socket.socket() as taken:
        taken.bind(("127.0.0.1", 0))
        taken.listen()
        port = taken.getsockname()[1]
        result = run("--port", str(port))
    assert result.returncode == 1
    assert result.stderr.strip().splitlines() == [
        f"error: cannot listen on 127.0.0.1:{port}: address already in use (try --port 0)"
    ]
    assert "Traceback" not in result.stderr and result.stdout == ""


@pytest.mark.parametrize("kind", ["directory", "missing-parent", "file-as-parent"])
def test_unusable_state_path_is_one_line_and_exit_1(tmp_path, kind: str) -> None:
    plain = tmp_path / "plain.txt"
    plain.write_text("x")
    state = {
        "directory": tmp_path,
        "missing-parent": tmp_path / "no" / "s.db",
        "file-as-parent": plain / "s.db",
    }
    result = run("--port", "0", "--state", str(state[kind]))
    assert result.returncode == 1
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 1 and lines[0].startswith(f"error: cannot use --state {state[kind]}: ")
    assert "Traceback" not in result.stderr


@pytest.mark.skipif(os.geteuid() == 0, reason="root writes read-only files")
def test_read_only_state_file_is_one_line_and_exit_1(tmp_path) -> None:
    state = tmp_path / "state.db"
    with serving("--state", str(state)):
        pass
    state.chmod(0o444)
    result = run("--port", "0", "--state", str(state))
    assert result.returncode == 1 and result.stderr.startswith(f"error: cannot use --state {state}: ")


def test_corrupt_state_file_is_one_line_and_exit_1(tmp_path) -> None:
    state = tmp_path / "state.db"
    state.write_bytes(b"this is not a database" * 100)
    result = run("--port", "0", "--state", str(state))
    assert result.returncode == 1
    assert result.stderr.strip().splitlines() == [
        f"error: cannot use --state {state}: file is not a database"
    ]


def test_access_log_writes_one_line_per_request_without_queries_or_keys() -> None:
    with serving("--access-log", "-v") as (url, lines):
        requests.get(url + "/v1/server/list", params={"api_key": DEFAULT_API_KEY})
        requests.get(url + "/v2/ssh-keys", headers=BEARER, params={"per_page": 5})
        requests.get(url + "/v2/nothing")
    access = [line for line in lines if '"' in line]
    assert access == [
        '127.0.0.1 "GET /v1/server/list" 200',
        '127.0.0.1 "GET /v2/ssh-keys" 200',
        '127.0.0.1 "GET /v2/nothing" 404',
    ]
    assert all(DEFAULT_API_KEY not in line for line in lines)


def test_without_access_log_stderr_stays_empty() -> None:
    with serving() as (url, lines):
        requests.get(url + "/v2/regions")
    assert lines == []


def test_help_fits_80_columns() -> None:
    result = subprocess.run(
        [*SERVE, "--help"], capture_output=True, text=True, timeout=60, env={**os.environ, "COLUMNS": "80"}
    )
    assert result.returncode == 0
    lines = result.stdout.splitlines()
    assert max(len(line) for line in lines) <= 80
    assert "…" not in result.stdout
    for flag in ("--v2-rate-limit", "--fault-hide-lost-creates", "--access-log", "--verbose"):
        assert flag in result.stdout


def test_hide_lost_creates_flag_and_v2_state_across_restarts(tmp_path) -> None:
    state = str(tmp_path / "state.db")
    flags = ("--state", state, "--fault-commit-drop-rate", "1", "--fault-hide-lost-creates", "3600")
    with serving(*flags) as (url, _):
        with pytest.raises(requests.ConnectionError):
            requests.post(url + "/v2/ssh-keys", json={"name": "lost", "ssh_key": SSH_ED25519}, headers=BEARER)
        faults_off = requests.post(url + "/_emulator/faults", data={"seed": 1}, headers=BEARER)
        assert faults_off.json()["commit_drop_rate"] == 0
        assert requests.get(url + "/v2/ssh-keys", headers=BEARER).json()["ssh_keys"] == []
    with serving("--state", state) as (url, _):  # hiding is run-time state: after a restart it is visible
        keys = requests.get(url + "/v2/ssh-keys", headers=BEARER).json()["ssh_keys"]
        assert [key["name"] for key in keys] == ["lost"]
