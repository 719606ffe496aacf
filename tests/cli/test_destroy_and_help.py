"""`destroy` speaks of destroying and leaves no empty registry behind; `--emulator` keeps its state out
of git; help shows no value type after a flag. All on the real CLI (the emulator served over HTTP, or
`--emulator` in a scratch directory)."""

from __future__ import annotations

import pytest
import typer.main
from typer.testing import CliRunner

from cli.test_plan import FAST, MANIFEST, converge
from vultr_state.cli import app
from vultr_state.registry import is_registry_script


def _registry_scripts(client) -> list[str]:
    return [s["name"] for s in client.startupscript_list().values() if is_registry_script(s["name"])]


def test_destroy_refusals_speak_of_destroying(cli, api_env, client, tmp_path):
    manifest = tmp_path / "web.yaml"
    manifest.write_text(MANIFEST.replace("label: web-1\n", "label: web-1\n    protect: true\n"))
    converge(client, manifest)
    result = cli("destroy", str(manifest), "--allow-destroy", "--auto-approve", *FAST)
    assert result.code == 1
    assert "Refused (1): destroy will not run this plan as it stands.\n" in result.out
    assert "server 'web-1' is protected: refusing to destroy it; to release it, give" in result.out
    assert "the plan has 1 refused change(s); nothing was destroyed:" in result.err
    said = [line for line in (result.out + result.err).splitlines() if "web-1" in line]
    assert said and not any("prun" in line for line in said)


def test_destroy_removes_the_projects_own_empty_registry(cli, api_env, client, tmp_path):
    manifest = tmp_path / "web.yaml"
    manifest.write_text(MANIFEST)
    converge(client, manifest)
    client.startupscript_create("vultr-state:other", '{"other": "project"}')  # not ours: left alone
    assert "vultr-state:web" in _registry_scripts(client)
    result = cli("destroy", str(manifest), "--allow-destroy", "--auto-approve", *FAST)
    assert result.code == 0, result.err
    assert _registry_scripts(client) == ["vultr-state:other"]
    assert client.server_list() == {} and client.sshkey_list() == {}
    again = cli("plan", str(manifest), *FAST)
    assert again.out.startswith('vultr-state plan for project "web" (0 owned objects)\n')


def test_emulator_state_is_git_ignored(cli, tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    (tmp_path / "web.yaml").write_text(MANIFEST)
    assert cli("plan", "web.yaml", "--emulator").code == 0
    ignore = tmp_path / ".vultr-state" / ".gitignore"
    assert ignore.read_text().splitlines()[-1] == "*"
    ignore.write_text("# mine\n")
    cli("plan", "web.yaml", "--emulator")
    assert ignore.read_text() == "# mine\n"  # a user's own file is kept


def _commands() -> list[list[str]]:
    root = typer.main.get_command(app)
    with root.make_context("vultr-state", [], resilient_parsing=True) as ctx:
        names = root.list_commands(ctx)
    return [[], *([name] for name in names), ["emulator", "serve"]]


@pytest.mark.parametrize("command", _commands(), ids=lambda c: " ".join(c) or "root")
def test_flags_show_no_value_type_in_help(command):
    result = CliRunner().invoke(app, [*command, "--help"], env={"COLUMNS": "200"})
    assert result.exit_code == 0, result.output
    assert "--help" in result.output
    assert "<bool>" not in result.output
