"""The loader's fast paths agree with the exact ones they stand in for.

libyaml (C) reading must give the same values as PyYAML's pure-Python reader whenever it is trusted,
with the same marks for everything but empty values; a manifest loaded that way must equal the
reference load, locations included, and any problem must come from the reference load. The compiled
schema check must say "valid" exactly when jsonschema finds no error. Checked on every shipped
example and corpus file, on mutated manifests and on arbitrary YAML text.
"""

from __future__ import annotations

import copy
import json
import math
import re
import shutil
from pathlib import Path
from typing import Any

import pytest
import yaml
from hypothesis import given, settings
from hypothesis import strategies as st
from jsonschema import Draft202012Validator

from vultr_state.errors import ManifestError
from vultr_state.manifest import load, load_manifest, schema_text
from vultr_state.manifest import yaml_readers as readers
from vultr_state.manifest import yaml_source as source
from vultr_state.manifest.schema_fast import compile_check
from vultr_state.manifest.yaml_readers import MAX_DEPTH

ROOT = Path(__file__).parents[2]
FILES = sorted((ROOT / "examples").rglob("*.y*ml")) + sorted((ROOT / "tests/manifest/corpus").rglob("*.y*ml"))
SCHEMA = json.loads(schema_text())
VALIDATOR = Draft202012Validator(SCHEMA)
IS_VALID = compile_check(SCHEMA)
SETTINGS = settings(max_examples=120, deadline=None)


def _valid_documents() -> list[Any]:
    documents = []
    for path in FILES:
        document, issues = source._parse_pure(path.read_text(encoding="utf-8"), str(path))
        if document is not None and not issues and VALIDATOR.is_valid(document.data):
            documents.append(document.data)
    return documents


VALID = _valid_documents()


def _value(data: Any, path: tuple[str | int, ...]) -> Any:
    for step in path:
        data = data[step]
    return data


def _reading(result: tuple[source.SourceDocument | None, list[Any]]) -> Any:
    """A comparable form of ``parse_document``'s result: values, every location, issues."""
    document, issues = result
    if document is None:
        return None, issues
    marks = {path: document.locate(path) for path in document.marks}
    keys = {path: document.locate(path, key=True) for path in document.key_marks}
    return repr(document.data), marks, keys, issues


def _assert_same_reading(text: str) -> bool:
    """When the libyaml path accepts ``text``, the pure path reads it identically; True if it did.

    Where an empty value (``key:`` with nothing after it) starts is the one thing the two readers
    place differently; ``manifest.load`` never reports a problem at a mark of the libyaml reading.
    """
    fast = source._parse_fast(text, "m.yaml")
    if fast is None:
        return False
    pure, issues = source._parse_pure(text, "m.yaml")
    assert pure is not None and issues == []
    assert repr(fast.data) == repr(pure.data)  # repr tells 1, 1.0 and True apart
    assert set(fast.marks) == set(pure.marks) and set(fast.key_marks) == set(pure.key_marks)
    for path in fast.marks:
        if _value(fast.data, path) is not None:
            assert fast.locate(path) == pure.locate(path), path
    for path in fast.key_marks:
        assert fast.locate(path, key=True) == pure.locate(path, key=True), path
    return True


def test_every_valid_example_takes_the_libyaml_path():
    examples = [path for path in FILES if path.is_relative_to(ROOT / "examples") and "ci" not in path.parts]
    assert examples
    for path in examples:
        assert _assert_same_reading(path.read_text(encoding="utf-8")), path


@pytest.mark.parametrize("path", FILES, ids=lambda p: str(p.relative_to(ROOT)))
def test_corpus_and_examples_read_the_same_both_ways(path: Path):
    text = path.read_bytes().decode("utf-8", errors="replace")
    _assert_same_reading(text)
    result = source.parse_document(text, "m.yaml", fast=True)
    if result[1] or result[0] is None:  # a problem: worded and located by PyYAML alone
        assert _reading(result) == _reading(source._parse_pure(text, "m.yaml"))


