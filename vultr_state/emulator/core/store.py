"""SQLite persistence of the emulated account: one JSON blob row per object, in insertion order.

Used by the handlers (through ``models``) and by the inspection helpers. ``:memory:`` (the default) is for
tests; a file path keeps the account across restarts (WAL journal). One connection is shared by all request
threads behind a re-entrant lock; ``transaction()`` makes a read-modify-write atomic.

Objects are immutable values (the frozen records of ``models``); each kind has a ``Codec`` turning them into
JSON-ready dictionaries and back. SQLite is the source of truth, and decoded objects are also kept in a
write-through cache per kind, so listing 10,000 servers decodes nothing (a rolled-back transaction empties
the cache). The store knows nothing about either wire.

Fault injection can hide objects for a while (``hide``): a hidden object is left out of ``get``, ``all``
and ``count`` until the store's clock passes its time, as if the service had not indexed it yet. Hiding
is run-time state, not persisted. ``recording_inserts`` tells which objects one call created.
"""

from __future__ import annotations

import json
import sqlite3
import threading
import time
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
        clock: The time used to end hiding (the emulator's clock).
    """

    def __init__(
        self, codecs: Mapping[str, Codec], path: str = ":memory:", clock: Callable[[], float] = time.time
    ) -> None:
        self.path = path
        self._clock = clock
        self._hidden: dict[tuple[str, str], float] = {}
        self._recording = threading.local()
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

    def load_all(self) -> None:
        """Decode every stored object into the cache now, in one query, rather than on each kind's first
        use: an emulator serving a state file calls this at start, so its first list answers as fast as
        the next one (the figures of ``benchmarks/`` hold the client's work, not the emulator's boot)."""
        with self._lock:
            loaded: dict[str, dict[str, Any]] = {kind: {} for kind in self._codecs}
            rows = self._db.execute("SELECT kind, id, data FROM objects ORDER BY seq")
            for kind, object_id, data in rows:
                loaded[kind][object_id] = self._codecs[kind].decode(json.loads(data))
            self._cache = loaded

    def insert(self, kind: str, object_id: str, value: Any) -> None:
        """Add a new object at the end of its kind's order."""
        with self.transaction():
            objects = self._objects(kind)
            data = json.dumps(self._codecs[kind].encode(value))
            self._db.execute("INSERT INTO objects (kind, id, data) VALUES (?, ?, ?)", (kind, object_id, data))
            objects[object_id] = value
        created = getattr(self._recording, "created", None)
        if created is not None:
            created.append((kind, object_id))

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

    @contextmanager
    def recording_inserts(self) -> Iterator[list[tuple[str, str]]]:
        """Collect the (kind, id) of every object inserted by this thread inside the block."""
        created: list[tuple[str, str]] = []
        self._recording.created = created
        try:
            yield created
        finally:
            self._recording.created = None

    def hide(self, kind: str, object_id: str, until: float) -> None:
        """Leave an object out of every read until the clock reaches ``until``."""
        with self._lock:
            self._hidden[(kind, object_id)] = until

    def hidden(self, kind: str) -> frozenset[str]:
        """Ids of a kind hidden now (tests inspect them); expired marks are dropped."""
        with self._lock:
            if not self._hidden:
                return frozenset()
            now = self._clock()
            for key in [key for key, until in self._hidden.items() if until <= now]:
                del self._hidden[key]
            return frozenset(object_id for hidden_kind, object_id in self._hidden if hidden_kind == kind)

    def get(self, kind: str, object_id: str) -> Any | None:
        """One object, or ``None`` (also while it is hidden)."""
        with self._lock:
            if self._hidden and object_id in self.hidden(kind):
                return None
            return self._objects(kind).get(object_id)

    def all(self, kind: str) -> list[Any]:
        """Every visible object of a kind, in insertion order."""
        with self._lock:
            objects = self._objects(kind)
            hidden = self.hidden(kind)
            if hidden:
                return [value for object_id, value in objects.items() if object_id not in hidden]
            return list(objects.values())

    def count(self, kind: str) -> int:
        """Number of visible objects of a kind."""
        with self._lock:
            return len(self._objects(kind)) - len(self.hidden(kind) & self._objects(kind).keys())

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
            self._hidden.clear()

    def close(self) -> None:
        """Close the database connection."""
        with self._lock:
            self._db.close()
