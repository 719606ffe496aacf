"""What every resource kind shares: how a field change is classified and how secrets are shown.

Used by the per-kind modules in this package, which describe their fields with a table of
``FieldRule``s and build the desired and live views that ``vultr_state.resources.diffing`` compares. No I/O.
"""

from __future__ import annotations

import functools
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from vultr_state.model.capabilities import Capabilities
from vultr_state.model.plan import ChangeClass, FieldChange, Kind
from vultr_state.registry import short_digest
from vultr_state.resources.diffing import changed_fields, secret_digest

PROTECT_FIELD = "protect"


@dataclass(frozen=True, slots=True)
class FieldRule:
    """How a change to one field is carried out, and whether its values are secret."""

    change_class: ChangeClass
    sensitive: bool = False


@dataclass(frozen=True, slots=True)
class ResourceSpec:
    """The static description of one kind: identity attribute and the rule of every compared field."""

    kind: Kind
    identity: str  # the desired/live attribute naming an object: "name", "label" or "description"
    rules: Mapping[str, FieldRule]

    def classify(
        self,
        live_view: Mapping[str, Any],
        desired_view: Mapping[str, Any],
        capabilities: Capabilities | None = None,
    ) -> tuple[FieldChange, ...]:
        """Field changes between two views, each with its class; secret values shown as digests.

        Args:
            live_view: ``{field: value}`` of the live object (only fields in ``rules``).
            desired_view: The same fields as the manifest wants them.
            capabilities: The API's overrides of the default classes (None: the defaults).

        Returns:
            One ``FieldChange`` per differing field, sorted by field name.
        """
        changes = []
        for name, old, new in changed_fields(live_view, desired_view):
            rule = self.rules[name]
            if rule.sensitive:
                old, new = secret_digest(old), secret_digest(new)
            change_class = rule.change_class
            if capabilities is not None:
                change_class = capabilities.change_class(self.kind, name, change_class)
            changes.append(FieldChange(name, old, new, change_class, sensitive=rule.sensitive))
        return tuple(changes)


def protect_change(recorded: bool, wanted: bool) -> tuple[FieldChange, ...]:
    """The registry-only change of the protect flag, if it differs."""
    if recorded == wanted:
        return ()
    return (FieldChange(PROTECT_FIELD, recorded, wanted, ChangeClass.REGISTRY),)


def part_digest(value: Any) -> str:
    """6 hex characters of a create-time field's digest (one part of a compound create digest).

    A plan digests the same few values over and over (every server's key names, script name, boot
    source; a recorded digest's empty part), so the digests of short texts and lists of short texts
    are remembered (JSON spells a tuple as it spells a list: the digest is the same).
    """
    if isinstance(value, str) and len(value) <= _CACHED_TEXT:
        return _cached_part_digest(value)
    if isinstance(value, list) and all(isinstance(v, str) and len(v) <= _CACHED_TEXT for v in value):
        return _cached_part_digest(tuple(value))
    return short_digest(value)[:6]


_CACHED_TEXT = 255  # names and ids; longer texts (user data) are digested each time, never kept


@functools.lru_cache(maxsize=16_384)
def _cached_part_digest(value: str | tuple[str, ...]) -> str:
    return short_digest(value)[:6]