@pytest.mark.parametrize(
    "text",
    ["project: web\t\n", "\n\ufeffproject: web", "project: >#\n", "x: [a?b]\n", "{a?b: 1}\n", "project: !\n"],
    ids=["trailing-tab", "inner-bom", "block-header-comment", "flow-question", "flow-key-question", "tag"],
)
def test_texts_the_readers_disagree_on_are_left_to_pyyaml(text: str):
    """Found by differential fuzzing: libyaml accepts these (or reads them differently), PyYAML not."""
    assert source._parse_fast(text, "m.yaml") is None
    assert _reading(source.parse_document(text, "m.yaml", fast=True)) == _reading(
        source._parse_pure(text, "m.yaml")
    )


# The screening rules as single regular expressions (how they were first written): the substring
# searches that stand in for them must answer the same.
_DIVERGENT_RULE = re.compile(r"[\t\ufeff]|[|>][-+0-9]*#")
_C_UNSAFE_RULE = re.compile(r"(?:^|[\s,\[{:])!|\?")


@SETTINGS
@given(st.lists(st.sampled_from(["a", " ", "\t", "\n", "!", "?", "|", ">", "#", "-", "+", "1", ":", ",", "[",
                                 "{", "\ufeff", "\u00a0", "\u2028", "x: y"]), max_size=12))  # fmt: skip
def test_the_screening_searches_answer_as_their_rules(parts: list[str]):
    text = "".join(parts)
    assert readers._diverges(text) == bool(_DIVERGENT_RULE.search(text))
    assert readers._c_unsafe(text) == bool(_C_UNSAFE_RULE.search(text))


def test_problems_are_always_worded_by_the_pure_reader():
    text = "project: web\nproject: app\nservers: [\n"
    assert source._parse_fast(text, "m.yaml") is None
    assert _reading(source.parse_document(text, "m.yaml", fast=True)) == _reading(
        source._parse_pure(text, "m.yaml")
    )
    duplicate = "project: web\nproject: app\n"
    document, issues = source.parse_document(duplicate, "m.yaml", fast=True)
    assert document is not None and document.data == {"project": "web"}
    assert [str(issue) for issue in issues] == [
        "m.yaml:2:1: project: duplicate key 'project' (first given at m.yaml:1:1)"
    ]


def test_libyaml_composes_texts_without_tags_or_question_marks():
    """libyaml's own composer reads them (no Python work per node); a ``!`` inside a value is no tag."""
    text = 'project: web\nstartup_scripts:\n  - name: boot\n    script: "#!/bin/sh\\necho hi!"\n'
    assert isinstance(readers.fast_reader(text, "m.yaml"), yaml.CSafeLoader)
    assert _assert_same_reading(text)
    for other in ("project: !!str web\n", "x: [a, !!str b]\n", "project: web?\n"):
        assert isinstance(readers.fast_reader(other, "m.yaml"), readers._FastReader), other


@pytest.mark.parametrize("depth", [MAX_DEPTH - 1, MAX_DEPTH, MAX_DEPTH + 1, 999, 1_001, 5_000])
@pytest.mark.parametrize("shape", ["flow", "block"])
def test_deep_texts_through_libyaml_read_as_by_pyyaml(shape: str, depth: int):
    """libyaml's composer recurses in C: its scanner stops deep nesting, the value builder the rest."""
    text = "[" * depth + "]" * depth + "\n" if shape == "flow" else "- " * depth + "x\n"
    assert isinstance(readers.fast_reader(text, "m.yaml"), yaml.CSafeLoader)
    result = source.parse_document(text, "m.yaml", fast=True)
    assert _reading(result) == _reading(source._parse_pure(text, "m.yaml"))
    if depth + (shape == "block") > MAX_DEPTH:  # the block shape's innermost "x" is one level more
        assert result[0] is None and [issue.message for issue in result[1]] == [
            f"nested more than {MAX_DEPTH} levels deep"
        ]
    else:
        assert result[0] is not None and result[1] == []
        assert source._parse_fast(text, "m.yaml") is not None


