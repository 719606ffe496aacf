"""Keeping what is valid in a file with schema problems, so reference problems can be reported with them.

A user who mistypes a value and misspells a reference should hear about both in one ``validate`` run.
``prune_document`` removes from a schema-invalid document exactly what the schema check complained
about, at the level the rest of the loader can live without: a bad field of an entry is removed from
that entry (the entry is then *damaged*), an entry whose identity is missing or invalid is removed from
its list (its kind is then *incomplete*), a bad ``defaults`` field is removed (the defaults are then
damaged). A problem with the file as a whole or its ``project`` cannot be pruned. ``Damage`` tells
``manifest.semantics`` which checks would now speak from missing information (an entry's own
consistency, "required" fields that a removed default may have given, references into an incomplete
kind), so that it runs only the others. Called by ``manifest.load``.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Any

from vultr_state.manifest.merge import IDENTITY, Entry
from vultr_state.manifest.schema_check import is_valid
from vultr_state.manifest.yaml_source import DocPath, SourceDocument

_BLOCKS = ("defaults", "safety")


@dataclass(slots=True)
class Damage:
    """What pruning removed, across the files of one manifest."""

    entries: set[tuple[str, DocPath]] = field(default_factory=set)  # (file, (kind, index))
    incomplete: set[str] = field(default_factory=set)  # kinds that lost whole entries
    defaults: bool = False

    def __bool__(self) -> bool:
        return bool(self.entries or self.incomplete or self.defaults)

    def damaged(self, entry: Entry) -> bool:
        """True when a field of ``entry`` was removed (or a default it may rely on)."""
        if self.defaults and entry.path[0] == "servers":
            return True
        return (entry.document.file, entry.path[:2]) in self.entries


def prune_document(document: SourceDocument, invalid: Iterable[DocPath], damage: Damage) -> bool:
    """Remove the invalid values of ``document`` (in place), recording what was lost in ``damage``.

    Args:
        document: A document whose schema check failed (unknown fields already dropped).
        invalid: The paths the schema check complained about.
        damage: Updated with the entries, kinds and defaults that lost something.

    Returns:
        True when what is left is schema-valid and can be checked further; False when the file as a
        whole, its project, or something pruning does not foresee is wrong.
    """
    data = document.data
    if not isinstance(data, dict):
        return False
    for path in sorted(set(invalid), key=len):
        if not path or path[0] == "project":
            return False
        head = path[0]
        if head in _BLOCKS:
            damage.defaults = damage.defaults or head == "defaults"
            _remove(data, path[:2])
        elif head in IDENTITY and len(path) >= 3 and path[2] != IDENTITY[head]:
            damage.entries.add((document.file, path[:2]))
            _remove(data, path[:3])
        elif head in IDENTITY:
            damage.incomplete.add(head)
            _remove(data, path[:2])
    return is_valid(_without_removed(data))


def _remove(data: dict[str, Any], path: DocPath) -> None:
    """Remove the value at ``path``; a list item becomes ``None`` so later items keep their index."""
    parent: Any = data
    for part in path[:-1]:
        try:
            parent = parent[part]
        except (KeyError, IndexError, TypeError):
            return  # already removed with an enclosing value
    last = path[-1]
    if isinstance(parent, dict):
        parent.pop(last, None)
    elif isinstance(parent, list) and isinstance(last, int) and last < len(parent):
        parent[last] = None


def _without_removed(data: dict[str, Any]) -> dict[str, Any]:
    """``data`` with the placeholders of removed entries left out, for the validity check."""
    return {
        key: [item for item in value if item is not None]
        if key in IDENTITY and isinstance(value, list)
        else value
        for key, value in data.items()
    }
