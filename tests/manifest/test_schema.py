"""The shipped manifest schema: valid Draft 2020-12, documented everywhere, strict where typos hide,
and every single-file example manifest passes it and the whole loader."""

from __future__ import annotations

import json
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from jsonschema import Draft202012Validator

from vultr_state.manifest import load_manifest, schema_text

ROOT = Path(__file__).parents[2]
# Single-file examples; directory examples (one manifest in several files) are checked by tests/docs.
EXAMPLES = sorted((ROOT / "examples").glob("*.y*ml"))


@pytest.fixture(scope="module")
def schema() -> dict[str, Any]:
    return json.loads(schema_text())


def _objects(node: Any, where: str = "#") -> Iterator[tuple[str, dict[str, Any]]]:
    if isinstance(node, dict):
        yield where, node
        for key, value in node.items():
            yield from _objects(value, f"{where}/{key}")
    elif isinstance(node, list):
        for index, value in enumerate(node):
            yield from _objects(value, f"{where}/{index}")


def test_schema_is_valid_draft_2020_12(schema):
    Draft202012Validator.check_schema(schema)
    assert schema["$schema"] == "https://json-schema.org/draft/2020-12/schema"
    assert schema["$id"] and schema["title"] and schema["description"]


def test_packaged_schema_is_the_top_level_schemas_file(schema):
    assert json.loads((ROOT / "schemas" / "manifest.schema.json").read_text()) == schema


def test_every_property_has_a_description(schema):
    undocumented = [
        f"{where}/{name}"
        for where, node in _objects(schema)
        for name, prop in node.get("properties", {}).items()
        if not prop.get("description")
    ]
    assert undocumented == []


def test_every_object_refuses_unknown_fields(schema):
    lax = [
        where
        for where, node in _objects(schema)
        if node.get("type") == "object" and node.get("additionalProperties") is not False
    ]
    assert lax == []


def test_enums_for_state_power_and_script_type(schema):
    defs = schema["$defs"]
    assert defs["state"]["enum"] == ["present", "absent"]
    assert defs["power"]["enum"] == ["running", "stopped"]
    assert defs["startup_script"]["properties"]["type"]["enum"] == ["boot", "pxe"]


def test_examples_exist_and_start_with_the_schema_comment():
    assert ROOT / "examples" / "quickstart.yaml" in EXAMPLES
    for example in EXAMPLES:
        first = example.read_text().splitlines()[0]
        assert first.startswith("# yaml-language-server: $schema="), example
        target = (example.parent / first.split("$schema=", 1)[1]).resolve()
        assert target == (ROOT / "schemas" / "manifest.schema.json").resolve(), example


@pytest.mark.parametrize("example", EXAMPLES, ids=lambda p: str(p.relative_to(ROOT)))
def test_every_example_validates(example: Path):
    desired = load_manifest([example], env={})
    assert desired.sources == (str(example),)
