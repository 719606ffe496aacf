"""The CI recipes (examples/ci/), the pre-commit hook and the command lines in the READMEs use only
commands and options that exist: every ``vultr-state ...`` invocation is extracted and parsed by the real
CLI. Also: the recipes do what the docs say (plan on pull requests with a Markdown comment, apply a saved
plan on main, a scheduled drift check), and the pre-commit hook validates a manifest directory.
"""

from __future__ import annotations

import re
import shlex
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
import yaml
from typer.testing import CliRunner

from tests.docs.commands import check_invocation, command_lines
from tests.docs.conftest import EXAMPLES, README, ROOT
from vultr_state.cli import app

RECIPES = {
    "github": EXAMPLES / "ci" / "github-actions.yml",
    "gitlab": EXAMPLES / "ci" / "gitlab-ci.yml",
}
SHELL_KEYS = {"run", "script", "before_script", "after_script"}
MARKDOWN = [README, EXAMPLES / "adopt" / "README.md"]
_SHELL_BLOCK = re.compile(r"^```(?:sh|shell|bash)\n(.*?)^```", re.DOTALL | re.MULTILINE)


def _shell_texts(node: Any, key: str | None = None) -> Iterator[str]:
    """Every shell snippet of a CI file: the strings under run/script keys."""
    if isinstance(node, dict):
        for name, value in node.items():
            yield from _shell_texts(value, str(name))
    elif isinstance(node, list):
        for item in node:
            yield from _shell_texts(item, key)
    elif isinstance(node, str) and key in SHELL_KEYS:
        yield node


def _recipe_commands(path: Path) -> list[list[str]]:
    document = yaml.safe_load(path.read_text(encoding="utf-8"))
    return [args for text in _shell_texts(document) for args in command_lines(text)]


def _markdown_commands(path: Path) -> list[list[str]]:
    blocks = _SHELL_BLOCK.findall(path.read_text(encoding="utf-8"))
    return [args for block in blocks for args in command_lines(block)]


def test_the_extractor_finds_commands_in_command_position_only():
    text = "pip install vultr-state\nset +e; vultr-state plan infra/ --json > plan.json 2>&1; code=$?\n"
    text += "X=1 vultr-state validate a.yaml b/ \\\n  c.yaml # comment\n"
    assert list(command_lines(text)) == [["plan", "infra/", "--json"], ["validate", "a.yaml", "b/", "c.yaml"]]


def test_the_checker_reports_what_the_cli_would_refuse():
    assert check_invocation(["plan", "infra/", "--detailed-exitcode"]) is None
    assert check_invocation(["emulator", "serve", "--port", "0"]) is None
    assert "no command 'pln'" in check_invocation(["pln", "infra/"])
    assert "--frobnicate" in check_invocation(["plan", "infra/", "--frobnicate"])
    assert "'yaml'" in check_invocation(["plan", "infra/", "--format", "yaml"])
    assert "PATH" in check_invocation(["plan", "--json"])
    assert check_invocation(["--show-completion", "bash"]) is None


@pytest.mark.parametrize("recipe", RECIPES, ids=str)
def test_recipe_commands_exist(recipe):
    commands = _recipe_commands(RECIPES[recipe])
    assert commands, "the recipe runs vultr-state"
    problems = [problem for args in commands if (problem := check_invocation(args))]
    assert problems == []


@pytest.mark.parametrize("recipe", RECIPES, ids=str)
def test_recipe_plans_with_markdown_applies_a_saved_plan_and_checks_drift(recipe):
    commands = [" ".join(args) for args in _recipe_commands(RECIPES[recipe])]
    assert any(c.startswith("validate ") for c in commands)
    assert any(c.startswith("plan ") and "--format markdown" in c for c in commands)
    saved = [re.search(r"--out (\S+)", c) for c in commands if c.startswith("plan ")]
    plan_files = {m.group(1) for m in saved if m}
    assert any(c.startswith("apply ") and c.split()[1] in plan_files for c in commands)
    assert any(c.startswith("plan ") and "--detailed-exitcode" in c and "--format" not in c for c in commands)


def test_github_workflow_triggers_and_permissions():
    workflow = yaml.safe_load(RECIPES["github"].read_text(encoding="utf-8"))
    triggers = workflow[True]  # YAML 1.1 reads the key "on" as true
    assert {"pull_request", "push", "schedule"} <= set(triggers)
    assert workflow["jobs"]["plan"]["permissions"]["pull-requests"] == "write"
    assert "VULTR_API_KEY" in workflow["env"]


@pytest.mark.parametrize("doc", MARKDOWN, ids=lambda p: str(p.relative_to(ROOT)))
def test_documented_command_lines_exist(doc):
    commands = _markdown_commands(doc)
    assert commands
    problems = [problem for args in commands if (problem := check_invocation(args))]
    assert problems == []


def test_pre_commit_hook_runs_validate_offline_on_a_manifest_directory(monkeypatch):
    (hook,) = yaml.safe_load((ROOT / ".pre-commit-hooks.yaml").read_text(encoding="utf-8"))
    entry = shlex.split(hook["entry"])
    assert entry[0] == "vultr-state" and hook["language"] == "python" and hook["pass_filenames"] is False
    args = [*entry[1:], str(EXAMPLES / "web-cluster")]
    assert check_invocation(args) is None
    monkeypatch.delenv("VULTR_API_KEY", raising=False)

    result = CliRunner().invoke(app, args)

    assert result.exit_code == 0, result.output
    assert "valid (project web-staging" in result.output
