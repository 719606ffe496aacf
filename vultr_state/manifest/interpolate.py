"""``${VAR}`` interpolation of manifest strings from an environment mapping.

Syntax: ``${NAME}`` (an error if NAME is unset), ``${NAME:-default}`` (the default when NAME is unset
or empty), ``$$`` (a literal ``$``). A ``$`` followed by anything else is kept as is. Every string
value is interpolated except inline startup-script bodies (``startup_scripts[].script``), which are
sent verbatim: shell scripts use ``${...}`` themselves. Mapping keys are never interpolated.

Called by ``manifest.load`` after parsing and before the schema check, so patterns apply to the
final values.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from typing import Any

from vultr_state.errors import ManifestIssue
from vultr_state.manifest.yaml_source import DocPath, SourceDocument

_TOKEN = re.compile(r"\$(?:(?P<dollar>\$)|\{(?P<body>[^}]*)\}|(?P<open>\{))")
_REFERENCE = re.compile(r"(?P<name>[A-Za-z_][A-Za-z0-9_]*)(?::-(?P<default>.*))?", re.DOTALL)


def interpolate_document(document: SourceDocument, env: Mapping[str, str]) -> list[ManifestIssue]:
    """Replace ``${...}`` references in every string of ``document`` in place.

    Args:
        document: A parsed manifest file; its ``data`` is updated.
        env: The variables to read (usually ``os.environ``).

    Returns:
        One issue per unset variable or malformed reference, at the string that holds it.
    """
    issues: list[ManifestIssue] = []
    document.data = _walk(document.data, (), document, env, issues)
    return issues


def _walk(value: Any, path: DocPath, document: SourceDocument, env: Mapping[str, str], issues: list) -> Any:
    if isinstance(value, dict):
        return {key: _walk(item, (*path, key), document, env, issues) for key, item in value.items()}
    if isinstance(value, list):
        return [_walk(item, (*path, i), document, env, issues) for i, item in enumerate(value)]
    if isinstance(value, str) and "$" in value and not _is_verbatim(path):
        result, problems = interpolate(value, env)
        issues.extend(ManifestIssue(document.locate(path), path, problem) for problem in problems)
        return result
    return value


def _is_verbatim(path: DocPath) -> bool:
    return len(path) == 3 and path[0] == "startup_scripts" and path[2] == "script"


def interpolate(text: str, env: Mapping[str, str]) -> tuple[str, list[str]]:
    """Interpolate one string.

    Args:
        text: The string as written.
        env: The variables to read.

    Returns:
        The interpolated string and a message per problem (an empty list when all went well).
    """
    problems: list[str] = []

    def replace(match: re.Match[str]) -> str:
        if match.group("dollar"):
            return "$"
        if match.group("open"):
            problems.append("unclosed '${' (write '$$' for a literal '$')")
            return match.group(0)
        body = match.group("body")
        reference = _REFERENCE.fullmatch(body)
        if reference is None:
            problems.append(
                f"malformed reference '${{{body}}}': expected ${{NAME}} or ${{NAME:-default}} "
                "(write '$$' for a literal '$')"
            )
            return match.group(0)
        name, default = reference.group("name"), reference.group("default")
        value = env.get(name)
        if default is not None:
            return value if value else default
        if value is None:
            problems.append(
                f"environment variable '{name}' is not set (use ${{{name}:-default}} to give a default)"
            )
            return match.group(0)
        return value

    return _TOKEN.sub(replace, text), problems