scalars = st.one_of(
    st.none(),
    st.booleans(),
    st.integers(min_value=-(10**4), max_value=10**4),
    st.sampled_from([0.5, 1.0, -0.0, math.inf, math.nan, 1e300]),
    st.sampled_from(
        ["", "web", "present", "absent", "pxe", "running", "1", "x" * 300, "-bad", "2001:db8::1"]
    ),
    st.text(max_size=8),
)
structures = st.recursive(
    scalars,
    lambda children: st.one_of(
        st.lists(children, max_size=3), st.dictionaries(st.text(max_size=6), children, max_size=3)
    ),
    max_leaves=12,
)


@SETTINGS
@given(document=structures, flow=st.sampled_from([None, True, False]), width=st.sampled_from([20, 80]))
def test_dumped_structures_read_the_same_both_ways(document: Any, flow: bool | None, width: int):
    text = yaml.safe_dump({"project": document}, default_flow_style=flow, width=width, allow_unicode=True)
    assert _assert_same_reading(text)


FRAGMENTS = [
    "project: web\n", "servers:\n", "  - label: a\n", "    ", "- ", ": ", "&a ", "*a ", "<<: ", "!!str ",
    "[", "]", "{", "}", ",", "'", '"', "#", "\n", "\t", "---\n", "? ", "|\n", ">-\n", "\\", "%YAML 1.1\n",
]  # fmt: skip


@SETTINGS
@given(parts=st.lists(st.one_of(st.sampled_from(FRAGMENTS), st.text(max_size=6)), max_size=25))
def test_arbitrary_text_reads_the_same_when_libyaml_accepts_it(parts: list[str]):
    _assert_same_reading("".join(parts))


def _slots(node: Any) -> list[tuple[Any, Any]]:
    """Every (container, key or index) pair inside ``node``."""
    found = []
    if isinstance(node, dict):
        for key, value in node.items():
            found.append((node, key))
            found += _slots(value)
    elif isinstance(node, list):
        for index, value in enumerate(node):
            found.append((node, index))
            found += _slots(value)
    return found


@st.composite
def mutated_manifests(draw: st.DrawFn) -> Any:
    """A valid example with up to three random edits: replaced values, removed or added fields."""
    document = copy.deepcopy(draw(st.sampled_from(VALID)))
    for _ in range(draw(st.integers(min_value=0, max_value=3))):
        slots = _slots(document)
        if not slots:
            break
        container, key = draw(st.sampled_from(slots))
        action = draw(st.sampled_from(["replace", "replace", "delete", "add"]))
        if action == "replace":
            container[key] = draw(structures)
        elif action == "delete":
            del container[key]
        elif isinstance(container, dict):
            container[draw(st.sampled_from(["lable", "label", "region", "ipv6", "x", "state"]))] = draw(
                scalars
            )
        else:
            container.append(draw(structures))
    return document


@SETTINGS
@given(document=st.one_of(mutated_manifests(), structures))
def test_compiled_check_agrees_with_jsonschema(document: Any):
    assert IS_VALID(document) is VALIDATOR.is_valid(document)


def test_compiled_check_agrees_on_every_example_and_corpus_file():
    checked = 0
    for path in FILES:
        document, _ = source._parse_pure(path.read_bytes().decode("utf-8", errors="replace"), str(path))
        if document is not None:
            assert IS_VALID(document.data) is VALIDATOR.is_valid(document.data), path
            checked += 1
    assert VALID and checked > len(VALID)


