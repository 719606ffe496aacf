"""``${VAR}`` interpolation of manifest strings from an environment mapping.

Syntax: ``${NAME}`` (an error if NAME is unset), ``${NAME:-default}`` (the default when NAME is unset
or empty; the default may itself hold references, as in ``${A:-${B:-x}}``, read only when it is
used), ``$$`` (a literal ``$``). A ``$`` followed by anything else is kept as is. Every string value is
interpolated except sensitive bodies sent verbatim (inline ``startup_scripts[].script`` and
``servers[].user_data``): shell scripts use ``${...}`` themselves. Mapping keys are never interpolated.

Called by ``manifest.load`` after parsing and before the schema check, so patterns apply to the final
values. ``interpolate_document`` also says which paths it changed (so ``coerce`` may turn a ``"true"``
that came from a variable into a boolean) and which it could not finish (so the schema check does
not report a second problem about the same value).
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

from vultr_state.errors import ManifestIssue
from vultr_state.manifest.yaml_source import DocPath, SourceDocument

_NAME = re.compile(r"[A-Za-z_][A-Za-z0-9_]*")
_SPECIAL = re.compile(r"\$")
_SPECIAL_NESTED = re.compile(r"[$}]")
_VERBATIM = {("startup_scripts", "script"), ("servers", "user_data")}
_ESCAPE_HINT = "(write '$$' for a literal '$')"


@dataclass(frozen=True, slots=True)
class Interpolated:
    """What interpolating one document did: its problems, the paths it substituted, those it failed."""

    issues: list[ManifestIssue] = field(default_factory=list)
    substituted: set[DocPath] = field(default_factory=set)
    failed: set[DocPath] = field(default_factory=set)


def interpolate_document(document: SourceDocument, env: Mapping[str, str]) -> Interpolated:
    """Replace ``${...}`` references in every string of ``document`` in place.

    Args:
        document: A parsed manifest file; its ``data`` is updated.
        env: The variables to read (usually ``os.environ``).

    Returns:
        One issue per unset variable or malformed reference, at the string that holds it, with the
        paths of the strings that held references (and of those that could not be interpolated).
    """
    result = Interpolated()
    document.data = _walk(document.data, (), document, env, result)
    return result


def _walk(
    value: Any, path: DocPath, document: SourceDocument, env: Mapping[str, str], out: Interpolated
) -> Any:
    if isinstance(value, dict):
        return {key: _walk(item, (*path, key), document, env, out) for key, item in value.items()}
    if isinstance(value, list):
        return [_walk(item, (*path, i), document, env, out) for i, item in enumerate(value)]
    if isinstance(value, str) and "$" in value and not is_verbatim(path):
        text, problems = interpolate(value, env)
        if text != value:
            out.substituted.add(path)
        if problems:
            out.failed.add(path)
            out.issues.extend(ManifestIssue(document.locate(path), path, problem) for problem in problems)
        return text
    return value


def is_verbatim(path: DocPath) -> bool:
    """True for the sensitive bodies sent exactly as written (inline scripts, user data)."""
    return len(path) == 3 and (path[0], path[2]) in _VERBATIM


def interpolate(text: str, env: Mapping[str, str]) -> tuple[str, list[str]]:
    """Interpolate one string.

    Args:
        text: The string as written.
        env: The variables to read.

    Returns:
        The interpolated string (the original text when there was a problem) and one message per
        problem, each said once (an empty list when all went well). A string whose references are
        malformed gets only those messages: unset variables are judged once its syntax is right.
    """
    parser = _Parser(text, env)
    result, _ = parser.run(0, nested=False)
    problems = parser.syntax or parser.unset
    unique = list(dict.fromkeys(problems))
    return (text, unique) if unique else (result, [])


class _Parser:
    """A recursive reader of one string: ``run`` reads text until its end, or until the ``}`` closing
    the reference it is inside (``nested``)."""

    def __init__(self, text: str, env: Mapping[str, str]):
        self.text = text
        self.env = env
        self.syntax: list[str] = []
        self.unset: list[str] = []

    def run(self, start: int, *, nested: bool, use: bool = True) -> tuple[str, int]:
        """The text from ``start`` with references replaced, and the index just past what was read.

        With ``use`` False the text is only read (a default that is not needed): no variable is
        looked up and no unset variable is reported, though malformed references still are.
        """
        text, out, i = self.text, [], start
        special = _SPECIAL_NESTED if nested else _SPECIAL
        while True:
            found = special.search(text, i)
            if found is None:
                if nested:
                    raise _Unclosed
                out.append(text[i:])
                return "".join(out), len(text)
            at = found.start()
            out.append(text[i:at])
            if text[at] == "}":
                return "".join(out), at
            if text.startswith("$$", at):
                out.append("$")
                i = at + 2
            elif text.startswith("${", at):
                value, i = self._reference(at, use=use)
                out.append(value)
            else:
                out.append("$")
                i = at + 1

    def _reference(self, start: int, *, use: bool) -> tuple[str, int]:
        """Read the reference starting with ``${`` at ``start``."""
        text = self.text
        name = _NAME.match(text, start + 2)
        after = name.end() if name else start + 2
        try:
            if name and text.startswith("}", after):
                return self._value(name.group(), None, use), after + 1
            if name and text.startswith(":-", after):
                default, end = self.run(after + 2, nested=True, use=use and not self.env.get(name.group()))
                return self._value(name.group(), default, use), end + 1
            end = self._closing(after)
        except _Unclosed:
            self.syntax.append(f"unclosed '${{' {_ESCAPE_HINT}")
            return text[start:], len(text)
        self.syntax.append(
            f"malformed reference '{text[start : end + 1]}': expected ${{NAME}} or ${{NAME:-default}} "
            f"{_ESCAPE_HINT}"
        )
        return text[start : end + 1], end + 1

    def _closing(self, start: int) -> int:
        """The index of the ``}`` that closes a malformed reference, nested references skipped."""
        depth, i = 0, start
        while i < len(self.text):
            if self.text.startswith("${", i):
                depth += 1
                i += 2
                continue
            if self.text[i] == "}":
                if depth == 0:
                    return i
                depth -= 1
            i += 1
        raise _Unclosed

    def _value(self, name: str, default: str | None, use: bool) -> str:
        if not use:
            return ""
        value = self.env.get(name)
        if default is not None:
            return value if value else default
        if value is None:
            self.unset.append(
                f"environment variable '{name}' is not set (use ${{{name}:-default}} to give a default)"
            )
            return ""
        return value


class _Unclosed(Exception):
    """A ``${`` without its ``}``."""
