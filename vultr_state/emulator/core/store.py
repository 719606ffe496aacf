"""SQLite persistence of the emulated account: one JSON blob row per object, in insertion order.

Used by the handlers (through ``models``) and by the inspection helpers. ``:memory:`` (the default) is for
tests; a file path keeps the account across restarts (WAL journal). One connection is shared by all request
threads behind a re-entrant lock; ``transaction()`` makes a read-modify-write atomic.

Objects are immutable values (the frozen records of ``models``); each kind has a ``Codec`` turning them into
JSON-ready dictionaries and back. SQLite is the source of truth, and decoded objects are also kept in a
write-through cache per kind, so listing 10,000 servers decodes nothing (a rolled-back transaction empties
the cache). The store knows nothing about the v1 wire.
"""

from __future__ import annotations

import json
import sqlite3
import threading
from collections.abc import Callable, Iterator, Mapping
from contextlib import contextmanager
from dataclasses import dataclass
from typing import Any

_SCHEMA = """
CREATE TABLE IF NOT EXISTS objects (
    seq INTEGER PRIMARY KEY AUTOINCREMENT,
    kind TEXT NOT NULL,
    id TEXT NOT NULL,
    data TEXT NOT NULL,
    UNIQUE (kind, id)
);
CREATE TABLE IF NOT EXISTS counters (
    name TEXT PRIMARY KEY,
    value INTEGER NOT NULL
);
"""


@dataclass(frozen=True, slots=True)
class Codec:
    """How one kind of object is stored: ``encode`` to a JSON-ready dict, ``decode`` back."""

    encode: Callable[[Any], dict[str, Any]]
    decode: Callable[[dict[str, Any]], Any]


class Store:
    """A thread-safe store of immutable objects grouped by kind, each with a string id.

    Args:
        codecs: The codec of every kind that will be stored.
        path: SQLite database file, or ``":memory:"``.
    """

    def __init__(self, codecs: Mapping[str, Codec], path: str = ":memory:") -> None:
        self.path = path
        self._codecs = dict(codecs)
        self._cache: dict[str, dict[str, Any]] = {}
        self._lock = threading.RLock()
        self._depth = 0
        self._db = sqlite3.connect(path, check_same_thread=False, isolation_level=None)
        if path != ":memory:":
            self._db.execute("PRAGMA journal_mode=WAL")
            self._db.execute("PRAGMA synchronous=NORMAL")
        self._db.executescript(_SCHEMA)

    @contextmanager
    def transaction(self) -> Iterator[None]:
        """Hold the lock and one SQLite transaction for the block; nested blocks join the outer one."""
        with self._lock:
            outer = self._depth == 0
            if outer:
                self._db.execute("BEGIN IMMEDIATE")
            self._depth += 1
            try:
                yield
            except BaseException:
                self._depth -= 1
                if outer:
                    self._db.execute("ROLLBACK")
                    self._cache.clear()
                raise
            self._depth -= 1
            if outer:
                self._db.execute("COMMIT")

    def _objects(self, kind: str) -> dict[str, Any]:
        """The cached objects of a kind, loaded from SQLite on first use (caller holds the lock)."""
        objects = self._cache.get(kind)
        if objects is None:
            decode = self._codecs[kind].decode
            rows = self._db.execute("SELECT id, data FROM objects WHERE kind = ? ORDER BY seq", (kind,))
            objects = {object_id: decode(json.loads(data)) for object_id, data in rows}
            self._cache[kind] = objects
        return objects

    def insert(self, kind: str, object_id: str, value: Any) -> None:
        """Add a new object at the end of its kind's order."""
        with self.transaction():
            objects = self._objects(kind)
            data = json.dumps(self._codecs[kind].encode(value))
            self._db.execute("INSERT INTO objects (kind, id, data) VALUES (?, ?, ?)", (kind, object_id, data))
            objects[object_id] = value

    def update(self, kind: str, object_id: str, value: Any) -> None:
        """Replace an existing object, keeping its place in the order."""
        with self.transaction():
            objects = self._objects(kind)
            data = json.dumps(self._codecs[kind].encode(value))
            self._db.execute("UPDATE objects SET data = ? WHERE kind = ? AND id = ?", (data, kind, object_id))
            if object_id in objects:
                objects[object_id] = value

    def delete(self, kind: str, object_id: str) -> bool:
        """Remove an object; returns whether it existed."""
        with self.transaction():
            objects = self._objects(kind)
            cursor = self._db.execute("DELETE FROM objects WHERE kind = ? AND id = ?", (kind, object_id))
            objects.pop(object_id, None)
            return cursor.rowcount > 0

    def get(self, kind: str, object_id: str) -> Any | None:
        """One object, or ``None``."""
        with self._lock:
            return self._objects(kind).get(object_id)

    def all(self, kind: str) -> list[Any]:
        """Every object of a kind, in insertion order."""
        with self._lock:
            return list(self._objects(kind).values())

    def count(self, kind: str) -> int:
        """Number of objects of a kind."""
        with self._lock:
            return len(self._objects(kind))

    def next_value(self, name: str, start: int) -> int:
        """Return the next value of a named counter (``start`` first), persisted with the objects."""
        with self.transaction():
            row = self._db.execute("SELECT value FROM counters WHERE name = ?", (name,)).fetchone()
            value = start if row is None else row[0] + 1
            self._db.execute(
                "INSERT INTO counters (name, value) VALUES (?, ?) "
                "ON CONFLICT(name) DO UPDATE SET value = excluded.value",
                (name, value),
            )
            return value

    def reset(self) -> None:
        """Forget every object and counter."""
        with self.transaction():
            self._db.execute("DELETE FROM objects")
            self._db.execute("DELETE FROM counters")
            self._cache.clear()

    def close(self) -> None:
        """Close the database connection."""
        with self._lock:
            self._db.close()
