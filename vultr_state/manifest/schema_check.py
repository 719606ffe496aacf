"""The JSON Schema check of one manifest file, with each error turned into a located, friendly issue.

The schema ships inside the package (``vultr_state/schemas/manifest.schema.json``, read with
``importlib.resources``). ``check_document`` first asks the compiled check of ``schema_fast``
whether a parsed file is valid; only when it is not does it run ``Draft202012Validator.iter_errors``
and map each error's path to the nearest file:line:column (an unknown field points at the key itself),
rewording jsonschema's messages ("unknown field 'lable' (did you mean 'label'?)").
A value that came from ``${VAR}`` and still has the wrong type gets a hint about the variable, and a
value whose interpolation failed is not reported again (its interpolation problem says it all).
Called by ``manifest.load``; ``schema_text`` also serves ``vultr-state schema``; ``types_at`` serves
``manifest.coerce``.
"""

from __future__ import annotations

import difflib
import json
import re
from dataclasses import dataclass
from functools import cache
from importlib import resources
from typing import Any

from jsonschema import Draft202012Validator
from jsonschema.exceptions import ValidationError

from vultr_state.errors import ManifestIssue
from vultr_state.manifest.schema_fast import Check, compile_check
from vultr_state.manifest.yaml_source import DocPath, SourceDocument

# A problem of the first kind makes problems of the listed kinds, at the same path, mere noise.
_SUPERSEDES = {
    "type": ("enum", "pattern", "minLength", "maxLength", "minimum", "maximum", "uniqueItems", "required"),
    "minLength": ("pattern",),
}

_TYPE_NAMES = {
    "string": "text",
    "integer": "an integer",
    "number": "a number",
    "boolean": "true or false",
    "array": "a list",
    "object": "a mapping",
    "null": "nothing",
}


def schema_text() -> str:
    """The manifest JSON Schema, exactly as shipped."""
    return resources.files("vultr_state").joinpath("schemas/manifest.schema.json").read_text(encoding="utf-8")


@cache
def _schema() -> dict[str, Any]:
    return json.loads(schema_text())


@cache
def _validator() -> Draft202012Validator:
    return Draft202012Validator(_schema())


@cache
def _is_valid() -> Check:
    return compile_check(_schema())


def types_at(path: DocPath) -> frozenset[str]:
    """The JSON types the schema allows at a document path (empty when the path is not in the schema)."""
    node: dict[str, Any] | None = _schema()
    for part in path:
        node = _resolve(node)
        if node is None:
            return frozenset()
        node = node.get("items") if isinstance(part, int) else node.get("properties", {}).get(part)
    node = _resolve(node)
    if node is None:
        return frozenset()
    wanted = node.get("type", ())
    return frozenset([wanted] if isinstance(wanted, str) else wanted)


def _resolve(node: dict[str, Any] | None) -> dict[str, Any] | None:
    """``node`` itself, or what its (local) ``$ref`` points at, merged under its own keywords."""
    while node is not None and "$ref" in node:
        target = _schema()["$defs"].get(node["$ref"].removeprefix("#/$defs/"))
        node = None if target is None else {**target, **{k: v for k, v in node.items() if k != "$ref"}}
    return node


@dataclass(frozen=True, slots=True)
class SchemaResult:
    """The schema problems of one file. ``recoverable`` is True when every problem was an unknown
    field: those fields were dropped from the document, so the whole-manifest checks can still run.
    ``invalid`` holds the path of every other problem (for ``manifest.prune``)."""

    issues: list[ManifestIssue]
    recoverable: bool
    invalid: tuple[DocPath, ...] = ()


def check_document(
    document: SourceDocument,
    *,
    substituted: frozenset[DocPath] | set[DocPath] = frozenset(),
    failed: frozenset[DocPath] | set[DocPath] = frozenset(),
) -> SchemaResult:
    """Validate one parsed manifest file against the schema, dropping unknown fields from its data.

    Args:
        document: The parsed (and interpolated) file.
        substituted: Paths whose value came (partly) from ``${VAR}``: a type problem there says so.
        failed: Paths whose interpolation failed: already reported, so not reported again.

    Returns:
        One issue per problem, with the noise removed: for a value of the wrong type only the type
        problem, for an empty value only "must not be empty", and no "missing required field 'label'"
        next to the "unknown field 'lable' (did you mean 'label'?)" that explains it.
    """
    if _is_valid()(document.data):  # the common case, about twenty times faster than jsonschema
        return SchemaResult([], True)
    errors = list(_validator().iter_errors(document.data))
    superseded = {
        (tuple(e.absolute_path), other) for e in errors for other in _SUPERSEDES.get(str(e.validator), ())
    }
    issues: list[ManifestIssue] = []
    seen: set[tuple[DocPath, str]] = set()
    for error in errors:
        path: DocPath = tuple(error.absolute_path)
        if (path, error.validator) in superseded or path in failed:
            continue
        for issue in _issues_for(error, path, document, path in substituted):
            if (issue.path, issue.message) not in seen:
                seen.add((issue.path, issue.message))
                issues.append(issue)
    for error in errors:
        if error.validator == "additionalProperties" and isinstance(error.instance, dict):
            for key in _unknown_keys(error):
                error.instance.pop(key, None)
    invalid = tuple(tuple(e.absolute_path) for e in errors if e.validator != "additionalProperties")
    return SchemaResult(issues, not invalid, invalid)