@pytest.mark.parametrize(
    ("schema", "instance"),
    [
        ({"uniqueItems": True}, [1, True]),
        ({"uniqueItems": True}, [1, 1.0]),
        ({"uniqueItems": True}, [[1], [1]]),
        ({"uniqueItems": True}, [{"a": [1]}, {"a": [True]}]),
        ({"uniqueItems": True}, [None, False, 0, ""]),
        ({"type": "integer"}, 1.0),
        ({"type": "integer"}, True),
        ({"type": "number"}, False),
        ({"type": ["string", "integer"]}, 2.5),
        ({"minimum": 1}, math.nan),
        ({"maximum": 1}, True),
        ({"minLength": 2}, 5),
        ({"maxLength": 1}, "é"),
        ({"pattern": "^a"}, "ba"),
        ({"pattern": "b"}, "ab"),
        ({"enum": ["a"]}, ["a"]),
        ({"required": ["a"], "properties": {"a": {"type": "null"}}}, {"a": None}),
        ({"properties": {"a": {"type": "string"}}, "additionalProperties": False}, {"a": "x", "b": 1}),
        ({"items": {"$ref": "#/$defs/n"}, "$defs": {"n": {"type": "integer"}}}, [1, "2"]),
        ({"patternProperties": {"^x-": {}}, "additionalProperties": False}, {"x-a": 1, "xb": 2}),
        ({"patternProperties": {"^x-": {}}, "additionalProperties": False}, {"x-a": [1], "y-x-": 2}),
        ({"patternProperties": {"^x-": {"type": "string"}}}, {"x-a": 1}),
        ({"patternProperties": {"x": {"type": "string"}}, "properties": {"ax": {}}}, {"ax": 1}),
    ],
)
def test_keyword_semantics_match_jsonschema(schema: dict[str, Any], instance: Any):
    assert compile_check(schema)(instance) is Draft202012Validator(schema).is_valid(instance)


def test_recursive_references_compile():
    schema = {"$ref": "#/$defs/tree", "$defs": {"tree": {"type": "array", "items": {"$ref": "#/$defs/tree"}}}}
    check = compile_check(schema)
    assert check([[], [[]]]) is True
    assert check([[], [1]]) is False


@pytest.mark.parametrize(
    "schema",
    [
        {"oneOf": [{"type": "string"}]},
        {"$ref": "other.json#/x"},
        {"$ref": "#/$defs/missing"},
        {"additionalProperties": {"type": "string"}},
        {"type": "decimal"},
        {"enum": [1, 2]},
        {"format": "ipv4"},
    ],
)
def test_unsupported_keywords_refuse_to_compile(schema: dict[str, Any]):
    with pytest.raises(ValueError, match=r"unsupported|only"):
        compile_check(schema)


def _outcome(path: Path, *, fast: bool) -> Any:
    """The messages of a failed load, or the loaded Desired with every entry's location."""
    try:
        desired = load._load([path], {"X": "x"}, fast=fast)
    except ManifestError as error:
        return [str(issue) for issue in error.issues]
    entries = (*desired.ssh_keys, *desired.startup_scripts, *desired.servers, *desired.snapshots)
    return desired, [entry.location for entry in entries]


@pytest.fixture(scope="module")
def workspace(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A directory holding the example key and script files, for manifests that name them."""
    directory = tmp_path_factory.mktemp("fast")
    for sub in ("keys", "scripts"):
        shutil.copytree(ROOT / "examples" / sub, directory / sub)
    return directory


@SETTINGS
@given(document=mutated_manifests(), flow=st.sampled_from([None, True, False]))
def test_a_fast_load_equals_the_reference_load(workspace: Path, document: Any, flow: bool | None):
    path = workspace / "m.yaml"
    path.write_text(yaml.safe_dump(document, default_flow_style=flow, allow_unicode=True), encoding="utf-8")
    fast = _outcome(path, fast=True)
    if not isinstance(fast, list):
        assert fast == _outcome(path, fast=False)


@pytest.mark.parametrize(
    "text",
    [
        "project: web\t\n",  # libyaml accepts a trailing tab, PyYAML does not
        "project: web\nservers:\n  - label: a\n    region:\n",
        "project: web\n? ''",  # the two readers place this empty value differently
        "project: web\nservers: [{label: a, region: 1, plan: 2, os: 3}]\nservers: []\n",
    ],
)
def test_load_manifest_reports_what_the_reference_load_reports(workspace: Path, text: str):
    path = workspace / "broken.yaml"
    path.write_text(text, encoding="utf-8")
    with pytest.raises(ManifestError) as caught:
        load_manifest([path], env={})
    assert [str(issue) for issue in caught.value.issues] == _outcome(path, fast=False)
