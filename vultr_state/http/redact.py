"""Secret scrubbing for everything the client logs, raises or shows in a ``repr``.

Used by ``core`` (log lines, error messages) and available to the CLI (``redact_body_text`` for printing a
raw response). Three tools: ``redact_params`` masks the values of sensitive request parameters,
``Scrubber`` replaces known secret strings (the API key, a script body...) wherever they occur in a text,
and ``redact_body_text`` masks sensitive fields inside a JSON response text (``default_password``,
``script``, ``ssh_key``, ``userdata``) without parsing it, so even a truncated body is safe to show.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Sequence

MASK = "***"

# Request parameters and response fields whose values are secret or are bodies we promise never to show.
SENSITIVE_FIELDS = frozenset(
    {"api_key", "default_password", "script", "ssh_key", "userdata", "user_data", "password"}
)

# Secrets shorter than this are not scrubbed by value: replacing "1" everywhere would only garble text.
_MIN_SECRET_LENGTH = 4
_MAX_SHOWN_VALUE = 60

_BODY_FIELD = re.compile(
    r'("(?:' + "|".join(sorted(SENSITIVE_FIELDS)) + r')"\s*:\s*)"(?:[^"\\]|\\.?)*("|$)',
    re.DOTALL,
)


def redact_params(params: Sequence[tuple[str, str]]) -> str:
    """Render request parameters for a log line, masking sensitive values and shortening long ones.

    Args:
        params: The (name, value) pairs of a request.

    Returns:
        e.g. ``"id=123 label=web-1 script=***"``; empty string when there are no parameters.
    """
    shown = []
    for name, value in params:
        if name.lower() in SENSITIVE_FIELDS:
            value = MASK
        elif len(value) > _MAX_SHOWN_VALUE:
            value = value[:_MAX_SHOWN_VALUE] + "..."
        shown.append(f"{name}={value}")
    return " ".join(shown)


def redact_body_text(text: str) -> str:
    """Mask sensitive JSON string fields (``"default_password":"..."`` etc.) in a response text.

    Works on the raw text, so truncated or otherwise invalid JSON is handled too: an unterminated value
    is masked up to the end of the text.
    """
    return _BODY_FIELD.sub(lambda match: f'{match.group(1)}"{MASK}"', text)


class Scrubber:
    """Replaces known secret strings with ``***`` in any text.

    Args:
        secrets: The strings to hide (the API key, sensitive parameter values). Empty and very short
            values are ignored. Longer secrets are replaced first so an overlapping shorter one cannot
            leave a fragment behind.
    """

    __slots__ = ("_secrets",)

    def __init__(self, secrets: Iterable[str | None]):
        unique = {s for s in secrets if s and len(s) >= _MIN_SECRET_LENGTH}
        self._secrets = tuple(sorted(unique, key=len, reverse=True))

    def __repr__(self) -> str:
        return f"Scrubber(<{len(self._secrets)} secrets>)"

    def __call__(self, text: str) -> str:
        """Return ``text`` with every known secret and every sensitive JSON field masked."""
        for secret in self._secrets:
            # A multi-line secret (a script) may also reach us JSON-escaped, or with its whitespace collapsed.
            escaped = secret.replace("\\", "\\\\").replace("\n", "\\n").replace('"', '\\"')
            collapsed = " ".join(secret.split())
            for form in (secret, escaped, collapsed):
                if len(form) >= _MIN_SECRET_LENGTH and form in text:
                    text = text.replace(form, MASK)
        return redact_body_text(text)