def is_valid(data: Any) -> bool:
    """Whether ``data`` satisfies the manifest schema (the compiled check)."""
    return _is_valid()(data)


def _issues_for(
    error: ValidationError, path: DocPath, document: SourceDocument, from_variable: bool
) -> list[ManifestIssue]:
    kind, value, instance = error.validator, error.validator_value, error.instance
    here = document.locate(path)
    if kind == "additionalProperties" and isinstance(instance, dict):
        known = sorted(error.schema.get("properties", {}))
        return [
            ManifestIssue(
                document.locate((*path, key), key=True), path, f"unknown field '{key}'{_suggest(key, known)}"
            )
            for key in _unknown_keys(error)
        ]
    if kind == "required" and isinstance(instance, dict):
        known = sorted(error.schema.get("properties", {}))
        explained = {_closest(key, known) for key in instance if key not in known}
        return [
            ManifestIssue(here, path, f"missing required field '{name}'")
            for name in value
            if name not in instance and name not in explained
        ]
    message = _message(error)
    if from_variable and kind == "type":
        message += " (the value comes from an environment variable: " + _expected_text(value) + ")"
    return [ManifestIssue(here, path, message)]


def _expected_text(expected: str | list[str]) -> str:
    wanted = [expected] if isinstance(expected, str) else expected
    if "boolean" in wanted:
        return "set it to true or false"
    if "integer" in wanted:
        return "set it to a whole number"
    return "check its value"


def _unknown_keys(error: ValidationError) -> list[str]:
    """The keys an ``additionalProperties`` error is about: neither a property nor a pattern's match."""
    known = error.schema.get("properties", {})
    patterns = [re.compile(pattern) for pattern in error.schema.get("patternProperties", {})]
    return [
        key
        for key in error.instance
        if key not in known and not any(pattern.search(key) for pattern in patterns)
    ]


def _message(error: ValidationError) -> str:
    kind, value, instance = error.validator, error.validator_value, error.instance
    if kind == "type" and not error.absolute_path:
        return f"a manifest is a mapping of fields (project, defaults, servers...), got {_describe(instance)}"
    if kind == "type":
        expected = " or ".join(_TYPE_NAMES.get(t, t) for t in ([value] if isinstance(value, str) else value))
        return f"expected {expected}, got {_describe(instance)}{_type_hint(value, instance)}"
    if kind == "enum":
        choices = ", ".join(str(v) for v in value)
        suggestion = _suggest(instance, [str(v) for v in value]) if isinstance(instance, str) else ""
        return f"{_show(instance)} is not one of: {choices}{suggestion}"
    if kind == "pattern":
        hint = error.schema.get("x-pattern-hint", f"matching {value}")
        return f"{_show(instance)} is not {hint}"
    if kind == "minimum":
        return f"must be at least {value}, got {instance}"
    if kind == "maximum":
        return f"must be at most {value}, got {instance}"
    if kind == "minLength":
        return "must not be empty"
    if kind == "maxLength":
        return f"is too long ({len(instance)} characters; at most {value})"
    if kind == "uniqueItems":
        repeated = next((v for i, v in enumerate(instance) if v in instance[:i]), None)
        return f"lists {_show(repeated)} more than once"
    return error.message


def _describe(value: Any) -> str:
    if value is None:
        return "null"
    if isinstance(value, bool):
        return f"boolean {str(value).lower()}"
    if isinstance(value, int):
        return f"integer {value}"
    if isinstance(value, float):
        return f"number {value}"
    if isinstance(value, str):
        return f"text {_show(value)}"
    if isinstance(value, list):
        return "a list"
    return "a mapping"


def _type_hint(expected: str | list[str], value: Any) -> str:
    wanted = [expected] if isinstance(expected, str) else expected
    if value is None and "array" in wanted:
        return " (write [] for an empty list)"
    if "string" in wanted and isinstance(value, bool | int | float):
        return " (quote it to make it text)"
    return ""


def _show(value: Any) -> str:
    text = repr(value)
    return text if len(text) <= 60 else text[:57] + "..."


def _closest(word: str, choices: list[str]) -> str | None:
    match = difflib.get_close_matches(word, choices, n=1, cutoff=0.6)
    return match[0] if match else None


def _suggest(word: str, choices: list[str]) -> str:
    match = _closest(word, choices)
    return f" (did you mean '{match}'?)" if match else ""
