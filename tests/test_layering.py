"""Architecture rules from DESIGN.md that import-linter (``[tool.importlinter]`` in pyproject.toml, run
by ``lint-imports`` in CI) does not check: that every module has a docstring, that the planner does no
I/O, and that no v1 wire vocabulary (field ids, the pseudo OS ids 159/164) appears above the provider
boundary. The layers between vultr-state's own packages, and which module alone may import each
third-party library (typer, requests, yaml, jsonschema, deepdiff), are import-linter contracts."""

from __future__ import annotations

import ast
import re
from pathlib import Path

import pytest

PACKAGE = Path(__file__).resolve().parents[1] / "vultr_state"

# v1's wire names, and the v1 pseudo OS ids (159 boots an ISO, 164 a snapshot).
V1_VOCABULARY = re.compile(r"\b(SUBID|DCID|VPSPLANID|OSID|SCRIPTID|SSHKEYID|SNAPSHOTID|159|164)\b")
# Where the wire is spoken: each API's provider and emulator face (v2 reports the same pseudo OS ids),
# and the raw `api` command, whose help shows a v1 call as its example.
WIRE_PLACES = ("providers/v1/", "providers/v2/", "emulator/v1/", "emulator/v2/", "cli/api.py")


def _imports(path: Path) -> set[str]:
    tree = ast.parse(path.read_text(encoding="utf-8"))
    names: set[str] = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            names.update(alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
            names.add(node.module)
    return names


SOURCES = sorted(PACKAGE.rglob("*.py"))


@pytest.mark.parametrize("path", SOURCES, ids=lambda p: str(p.relative_to(PACKAGE)))
def test_no_v1_wire_vocabulary_above_the_provider_boundary(path: Path):
    relative = path.relative_to(PACKAGE).as_posix()
    if relative.startswith(WIRE_PLACES):
        return
    found = [
        f"{relative}:{number}: {match.group(0)}"
        for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1)
        for match in V1_VOCABULARY.finditer(line)
    ]
    assert not found, f"v1 wire vocabulary outside providers/v1 and emulator: {found}"


@pytest.mark.parametrize("path", SOURCES, ids=lambda p: str(p.relative_to(PACKAGE)))
def test_every_module_has_a_docstring(path: Path):
    tree = ast.parse(path.read_text(encoding="utf-8"))
    assert ast.get_docstring(tree), f"{path.relative_to(PACKAGE)} has no module docstring"


def test_the_planner_does_no_io():
    forbidden = {
        "requests",
        "socket",
        "subprocess",
        "time",
        "os",
        "vultr_state.providers",
        "vultr_state.http",
    }
    for path in sorted((PACKAGE / "planner").rglob("*.py")):
        bad = {name for name in _imports(path) if name.split(".")[0] in forbidden or name in forbidden}
        assert not bad, f"planner/{path.name} imports {bad}"
