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
    document.data = _walk(document.data, (), document, result, issues)
    return issues


def _walk(
    value: Any, path: DocPath, document: SourceDocument, result: Interpolated, issues: list[ManifestIssue]
) -> Any:
    if isinstance(value, dict):
        return {key: _walk(item, (*path, key), document, result, issues) for key, item in value.items()}
    if isinstance(value, list):
        return [_walk(item, (*path, i), document, result, issues) for i, item in enumerate(value)]
    if not isinstance(value, str) or value.isascii() or is_verbatim(path):
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
