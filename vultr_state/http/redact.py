"""Secret scrubbing for everything the client logs, raises or shows in a ``repr``.

Used by the pipeline (log lines, error messages) and by the ``vultr-state api`` command (printing a raw
answer). ``SENSITIVE_FIELDS`` is the one list of secret field names, on both APIs: the API key,
passwords (``password``, ``default_password``, ``root_password``), startup-script bodies (``script``),
user data (v1 ``userdata``, v2 ``user_data``, whose body is nested under ``data``) and console URLs
carrying a session token (v1 ``kvm_url``, v2 ``kvm``). Public keys (``ssh_key``) are not secrets. Four
tools: ``redact_params`` masks the values of sensitive request parameters, ``Scrubber`` replaces known
secret strings (the API key, a script body...) wherever they occur in a text, ``mask_secrets`` masks
sensitive fields in a parsed JSON document, and ``redact_body_text`` masks them inside a JSON text
without parsing it, so even a truncated body is safe to show.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Sequence
from typing import Any

MASK = "***"

# Request parameters and response fields whose values are secret, on v1 and v2.
SENSITIVE_FIELDS = frozenset(
    {
        "api_key",
        "password",
        "default_password",
        "root_password",
        "script",
        "userdata",
        "user_data",
        "kvm",
        "kvm_url",
    }
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


def mask_secrets(value: Any) -> Any:
    """A copy of a JSON value with every non-empty string under a sensitive field name (at any depth,
    e.g. v2's ``{"user_data": {"data": ...}}``) replaced by ``***``."""
    if isinstance(value, dict):
        return {
            key: _mask_all(item) if key.lower() in SENSITIVE_FIELDS else mask_secrets(item)
            for key, item in value.items()
        }
    if isinstance(value, list):
        return [mask_secrets(item) for item in value]
    return value


def _mask_all(value: Any) -> Any:
    if isinstance(value, str):
        return MASK if value else value
    if isinstance(value, dict):
        return {key: _mask_all(item) for key, item in value.items()}
    if isinstance(value, list):
        return [_mask_all(item) for item in value]
    return value


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
