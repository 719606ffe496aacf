"""Saving and loading the frozen records of either face's account (``emulator/v1/models``,
``emulator/v2/models``) in the shared ``Store``.

A record type names its store kind in a ``KIND`` class attribute and its id in an ``id`` property; these
helpers are all a handler needs to read and write one. Each face's ``models`` module re-exports them, so
handlers import records and helpers from one place.
"""

from __future__ import annotations

from typing import ClassVar, Protocol, TypeVar

from vultr_state.emulator.core.store import Store


class StoredRecord(Protocol):
    """What the helpers need of a record: its kind and its id."""

    KIND: ClassVar[str]

    @property
    def id(self) -> str: ...


T = TypeVar("T", bound=StoredRecord)


def save(store: Store, record: StoredRecord, *, new: bool = False) -> None:
    """Insert (``new=True``) or update a record."""
    if new:
        store.insert(record.KIND, record.id, record)
    else:
        store.update(record.KIND, record.id, record)


def load(store: Store, cls: type[T], object_id: str) -> T | None:
    """One record by id, or ``None``."""
    return store.get(cls.KIND, object_id)


def load_all(store: Store, cls: type[T]) -> list[T]:
    """Every record of a kind, in creation order."""
    return store.all(cls.KIND)
