"""SSH public key material check shared by both faces.

A key must be one authorized_keys line without options: a known key type, base64 that decodes, and a blob
whose embedded type name matches the declared one; an optional comment may follow. Called by the v1
``sshkey/*`` and v2 ``/ssh-keys`` handlers.
"""

from __future__ import annotations

import base64
import binascii

KEY_TYPES = frozenset(
    {
        "ssh-rsa",
        "ssh-dss",
        "ssh-ed25519",
        "ecdsa-sha2-nistp256",
        "ecdsa-sha2-nistp384",
        "ecdsa-sha2-nistp521",
        "sk-ssh-ed25519@openssh.com",
        "sk-ecdsa-sha2-nistp256@openssh.com",
    }
)


def is_authorized_key(text: str) -> bool:
    """Whether ``text`` is a single public key in authorized_keys format."""
    if "\n" in text.strip():
        return False
    parts = text.split()
    if len(parts) < 2 or parts[0] not in KEY_TYPES:
        return False
    try:
        blob = base64.b64decode(parts[1], validate=True)
    except (binascii.Error, ValueError):
        return False
    if len(blob) < 4:
        return False
    length = int.from_bytes(blob[:4], "big")
    return blob[4 : 4 + length] == parts[0].encode()
