"""Offline syntax check of an SSH public key in authorized_keys format (``<type> <base64> [comment]``).

Catches the usual mistakes before Vultr does: a private key pasted by accident, a truncated or
re-wrapped key, a key type that does not match its blob, several keys in one file. Messages never
repeat the key material. Called by ``manifest.build`` for ``public_key`` and ``public_key_file``.
"""

from __future__ import annotations

import base64
import binascii

KEY_TYPES = frozenset(
    {
        "ssh-ed25519",
        "ssh-rsa",
        "ssh-dss",
        "ecdsa-sha2-nistp256",
        "ecdsa-sha2-nistp384",
        "ecdsa-sha2-nistp521",
        "sk-ssh-ed25519@openssh.com",
        "sk-ecdsa-sha2-nistp256@openssh.com",
    }
)


def normalize_public_key(text: str) -> tuple[str | None, str | None]:
    """Check one public key and return it as a single line.

    Args:
        text: The key as written or read from a file (surrounding blank lines and ``#`` comment lines
            are ignored).

    Returns:
        ``(key, None)`` for a valid key (one line, no trailing newline), or ``(None, problem)``.
    """
    if "PRIVATE KEY" in text:
        return None, "this is a PRIVATE key; give the public key (the .pub file) instead"
    lines = [line.strip() for line in text.splitlines()]
    keys = [line for line in lines if line and not line.startswith("#")]
    if not keys:
        return None, "no public key found (the text is empty)"
    if len(keys) > 1:
        return None, f"holds {len(keys)} lines; give exactly one public key per entry"
    key = keys[0]
    parts = key.split(None, 2)
    if len(parts) < 2 or parts[0] not in KEY_TYPES:
        return (
            None,
            "not an SSH public key: expected '<type> <base64> [comment]' with a type such as ssh-ed25519",
        )
    try:
        blob = base64.b64decode(parts[1], validate=True)
    except (binascii.Error, ValueError):
        return None, f"the {parts[0]} key data is not valid base64 (truncated or wrapped?)"
    if _blob_type(blob) != parts[0]:
        return None, f"the key data is not of type {parts[0]} (truncated, or the type is wrong)"
    return " ".join(parts), None


def _blob_type(blob: bytes) -> str | None:
    """The key type recorded at the start of an SSH key blob (a uint32 length, then the name)."""
    if len(blob) < 4:
        return None
    length = int.from_bytes(blob[:4], "big")
    if length > len(blob) - 4:
        return None
    try:
        return blob[4 : 4 + length].decode("ascii")
    except UnicodeDecodeError:
        return None
