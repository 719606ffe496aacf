"""Hostile and broken input on the command line: manifests that are huge, deeply nested, binary or not
UTF-8; paths that are empty directories, missing, dangling links or unreadable; a corrupt saved plan; a
garbage API URL. ``validate``, ``plan`` and ``apply`` must each end with exit 1 and one clear error on
stderr (``Error: ...``; a manifest error is the loader's one-line header plus the one problem with its
location), no traceback, no "internal error", nothing on stdout, and no API call.

Most cases run the real entry point (``vultr_state.cli.main``) in process for speed; one case per command
runs it as a subprocess to show the same holds for the installed program.
"""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

from vultr_state.cli import main
from vultr_state.emulator import DEFAULT_API_KEY, Emulator, EmulatorConfig, EmulatorServer

COMMANDS = {
    "validate": ["validate"],
    "plan": ["plan", "--rate-limit", "0"],
    "apply": ["apply", "--auto-approve", "--rate-limit", "0"],
}
VALID = "project: bad-input\nssh_keys: []\n"


def _huge(tmp: Path) -> Path:
    path = tmp / "huge.yaml"
    with path.open("w") as handle:
        handle.write(VALID)
        handle.write("# padding line of a manifest that is far too large\n" * 120_000)  # ~6 MB
    return path


def _nested(tmp: Path) -> Path:
    path = tmp / "nested.yaml"
    path.write_text("project: bad-input\nservers:\n  - label: x\n    tag: " + "[" * 5000 + "]" * 5000 + "\n")
    return path


def _binary(tmp: Path) -> Path:
    path = tmp / "binary.yaml"
    path.write_bytes(bytes(range(256)) * 64)
    return path


def _latin1(tmp: Path) -> Path:
    path = tmp / "latin1.yaml"
    path.write_bytes("project: caf\u00e9\nservers: []\n".encode("latin-1"))
    return path


def _empty_dir(tmp: Path) -> Path:
    path = tmp / "empty"
    path.mkdir()
    (path / "notes.txt").write_text("no manifest here\n")
    return path


def _missing(tmp: Path) -> Path:
    return tmp / "missing.yaml"


def _dangling_link(tmp: Path) -> Path:
    path = tmp / "link.yaml"
    path.symlink_to(tmp / "nowhere.yaml")
    return path


def _unreadable(tmp: Path) -> Path:
    if os.geteuid() == 0:
        pytest.skip("root reads every file")
    path = tmp / "unreadable.yaml"
    path.write_text(VALID)
    path.chmod(0)
    return path


MANIFESTS = {
    "huge": _huge,
    "deeply-nested": _nested,
    "binary": _binary,
    "not-utf8": _latin1,
    "directory-without-manifests": _empty_dir,
    "missing": _missing,
    "dangling-link": _dangling_link,
    "unreadable": _unreadable,
}


@pytest.fixture(scope="module")
def served():
    """An emulator on a real port that the commands would reach if they got that far."""
    emulator = Emulator(EmulatorConfig(rate_limit=0))
    with EmulatorServer(emulator) as server:
        yield emulator, server.url
    emulator.close()


@pytest.fixture
def api(served, monkeypatch):
    emulator, url = served
    emulator.reset()
    monkeypatch.setenv("VULTR_API_URL", url)
    monkeypatch.setenv("VULTR_API_KEY", DEFAULT_API_KEY)
    monkeypatch.setenv("NO_COLOR", "1")
    return emulator


def _run(capsys, argv: list[str]) -> tuple[int, str, str]:
    with pytest.raises(SystemExit) as exited:
        main(argv)
    out, err = capsys.readouterr()
    return exited.value.code, out, err


def _assert_one_clear_error(code: int, out: str, err: str, *expected: str) -> None:
    """Exit 1 and one error on stderr: a single ``Error:`` line, or for a manifest the loader's header
    ``Error: manifest has 1 problem:`` followed by that one problem on an indented line."""
    assert code == 1, (out, err)
    lines = err.strip().splitlines()
    assert lines[0].startswith("Error: "), err
    if len(lines) > 1:
        assert lines[0] == "Error: manifest has 1 problem:" and len(lines) == 2, err
        assert lines[1].startswith("  ") and lines[1].strip(), err
    assert "Traceback" not in err and "Internal error" not in err
    assert all(word in err.lower() for word in expected), err
    assert out == ""


@pytest.mark.parametrize("command", sorted(COMMANDS))
@pytest.mark.parametrize("case", sorted(MANIFESTS))
def test_bad_manifest_ends_in_one_clear_error(api, capsys, tmp_path, command, case):
    path = MANIFESTS[case](tmp_path)
    _assert_one_clear_error(*_run(capsys, [*COMMANDS[command], str(path)]))
    assert sum(api.call_counts.values()) == 0


@pytest.mark.parametrize(
    "content",
    ["{not json", '{"format": "vultr-state-plan", "version": 99}', "[]", "\x00\x01binary", ""],
    ids=["truncated", "wrong-version", "wrong-shape", "binary", "empty"],
)
def test_corrupt_saved_plan_is_refused(api, capsys, tmp_path, content):
    (tmp_path / "manifest.yaml").write_text(VALID)
    saved = tmp_path / "saved.plan.json"
    saved.write_text(content, encoding="utf-8", errors="surrogateescape")
    _assert_one_clear_error(*_run(capsys, [*COMMANDS["apply"], str(saved)]), "plan")
    assert sum(api.call_counts.values()) == 0


@pytest.mark.parametrize(
    "url", ["not a url", "ftp://example.com", "http://", "https://host:99999/", "http://10.0.0.1"]
)
@pytest.mark.parametrize("command", ["plan", "apply"])
def test_garbage_api_url_is_refused(api, capsys, monkeypatch, tmp_path, url, command):
    manifest = tmp_path / "manifest.yaml"
    manifest.write_text(VALID)
    monkeypatch.setenv("VULTR_API_URL", url)
    _assert_one_clear_error(*_run(capsys, [*COMMANDS[command], str(manifest)]), "api url")
    assert sum(api.call_counts.values()) == 0


@pytest.mark.parametrize("command", sorted(COMMANDS))
def test_the_installed_program_behaves_the_same(tmp_path, command):
    binary = _binary(tmp_path)
    env = {k: v for k, v in os.environ.items() if not k.startswith("VULTR_")}
    env.update(VULTR_API_URL="http://127.0.0.1:9", VULTR_API_KEY=DEFAULT_API_KEY, NO_COLOR="1")
    done = subprocess.run(
        [sys.executable, "-m", "vultr_state", *COMMANDS[command], str(binary)],
        cwd=tmp_path,
        env=env,
        stdin=subprocess.DEVNULL,
        capture_output=True,
        text=True,
        timeout=60,
    )
    _assert_one_clear_error(done.returncode, done.stdout, done.stderr)
