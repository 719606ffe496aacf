"""Typing values that came from ``${VAR}``: ``"true"`` becomes a boolean, ``"30"`` an integer, where the
schema wants one.

Environment variables are text, so ``ipv6: ${IPV6}`` with ``IPV6=true`` would read as the text
``"true"``. For every path that interpolation substituted, ``coerce_substituted`` looks up the types the
schema allows there and converts the text when the schema does not take text: ``true``/``false`` (any
case) to a boolean, a whole number to an integer. Anything else is left as text, and the schema check
then reports it, saying that the value came from a variable. Called by ``manifest.load`` between
``interpolate`` and ``schema_check``.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from functools import cache
from typing import Any

from vultr_state.manifest.schema_check import types_at
from vultr_state.manifest.yaml_source import DocPath, SourceDocument

_INTEGER = re.compile(r"[+-]?[0-9]+")
_BOOLEANS = {"true": True, "false": False}


def coerce_substituted(document: SourceDocument, paths: Iterable[DocPath]) -> None:
    """Convert, in place, the substituted text values of ``document`` the schema wants as booleans or
    integers.

    Args:
        document: An interpolated document.
        paths: The paths interpolation substituted.
    """
    for path in paths:
        if not path:
            continue
        parent = _container(document.data, path[:-1])
        if parent is None:
            continue
        value = parent[path[-1]]
        if not isinstance(value, str):
            continue
        wanted = _types(tuple(0 if isinstance(part, int) else part for part in path))
        if "string" in wanted:
            continue
        typed = _typed(value.strip(), wanted)
        if typed is not None:
            parent[path[-1]] = typed


@cache
def _types(shape: DocPath) -> frozenset[str]:
    """``types_at`` for a path whose list indexes are all 0: every item of a list has one schema."""
    return types_at(shape)


def _container(data: Any, path: DocPath) -> Any:
    """The dict or list at ``path`` in ``data``, or None."""
    for part in path:
        inside_dict = isinstance(data, dict) and isinstance(part, str) and part in data
        inside_list = isinstance(data, list) and isinstance(part, int) and part < len(data)
        if not (inside_dict or inside_list):
            return None
        data = data[part]
    return data if isinstance(data, dict | list) else None


def _typed(text: str, wanted: frozenset[str]) -> bool | int | None:
    if "boolean" in wanted and text.lower() in _BOOLEANS:
        return _BOOLEANS[text.lower()]
    if wanted & {"integer", "number"} and _INTEGER.fullmatch(text):
        return int(text)
    return None
