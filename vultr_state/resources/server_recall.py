"""Recalling a server's create-time fields from the digest the registry recorded at its creation.

Called by the exporter for the servers the exported project owns: v1 never reads back a server's SSH
keys, startup script or host name, so a manifest written from the live state alone would plan changes to
them. The registry keeps a 6-hex digest per field (``resources.server.digest_parts``); each field is
recalled by trying the candidates the account offers (its SSH key names, its startup-script names, the
server's label as host name) against that digest. Pure.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from itertools import combinations

from vultr_state.resources.base import part_digest
from vultr_state.resources.server import USER_DATA_PART, digest_parts

MAX_KEY_SETS = 4096  # SSH key sets tried at most (every subset of 12 keys)


@dataclass(frozen=True, slots=True)
class Recalled:
    """The create-time fields found; a field is in ``unknown`` when no candidate matched its digest (and
    ``user_data`` when the server was created with some: it is never guessed)."""

    ssh_keys: tuple[str, ...] = ()
    startup_script: str | None = None
    hostname: str | None = None
    unknown: tuple[str, ...] = ()


def recall(
    create_digest: str, label: str, key_names: Sequence[str], script_names: Sequence[str]
) -> Recalled | None:
    """The server's SSH keys, startup script and host name, as far as the digest gives them away.

    Args:
        create_digest: The registry's compound digest of the server (``a1b2c3.d4e5f6...``).
        label: The server's label (its most likely host name).
        key_names: Names of the SSH keys in the account.
        script_names: Names of the startup scripts in the account.

    Returns:
        What matched, or None when there is no digest in the current format to recall from.
    """
    wanted = digest_parts(create_digest)
    if not wanted:
        return None
    unknown = []
    keys = _key_set(wanted["ssh_keys"], sorted(set(key_names)))
    if keys is None:
        unknown.append("ssh_keys")
    script = next((s for s in ("", *script_names) if part_digest(s) == wanted["startup_script"]), None)
    if script is None:
        unknown.append("startup_script")
    hostname = next((h for h in ("", label) if part_digest(h) == wanted["hostname"]), None)
    if hostname is None:
        unknown.append("hostname")
    if wanted[USER_DATA_PART] != part_digest(""):
        unknown.append(USER_DATA_PART)  # a secret: never recalled, the manifest must give it again
    return Recalled(keys or (), script or None, hostname or None, tuple(unknown))


def _key_set(digest: str, names: list[str]) -> tuple[str, ...] | None:
    tried = 0
    for size in range(len(names) + 1):
        for combo in combinations(names, size):
            if part_digest(list(combo)) == digest:
                return combo
            tried += 1
            if tried >= MAX_KEY_SETS:
                return None
    return None
