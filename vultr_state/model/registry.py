"""The ownership registry's content: which live objects a project owns, and what the API never
reads back about them. Stored in the account as a startup script ``vultr-state:<project>``.

The value objects live here so that ``model.live`` and ``model.plan`` can refer to them; parsing,
serialising, splitting and locking are in ``vultr_state.registry``. ``Blob`` is the unit a provider's
``BlobStore`` keeps the registry in (one per script part).
"""

from __future__ import annotations

from dataclasses import dataclass, field

from vultr_state.errors import OUTCOME_UNKNOWN

__all__ = [
    "OUTCOME_UNKNOWN",
    "PENDING_CREATE_WINDOW",
    "Blob",
    "OwnedObject",
    "PendingCreate",
    "Registry",
    "RegistryLock",
]


@dataclass(frozen=True, slots=True)
class OwnedObject:
    """One object the project owns.

    ``kind`` is a resource kind (``ssh_key``, ``startup_script``, ``server``, ``snapshot``);
    ``name`` its identity when last recorded; ``create_digest`` a short digest of the create-time
    fields the API cannot read back (a server's SSH keys, startup script, auto backups, boot source).
    For a startup script, ``body_digest`` is the digest (``resources.diffing.secret_digest``) of the
    body an apply last wrote or found, and ``modified`` the ``date_modified`` the API listed for the
    script after that apply: while the list still shows that date the body is known without reading
    it (v2 lists omit bodies). Empty when not recorded.
    """

    kind: str
    id: str
    name: str
    protect: bool = False
    create_digest: str = ""
    body_digest: str = ""
    modified: str = ""


# A create whose answer was lost and whose object shows nowhere is sent again only once its pending entry
# is this many seconds old (``planner.pending``); until then plans hold it and applies stop its step with
# ``OUTCOME_UNKNOWN``.
PENDING_CREATE_WINDOW = 600.0


@dataclass(frozen=True, slots=True)
class PendingCreate:
    """A create that was sent (or about to be) but whose result is not yet recorded.

    ``known_ids`` are the ids of same-identity objects of that kind the apply saw before sending it
    (a stranger's, another project's, the server a replace destroys): never taken as its result.
    """

    kind: str
    name: str
    started_at: float
    known_ids: tuple[str, ...] = ()


@dataclass(frozen=True, slots=True)
class RecordedReverseDns:
    """The reverse-DNS names an apply set (or found set) on one owned server, by role: what ``plan
    --no-refresh`` compares with instead of reading each server (None: that address is not managed)."""

    server_id: str
    ipv4: str | None = None
    ipv6: str | None = None
    ipv6_extra: tuple[tuple[str, str], ...] = ()  # (address, name)


@dataclass(frozen=True, slots=True)
class RegistryLock:
    """An advisory lock held by one apply of the project."""

    holder: str
    expires_at: float


@dataclass(frozen=True, slots=True)
class Registry:
    """The whole registry of one project. ``script_ids`` are the startup scripts that hold it; ``api``
    the API whose ids it records (``"v1"``, ``"v2"``; empty when not known, e.g. written before the API
    was recorded)."""

    project: str
    owned: tuple[OwnedObject, ...] = ()
    pending: tuple[PendingCreate, ...] = ()
    lock: RegistryLock | None = None
    script_ids: tuple[str, ...] = ()
    version: int = 1
    reverse_dns: tuple[RecordedReverseDns, ...] = ()  # by server id, as the last apply left them

    def recorded_reverse_dns(self, server_id: str) -> RecordedReverseDns | None:
        """The reverse DNS the last apply recorded for ``server_id``, if any."""
        return next((r for r in self.reverse_dns if r.server_id == server_id), None)

    api: str = ""

    def owned_ids(self, kind: str) -> frozenset[str]:
        """The ids of every owned object of ``kind``."""
        return frozenset(o.id for o in self.owned if o.kind == kind)

    def find(self, kind: str, object_id: str) -> OwnedObject | None:
        """The owned entry for ``object_id`` of ``kind``, if any."""
        return next((o for o in self.owned if o.kind == kind and o.id == object_id), None)


@dataclass(frozen=True, slots=True)
class Blob:
    """One named text record in a provider's blob store (on both APIs: a startup script).

    ``body`` is the registry document part as text (v2's base64 is the provider's business).
    """

    id: str
    name: str
    body: str = field(repr=False)
