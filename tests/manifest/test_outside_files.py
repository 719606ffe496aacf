"""Body files stay inside the manifest's tree, on the real CLI (``python -m vultr_state`` as a subprocess).

``script_file`` and ``public_key_file`` resolve from the directory of the manifest file naming them and
may not leave it: an absolute path, a ``..`` climb or a symbolic link leading out is a located manifest
error, found by ``validate`` offline and by ``plan`` before any API call. ``--allow-outside-files``
lifts the rule.
"""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

from vultr_state.emulator import Emulator, EmulatorConfig, EmulatorServer

KEY = "OUTSIDE-FILES-TEST-KEY"
SCRIPT = "#!/bin/sh\necho secret-body\n"


def cli(*args: str, cwd: Path, env: dict[str, str] | None = None) -> subprocess.CompletedProcess[str]:
    environ = {k: v for k, v in os.environ.items() if not k.startswith("VULTR_")}
    environ.update(env or {})
    return subprocess.run(
        [sys.executable, "-m", "vultr_state", *args],
        cwd=cwd,
        env=environ,
        capture_output=True,
        text=True,
        timeout=60,
    )


@pytest.fixture
def tree(tmp_path: Path) -> tuple[Path, Path]:
    """``project/`` (where manifests go, with ``scripts/ok.sh``) and ``outside/secret.sh`` beside it."""
    project, outside = tmp_path / "project", tmp_path / "outside"
    (project / "scripts").mkdir(parents=True)
    outside.mkdir()
    (project / "scripts" / "ok.sh").write_text(SCRIPT)
    (outside / "secret.sh").write_text(SCRIPT)
    return project, outside


def manifest(project: Path, script_file: str) -> Path:
    path = project / "m.yaml"
    path.write_text(f"project: web\nstartup_scripts:\n  - name: boot\n    script_file: '{script_file}'\n")
    return path


def refusal(script_file: str, how: str) -> str:
    return (
        f"  m.yaml:4:18: startup_scripts.0.script_file: '{script_file}' points outside the manifest "
        f"directory ({how}; --allow-outside-files allows outside files)"
    )


def test_absolute_path_is_refused(tree):
    project, outside = tree
    manifest(project, str(outside / "secret.sh"))
    result = cli("validate", "m.yaml", cwd=project)
    assert result.returncode == 1 and result.stdout == ""
    assert result.stderr.splitlines() == [
        "Error: manifest has 1 problem:",
        refusal(str(outside / "secret.sh"), "an absolute path: give it relative to the manifest file"),
    ]


def test_dot_dot_escape_is_refused_but_dots_that_stay_inside_are_fine(tree):
    project, _ = tree
    manifest(project, "../outside/secret.sh")
    result = cli("validate", "m.yaml", cwd=project)
    assert result.returncode == 1
    assert result.stderr.splitlines()[1:] == [refusal("../outside/secret.sh", "'..' climbs out of it")]
    manifest(project, "scripts/../scripts/ok.sh")
    assert cli("validate", "m.yaml", cwd=project).returncode == 0


def test_symlinked_file_leading_out_is_refused(tree):
    project, outside = tree
    (project / "scripts" / "link.sh").symlink_to(outside / "secret.sh")
    manifest(project, "scripts/link.sh")
    result = cli("validate", "m.yaml", cwd=project)
    assert result.returncode == 1
    assert result.stderr.splitlines()[1:] == [
        refusal("scripts/link.sh", "the symbolic link 'scripts/link.sh' leads out of it")
    ]


def test_symlinked_directory_leading_out_is_refused(tree):
    project, outside = tree
    (project / "shared").symlink_to(outside, target_is_directory=True)
    manifest(project, "shared/secret.sh")
    result = cli("validate", "m.yaml", cwd=project)
    assert result.returncode == 1
    assert result.stderr.splitlines()[1:] == [
        refusal("shared/secret.sh", "the symbolic link 'shared' leads out of it")
    ]


def test_symlink_that_stays_inside_is_fine(tree):
    project, _ = tree
    (project / "current.sh").symlink_to(project / "scripts" / "ok.sh")
    manifest(project, "current.sh")
    result = cli("validate", "m.yaml", cwd=project)
    assert result.returncode == 0, result.stderr


def test_paths_resolve_from_the_manifest_file_not_the_working_directory(tree, tmp_path):
    project, _ = tree
    manifest(project, "scripts/ok.sh")
    assert cli("validate", str(project / "m.yaml"), cwd=tmp_path).returncode == 0
    manifest(project, "project/scripts/ok.sh")  # right from tmp_path, wrong from the manifest
    result = cli("validate", str(project / "m.yaml"), cwd=tmp_path)
    assert result.returncode == 1 and "no such file or directory" in result.stderr


def test_a_public_key_file_outside_is_refused_too(tree, public_key):
    project, outside = tree
    (outside / "k.pub").write_text(public_key + "\n")
    text = "project: web\nssh_keys:\n  - name: k\n    public_key_file: ../outside/k.pub\n"
    (project / "m.yaml").write_text(text)
    result = cli("validate", "m.yaml", cwd=project)
    assert result.returncode == 1
    assert "m.yaml:4:22: ssh_keys.0.public_key_file: '../outside/k.pub' points outside" in result.stderr


def test_the_flag_allows_outside_files(tree):
    project, outside = tree
    (project / "shared").symlink_to(outside, target_is_directory=True)
    path = project / "m.yaml"
    path.write_text(
        "project: web\nstartup_scripts:\n"
        f"  - name: a\n    script_file: '{outside / 'secret.sh'}'\n"
        "  - name: b\n    script_file: ../outside/secret.sh\n"
        "  - name: c\n    script_file: shared/secret.sh\n"
    )
    assert cli("validate", "m.yaml", cwd=project).returncode == 1
    result = cli("validate", "--allow-outside-files", "m.yaml", cwd=project)
    assert result.returncode == 0, result.stderr
    assert "3 scripts" in result.stdout


def test_plan_refuses_before_any_api_call_and_the_body_never_shows(tree):
    project, _ = tree
    manifest(project, "../outside/secret.sh")
    with EmulatorServer(config=EmulatorConfig(api_keys=(KEY,), rate_limit=0)) as server:
        result = cli("plan", "m.yaml", "--api-url", server.url, cwd=project, env={"VULTR_API_KEY": KEY})
        calls = dict(server.emulator.call_counts)
    assert result.returncode == 1 and result.stdout == ""
    assert "'../outside/secret.sh' points outside the manifest directory" in result.stderr
    assert calls == {}
    assert "secret-body" not in result.stderr


@pytest.mark.parametrize("command", ["plan", "apply"])
def test_plan_and_apply_accept_the_flag(tree, command):
    project, _ = tree
    manifest(project, "../outside/secret.sh")
    with EmulatorServer(Emulator(EmulatorConfig(api_keys=(KEY,), rate_limit=0))) as server:
        args = [command, "m.yaml", "--allow-outside-files", "--api-url", server.url]
        if command == "apply":
            args.append("--auto-approve")
        result = cli(*args, cwd=project, env={"VULTR_API_KEY": KEY})
    assert result.returncode == 0, result.stderr
    assert "startup_script.boot" in result.stdout
    assert "secret-body" not in result.stdout + result.stderr
