"""A compiled yes/no check of a value against the manifest JSON Schema: the loader's fast path.

``jsonschema`` is exact and explains every error, but walks the schema afresh for every value (about a
second for a 5,000-server manifest). ``compile_check`` turns the schema, once, into nested closures
that answer only "is this value valid?", about twenty times faster. ``schema_check`` trusts a "yes"
and asks ``jsonschema`` for the errors only after a "no", so messages never depend on this module.

Only the keywords the manifest schema uses are supported (``type``, ``properties``,
``additionalProperties``, ``patternProperties``, ``required``, ``items``, ``enum``, ``pattern``,
``minLength``, ``maxLength``, ``minimum``, ``maximum``, ``uniqueItems``, local ``$ref``); any other keyword
makes ``compile_check`` raise ``ValueError``, so a schema change cannot silently weaken the check.
The semantics follow JSON Schema 2020-12 as ``jsonschema`` implements them: booleans are not numbers,
``1.0`` is an integer, ``pattern`` searches, lengths count code points.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Mapping
from typing import Any

Check = Callable[[Any], bool]

# Keywords that never affect validity.
_ANNOTATIONS = frozenset(
    {"$schema", "$id", "$defs", "$comment", "title", "description", "default", "examples", "x-pattern-hint"}
)
_SUPPORTED = frozenset(
    {
        "type",
        "properties",
        "additionalProperties",
        "patternProperties",
        "required",
        "items",
        "enum",
        "pattern",
        "minLength",
        "maxLength",
        "minimum",
        "maximum",
        "uniqueItems",
        "$ref",
    }
)
_TYPES: dict[str, Check] = {
    "object": lambda v: isinstance(v, dict),
    "array": lambda v: isinstance(v, list),
    "string": lambda v: isinstance(v, str),
    "boolean": lambda v: isinstance(v, bool),
    "null": lambda v: v is None,
    "number": lambda v: isinstance(v, int | float) and not isinstance(v, bool),
    "integer": lambda v: (
        (isinstance(v, int) and not isinstance(v, bool)) or (isinstance(v, float) and v.is_integer())
    ),
}


def compile_check(schema: Mapping[str, Any]) -> Check:
    """Compile a root schema into a predicate.

    Args:
        schema: A JSON Schema document using only the supported keywords; ``$ref`` may point only
            into its own ``$defs`` (``#/$defs/name``).

    Returns:
        A function answering True exactly when the value is valid against ``schema``.

    Raises:
        ValueError: The schema uses a keyword or reference this compiler does not support.
    """
    definitions: dict[str, Check] = {}
    defs = schema.get("$defs", {})

    def reference(target: str) -> Check:
        name = target.removeprefix("#/$defs/")
        if name == target or name not in defs:
            raise ValueError(f"unsupported $ref {target!r}")
        if name not in definitions:
            definitions[name] = lambda v: definitions[name](v)  # stands in while compiling a recursive def
            definitions[name] = build(defs[name])
        return definitions[name]

    def build(node: Mapping[str, Any]) -> Check:
        unknown = set(node) - _SUPPORTED - _ANNOTATIONS
        if unknown:
            raise ValueError(f"unsupported schema keywords: {', '.join(sorted(unknown))}")
        checks = [check for check in _keyword_checks(node, build, reference) if check is not None]
        if len(checks) == 1:
            return checks[0]
        return lambda v: all(check(v) for check in checks)

    return build(schema)


def _keyword_checks(
    node: Mapping[str, Any],
    build: Callable[[Mapping[str, Any]], Check],
    reference: Callable[[str], Check],
) -> list[Check | None]:
    """One check per keyword of ``node``; each accepts values its keyword does not apply to."""
    checks: list[Check | None] = [_type(node["type"]) if "type" in node else None]
    if "$ref" in node:
        checks.append(reference(node["$ref"]))
    if "enum" in node:
        checks.append(_enum(node["enum"]))
    checks += _string_checks(node)
    checks += _number_checks(node)
    if "items" in node:
        item = build(node["items"])
        checks.append(lambda v: not isinstance(v, list) or all(item(x) for x in v))
    if node.get("uniqueItems"):
        checks.append(lambda v: not isinstance(v, list) or _unique(v))
    checks += _object_checks(node, build)
    return checks


def _type(wanted: str | list[str]) -> Check:
    names = [wanted] if isinstance(wanted, str) else list(wanted)
    unknown = [name for name in names if name not in _TYPES]
    if unknown:
        raise ValueError(f"unsupported type {unknown[0]!r}")
    tests = [_TYPES[name] for name in names]
    return tests[0] if len(tests) == 1 else lambda v: any(test(v) for test in tests)


def _enum(values: list[Any]) -> Check:
    if not all(isinstance(value, str) for value in values):
        raise ValueError("only enums of strings are supported")
    allowed = frozenset(values)
    return lambda v: isinstance(v, str) and v in allowed


def _string_checks(node: Mapping[str, Any]) -> list[Check]:
    checks: list[Check] = []
    if "minLength" in node:
        low = node["minLength"]
        checks.append(lambda v: not isinstance(v, str) or len(v) >= low)
    if "maxLength" in node:
        high = node["maxLength"]
        checks.append(lambda v: not isinstance(v, str) or len(v) <= high)
    if "pattern" in node:
        search = re.compile(node["pattern"]).search
        checks.append(lambda v: not isinstance(v, str) or search(v) is not None)
    return checks


def _number_checks(node: Mapping[str, Any]) -> list[Check]:
    checks: list[Check] = []
    is_number = _TYPES["number"]
    if "minimum" in node:
        low = node["minimum"]
        checks.append(lambda v: not is_number(v) or not v < low)  # as jsonschema: NaN passes
    if "maximum" in node:
        high = node["maximum"]
        checks.append(lambda v: not is_number(v) or not v > high)
    return checks


def _object_checks(node: Mapping[str, Any], build: Callable[[Mapping[str, Any]], Check]) -> list[Check]:
    checks: list[Check] = []
    properties = {name: build(sub) for name, sub in node.get("properties", {}).items()}
    if properties:

        def check_properties(v: Any) -> bool:
            if not isinstance(v, dict):
                return True
            for key, value in v.items():
                check = properties.get(key)
                if check is not None and not check(value):
                    return False
            return True

        checks.append(check_properties)
    patterns = [
        (re.compile(pattern).search, build(sub)) for pattern, sub in node.get("patternProperties", {}).items()
    ]
    if patterns:

        def check_patterns(v: Any) -> bool:
            if not isinstance(v, dict):
                return True
            return all(check(value) for key, value in v.items() for search, check in patterns if search(key))

        checks.append(check_patterns)
    if "additionalProperties" in node:
        extra = node["additionalProperties"]
        if extra is not False:
            raise ValueError("only additionalProperties: false is supported")
        known = frozenset(properties)
        searches = [search for search, _ in patterns]
        checks.append(
            lambda v: (
                not isinstance(v, dict)
                or all(key in known or any(search(key) for search in searches) for key in v)
            )
        )
    if "required" in node:
        required = tuple(node["required"])
        checks.append(lambda v: not isinstance(v, dict) or all(name in v for name in required))
    return checks


def _unique(items: list[Any]) -> bool:
    """True when no two items are equal in the JSON sense (``true`` differs from ``1``)."""
    seen = [_canonical(item) for item in items]
    return len(seen) == len(set(seen))


def _canonical(value: Any) -> Any:
    """A hashable form of a JSON value under which JSON-equal values, and only those, are equal."""
    if isinstance(value, bool) or value is None:
        return ("literal", value)
    if isinstance(value, int | float):
        return ("number", value)
    if isinstance(value, str):
        return ("string", value)
    if isinstance(value, list):
        return ("array", tuple(_canonical(item) for item in value))
    return ("object", frozenset((key, _canonical(item)) for key, item in value.items()))
