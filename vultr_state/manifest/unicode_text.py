"""Names that read as what they are: manifest text is NFC-normalised, and invisible controls are refused.

Plan text and pull-request comments show labels and names to reviewers. Bidirectional controls (such
as U+202E RIGHT-TO-LEFT OVERRIDE) and zero-width characters make a name display differently from what
it is ("Trojan Source"), so any manifest string holding one is an error at its location. Every other
string is normalised to NFC, so that a label typed with a combining accent and one typed precomposed
are one identity. Sensitive bodies sent verbatim (inline scripts, user data) are left untouched: they
are never displayed. Called by ``manifest.load`` right after interpolation, so values taken from the
environment are checked too.
"""

from __future__ import annotations

import unicodedata
from typing import Any

from vultr_state.errors import ManifestIssue
from vultr_state.manifest.interpolate import Interpolated, is_verbatim
from vultr_state.manifest.yaml_source import DocPath, SourceDocument

# Bidirectional formatting controls and zero-width characters (Unicode 15; see UTS #39 and
# CVE-2021-42574): what a reviewer cannot see.
INVISIBLE = frozenset(
    "\u061c\u200b\u200c\u200d\u200e\u200f\u202a\u202b\u202c\u202d\u202e\u2060\u2066\u2067\u2068\u2069\ufeff"
)


def normalise_text(document: SourceDocument, result: Interpolated) -> list[ManifestIssue]:
    """NFC-normalise every string of ``document`` in place, refusing invisible controls.

    Args:
        document: An interpolated document; its ``data`` is updated.
        result: The interpolation result: each refused string adds a failed path to it (so the schema
            check does not report the same value again).

    Returns:
        One issue per string holding an invisible character. The string is kept as written, so the
        whole-manifest checks can still run.
    """
    issues: list[ManifestIssue] = []
    if isinstance(document.data, str):
        document.data = _clean(document.data, (), document, result, issues)
    elif isinstance(document.data, dict | list):
        _walk(document.data, (), document, result, issues)
    return issues


def _walk(
    container: dict[str, Any] | list[Any],
    path: DocPath,
    document: SourceDocument,
    result: Interpolated,
    issues: list[ManifestIssue],
) -> None:
    """Clean the strings inside ``container`` in place (most are ASCII and left as they are)."""
    items = container.items() if isinstance(container, dict) else enumerate(container)
    for key, value in items:
        if isinstance(value, str):
            if not value.isascii():
                container[key] = _clean(value, (*path, key), document, result, issues)
        elif isinstance(value, dict | list):
            _walk(value, (*path, key), document, result, issues)


def _clean(
    value: str, path: DocPath, document: SourceDocument, result: Interpolated, issues: list[ManifestIssue]
) -> str:
    if is_verbatim(path):
        return value
    hidden = next((char for char in value if char in INVISIBLE), None)
    if hidden is not None:
        name = unicodedata.name(hidden, "FORMAT CHARACTER")
        issues.append(
            ManifestIssue(
                document.locate(path),
                path,
                f"contains the invisible character U+{ord(hidden):04X} ({name}), which makes text display "
                "differently from what it is; remove it",
            )
        )
        result.failed.add(path)
        return value
    return unicodedata.normalize("NFC", value)
