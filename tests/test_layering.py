"""Architecture rules from DESIGN.md, enforced on the source: which modules may import which
third-party libraries, and the emulator's independence from the product it emulates for."""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

PACKAGE = Path(__file__).resolve().parents[1] / "vultr_state"

# library -> the only places allowed to import it (module path prefixes, relative to the package)
ALLOWED_IMPORTERS = {
    "typer": ("cli/",),
    "requests": ("http/transport.py", "emulator/core/adapter.py"),
    "yaml": ("manifest/",),
    "jsonschema": ("manifest/",),
    "deepdiff": ("diffing.py",),
}

# The emulator mirrors the wire; it must not share code with the product it is a test double for.
EMULATOR_FORBIDDEN = (
    "vultr_state.client",
    "vultr_state.planner",
    "vultr_state.resources",
    "vultr_state.manifest",
    "vultr_state.live",
    "vultr_state.executor",
    "vultr_state.model",
    "vultr_state.registry",
)


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
def test_third_party_libraries_stay_behind_their_boundary(path: Path):
    relative = path.relative_to(PACKAGE).as_posix()
    for imported in _imports(path):
        library = imported.split(".")[0]
        allowed = ALLOWED_IMPORTERS.get(library)
        if allowed is not None:
            assert relative.startswith(allowed), f"{relative} imports {library}; only {allowed} may"


@pytest.mark.parametrize(
    "path", sorted((PACKAGE / "emulator").rglob("*.py")), ids=lambda p: str(p.relative_to(PACKAGE))
)
def test_emulator_shares_no_code_with_the_product(path: Path):
    for imported in _imports(path):
        assert not imported.startswith(EMULATOR_FORBIDDEN), f"{path.name} imports {imported}"


@pytest.mark.parametrize("path", SOURCES, ids=lambda p: str(p.relative_to(PACKAGE)))
def test_every_module_has_a_docstring(path: Path):
    tree = ast.parse(path.read_text(encoding="utf-8"))
    assert ast.get_docstring(tree), f"{path.relative_to(PACKAGE)} has no module docstring"


def test_the_planner_does_no_io():
    forbidden = {"requests", "socket", "subprocess", "time", "os", "vultr_state.client"}
    for path in sorted((PACKAGE / "planner").rglob("*.py")):
        bad = {name for name in _imports(path) if name.split(".")[0] in forbidden or name in forbidden}
        assert not bad, f"planner/{path.name} imports {bad}"
