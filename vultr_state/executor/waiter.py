"""The shared waiter: one background poller that watches every pending server and snapshot at once.

Steps (``executor.steps``) ask it to ``watch`` an object until a condition holds and get a
``concurrent.futures.Future`` back; the scheduler waits on that future without holding a worker slot.
Each round the poller calls each lister (the provider's ``list_servers``, ``list_snapshots``) ONCE for
all the objects of that kind being watched, never once per object. The interval adapts: it starts at
``min_interval``, stretches towards ``max_interval`` while nothing becomes ready, and snaps back when
something does. Time comes from an injected ``clock``/``sleep`` so tests run without real waiting.
"""

from __future__ import annotations

import logging
import threading
from collections.abc import Callable, Mapping
from concurrent.futures import Future
from dataclasses import dataclass, field
from typing import Any

from vultr_state.errors import ApiError, VultrStateError, WaitCancelled, WaitTimedOut
from vultr_state.model.live import LiveServer, LiveSnapshot

log = logging.getLogger(__name__)

Listing = Mapping[str, Any]  # id -> a neutral model object (LiveServer, LiveSnapshot)
Ready = Callable[[Any], bool]

MISSING_ROUNDS = 3  # an object absent from this many consecutive listings has disappeared
LIST_FAILURES = 5  # consecutive failed listings before every watch of that kind fails


@dataclass(slots=True)
class _Watch:
    kind: str
    object_id: str
    ready: Ready
    what: str
    deadline: float
    future: Future = field(default_factory=Future)
    last_state: str = "not listed yet"
    missing: int = 0
    seen: bool = False


def describe_state(obj: LiveServer | LiveSnapshot) -> str:
    """A short human description of a listed server or snapshot, for timeout messages."""
    if isinstance(obj, LiveSnapshot):
        return f"status {obj.state or 'unknown'}"
    parts = [f"status {obj.install.phase}", f"state {obj.install}"]
    if obj.power:
        parts.append(f"power {obj.power}")
    parts.append(f"main_ip {obj.main_ip or 'unassigned'}")
    return ", ".join(parts)


class Waiter:
    """Polls list endpoints on behalf of every in-flight wait.

    Args:
        listers: For each watched kind (``"server"``, ``"snapshot"``), a function returning the current
            listing as a mapping id -> model object (from ``list_servers``/``list_snapshots``).
        timeout: Seconds an object may take to reach its state before its wait fails.
        clock: Current time in seconds.
        sleep: Blocks for the given seconds.
        min_interval: Shortest pause between two rounds.
        max_interval: Longest pause between two rounds.
    """

    def __init__(
        self,
        listers: Mapping[str, Callable[[], Listing]],
        *,
        timeout: float,
        clock: Callable[[], float],
        sleep: Callable[[float], None],
        min_interval: float = 2.0,
        max_interval: float = 5.0,
    ):
        self._listers = dict(listers)
        self._timeout = timeout
        self._clock = clock
        self._sleep = sleep
        self._min = min_interval
        self._max = max_interval
        self._interval = min_interval
        self._watches: list[_Watch] = []
        self._failures: dict[str, int] = {}
        self._cond = threading.Condition()
        self._closed = False
        self._thread: threading.Thread | None = None

    def watch(self, kind: str, object_id: str, ready: Ready, what: str) -> Future:
        """Start waiting for ``object_id`` of ``kind`` until ``ready(listed_object)`` is true.

        Args:
            kind: A key of ``listers``.
            object_id: The id to look for in each listing.
            ready: Predicate over the listed object; it may raise a ``VultrStateError`` to fail the wait
                at once when the state can no longer be reached.
            what: What is awaited, for messages (e.g. ``"server web-1 (123) to be active"``).

        Returns:
            A future resolved with the listed object once ready, or failed with ``WaitTimedOut``,
            ``WaitCancelled`` or the ``ApiError`` that made listing impossible.
        """
        item = _Watch(kind, object_id, ready, what, self._clock() + self._timeout)
        with self._cond:
            if self._closed:
                item.future.set_exception(WaitCancelled(f"stopped before waiting for {what}"))
                return item.future
            self._watches.append(item)
            self._interval = self._min
            if self._thread is None:
                self._thread = threading.Thread(target=self._run, name="vultr-state-waiter", daemon=True)
                self._thread.start()
            self._cond.notify_all()
        return item.future

    def close(self) -> None:
        """Stop polling; every wait still outstanding fails with ``WaitCancelled``."""
        with self._cond:
            self._closed = True
            watches, self._watches = self._watches, []
            self._cond.notify_all()
        for item in watches:
            item.future.set_exception(
                WaitCancelled(f"stopped while waiting for {item.what} (last seen: {item.last_state})")
            )

    def _run(self) -> None:
        while True:
            with self._cond:
                while not self._watches and not self._closed:
                    self._cond.wait()
                if self._closed:
                    return
                interval = self._interval
            self._sleep(interval)
            try:
                self._poll_round()
            except Exception as exc:  # a bug must fail the waits, not leave them hanging forever
                log.debug("apply: waiter round failed", exc_info=True)
                self._finish(lambda _w: True, exc)

    def _poll_round(self) -> None:
        with self._cond:
            kinds = sorted({w.kind for w in self._watches})
        progressed = False
        for kind in kinds:
            try:
                listing = dict(self._listers[kind]())
            except ApiError as exc:
                self._listing_failed(kind, exc)
                continue
            self._failures[kind] = 0
            progressed |= self._settle(kind, listing)
        with self._cond:
            self._interval = self._min if progressed else min(self._interval * 1.5, self._max)

    def _listing_failed(self, kind: str, exc: ApiError) -> None:
        failures = self._failures.get(kind, 0) + 1
        self._failures[kind] = failures
        log.warning("apply: listing %ss failed (%s); %d in a row", kind, exc, failures)
        if failures >= LIST_FAILURES or not exc.retryable:
            self._finish(lambda w: w.kind == kind, exc)

    def _settle(self, kind: str, listing: dict[str, Any]) -> bool:
        now = self._clock()
        resolved: list[tuple[_Watch, Any]] = []
        with self._cond:
            for item in [w for w in self._watches if w.kind == kind]:
                obj = listing.get(item.object_id)
                outcome = self._judge(item, obj, now)
                if outcome is not None:
                    self._watches.remove(item)
                    resolved.append((item, outcome))
        for item, outcome in resolved:
            if isinstance(outcome, BaseException):
                item.future.set_exception(outcome)
            else:
                item.future.set_result(outcome)
        return any(not isinstance(outcome, BaseException) for _, outcome in resolved)

    def _judge(self, item: _Watch, obj: Any, now: float) -> object | None:
        """The listed object when ready, an exception when the wait is over, None to keep waiting."""
        if obj is None:
            item.missing += 1
            if item.seen and item.missing >= MISSING_ROUNDS:
                return WaitTimedOut(f"gave up waiting for {item.what}: it is no longer listed")
        else:
            item.seen, item.missing = True, 0
            item.last_state = describe_state(obj)
            try:
                if item.ready(obj):
                    return obj
            except VultrStateError as exc:  # the predicate knows the state can never be reached
                return exc
        if now >= item.deadline:
            return WaitTimedOut(
                f"timed out after {self._timeout:g}s waiting for {item.what} (last seen: {item.last_state})"
            )
        return None

    def _finish(self, match: Callable[[_Watch], bool], exc: BaseException) -> None:
        with self._cond:
            failing = [w for w in self._watches if match(w)]
            self._watches = [w for w in self._watches if not match(w)]
        for item in failing:
            item.future.set_exception(exc)
