"""What one API can do, as data the pure planner reads: ``Capabilities``.

Each provider publishes one (``vultr_state.providers.v1.capabilities``, ``...v2...``); the CLI hands it
to ``planner.plan`` with the live state it read. The default change class of every field is in
``vultr_state.resources``; ``change_classes`` overrides only what differs on this API (v2, for
instance, changes a plan upward in place and reinstalls on a hostname change). ``readable_create_fields``
names the create-time fields the API reads back, so the planner compares them with the live value instead
of a registry digest.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from types import MappingProxyType

from vultr_state.model.plan import ChangeClass, Kind


@dataclass(frozen=True, slots=True)
class Capabilities:
    """One API's facts for the planner.

    Attributes:
        api: The API's name as the CLI and plan files spell it (``"v1"``, ``"v2"``).
        change_classes: ``(kind, field) -> ChangeClass`` overriding the defaults of ``resources``.
        readable_create_fields: ``(kind, field)`` pairs of create-time fields the API reads back.
        owner_tagged_servers: The servers this tool creates carry the project's owner tag (v2), so a
            listed server without it is not the result of a lost create.
        max_server_tags: How many user tags a server can carry (v1: one), None for no limit.
    """

    api: str
    change_classes: Mapping[tuple[Kind, str], ChangeClass] = field(
        default_factory=lambda: MappingProxyType({})
    )
    readable_create_fields: frozenset[tuple[Kind, str]] = frozenset()
    owner_tagged_servers: bool = False
    max_server_tags: int | None = None

    def change_class(self, kind: Kind, name: str, default: ChangeClass) -> ChangeClass:
        """The class of a change to field ``name`` of ``kind`` on this API."""
        return self.change_classes.get((kind, name), default)
