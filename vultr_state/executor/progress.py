"""Progress reporting for apply: one line per action start and finish, and a final summary.

The scheduler calls ``started``/``finished``/``note`` from several threads; the runner calls ``summary``
once at the end. ``PlainProgress`` writes plain lines (logs, CI); ``LiveProgress`` writes the same lines
on a terminal and keeps a status line under them (done / running counts and elapsed time) that is
redrawn every second; without a terminal, ``PlainProgress`` adds a heartbeat line ("still creating
server.web-1 [20s elapsed]") at most every 20 s while actions run that long. ``make_progress`` picks
one for a stream. Nothing here prints a secret: lines
carry kinds, names, ids, times and Vultr's error texts only.
"""

from __future__ import annotations

import threading
import time
from collections.abc import Callable, Sequence
from typing import TextIO

from vultr_state.executor.result import (
    ActionResult,
    ApplyResult,
    Status,
    action_label,
    done_word,
    format_elapsed,
)
from vultr_state.executor.scheduler import ProgressSink
from vultr_state.model.plan import Action, ActionType, Kind

SYMBOLS = {
    ActionType.CREATE: "+",
    ActionType.UPDATE: "~",
    ActionType.REINSTALL: "!",
    ActionType.REPLACE: "-/+",
    ActionType.DESTROY: "-",
    ActionType.PRUNE: "-",
    ActionType.ADOPT: "=",
}

_ONGOING = {
    ActionType.CREATE: "creating",
    ActionType.UPDATE: "updating",
    ActionType.REINSTALL: "reinstalling",
    ActionType.REPLACE: "replacing",
    ActionType.DESTROY: "destroying",
    ActionType.PRUNE: "pruning",
    ActionType.ADOPT: "adopting",
}

_SHOWS_ID = {ActionType.CREATE, ActionType.REPLACE, ActionType.ADOPT}
HEARTBEAT_SECONDS = 20.0  # without a terminal, a "still ..." line at most this often during long waits
_NAMED = 3  # names listed in one heartbeat line


def _ongoing(action: Action) -> str:
    return "recording" if action.records_only else _ONGOING[action.type]


def start_line(action: Action) -> str:
    """``+ server.web-1: creating...`` (``recording...`` for an update that calls no API)."""
    return f"{SYMBOLS[action.type]} {action_label(action)}: {_ongoing(action)}..."


def finish_line(result: ActionResult) -> str:
    """``+ server.web-1: created 1234567 in 41.2s`` or ``... FAILED after 3.0s: <message>``."""
    action = result.action
    head = f"{SYMBOLS[action.type]} {action_label(action)}"
    elapsed = format_elapsed(result.elapsed)
    if result.created_not_ready:
        return f"{head}: created {result.object_id}, not active yet (the apply was interrupted while waiting)"
    if result.status is Status.FAILED:
        return f"{head}: FAILED after {elapsed}: {result.message}"
    shows_id = action.type in _SHOWS_ID and action.kind is not Kind.REVERSE_DNS
    shown_id = f" {result.object_id}" if result.object_id and shows_id else ""
    return f"{head}: {done_word(action)}{shown_id} in {elapsed}"


def summary_lines(result: ApplyResult) -> list[str]:
    """The closing report: the summary line, then every failure and every action not started."""
    lines = [result.summary()]
    for created in result.created_not_ready:
        shown = f"{created.label} {created.object_id}"
        lines.append(f"  created, not active yet: {shown} (the project owns it; apply again to finish)")
    for failed in result.failed:
        lines.append(f"  failed: {failed.label}: {failed.message}")
    for skipped in result.not_started:
        detail = f" ({skipped.message})" if skipped.message else ""
        lines.append(f"  not started: {skipped.label}{detail}")
    return lines


def heartbeat_lines(running: Sequence[tuple[Action, float]], now: float, at_least: float) -> list[str]:
    """``still creating server.web-1, server.web-2 [40s elapsed]``: one line per kind of work for the
    actions running for ``at_least`` seconds or more (``running`` holds each action and its start time);
    the elapsed time is the longest-running one's, at most three names are listed."""
    groups: dict[str, list[tuple[Action, float]]] = {}
    for action, began in running:
        if now - began >= at_least:
            groups.setdefault(_ongoing(action), []).append((action, began))
    lines = []
    for ongoing, members in groups.items():
        names = [action_label(action) for action, _ in members]
        shown = ", ".join(names[:_NAMED])
        more = f" and {len(names) - _NAMED} more" if len(names) > _NAMED else ""
        elapsed = int(now - min(began for _, began in members))
        lines.append(f"still {ongoing} {shown}{more} [{elapsed}s elapsed]")
    return lines


class PlainProgress(ProgressSink):
    """Writes one plain line per event to ``stream`` (thread-safe).

    With ``heartbeat`` seconds set (the CLI does without a terminal), long waits do not look like a
    hang in a CI log: ``beat()`` writes a "still creating ..." line for the actions running that long,
    at most once per ``heartbeat`` seconds. ``start_heartbeat()`` (``make_progress`` calls it) runs it
    on a daemon thread once a second until ``summary``; tests call ``beat()`` with an injected ``clock``.
    """

    def __init__(
        self, stream: TextIO, *, heartbeat: float | None = None, clock: Callable[[], float] = time.monotonic
    ):
        self._stream = stream
        self._lock = threading.Lock()
        self._heartbeat = heartbeat
        self._clock = clock
        self._running: dict[str, tuple[Action, float]] = {}
        self._last_beat = clock()
        self._stop = threading.Event()
        self._beater: threading.Thread | None = None

    def _write(self, line: str) -> None:
        with self._lock:
            self._stream.write(line + "\n")
            self._stream.flush()

    def started(self, action: Action) -> None:
        with self._lock:
            self._running[action.key] = (action, self._clock())
        self._write(start_line(action))

    def finished(self, result: ActionResult) -> None:
        with self._lock:
            self._running.pop(result.action.key, None)
        self._write(finish_line(result))

    def note(self, text: str) -> None:
        self._write(text)

    @property
    def heartbeat(self) -> float | None:
        """Seconds between heartbeat lines (None: no heartbeat)."""
        return self._heartbeat

    def beat(self) -> None:
        """Write the heartbeat lines if ``heartbeat`` seconds passed since the last ones (or the start)."""
        if self._heartbeat is None:
            return
        with self._lock:
            now = self._clock()
            if now - self._last_beat < self._heartbeat:
                return
            lines = heartbeat_lines(list(self._running.values()), now, self._heartbeat)
            if lines:
                self._last_beat = now
        for line in lines:
            self._write(line)

    def start_heartbeat(self) -> None:
        """Call ``beat()`` once a second on a daemon thread until ``summary``."""
        if self._heartbeat is None or self._beater is not None:
            return
        self._beater = threading.Thread(target=self._beat_loop, name="vultr-state-heartbeat", daemon=True)
        self._beater.start()

    def _beat_loop(self) -> None:
        while not self._stop.wait(1.0):
            self.beat()

    def summary(self, result: ApplyResult) -> None:
        """Stop the heartbeat and write the closing report."""
        self._stop.set()
        if self._beater is not None:
            self._beater.join()
        for line in summary_lines(result):
            self._write(line)


class LiveProgress(PlainProgress):
    """Like ``PlainProgress``, plus a status line kept at the bottom of a terminal and redrawn each second.

    Args:
        stream: A terminal.
        total: Number of actions in the plan.
        clock: Wall clock for the elapsed time shown.
    """

    def __init__(self, stream: TextIO, total: int, clock: Callable[[], float] = time.monotonic):
        super().__init__(stream)
        self._total = total
        self._clock = clock
        self._begin = clock()
        self._active = 0
        self._finished = 0
        self._failed = 0
        self._stop = threading.Event()
        self._ticker = threading.Thread(target=self._tick, name="vultr-state-progress", daemon=True)
        self._ticker.start()

    def _status(self) -> str:
        failed = f", {self._failed} failed" if self._failed else ""
        return (
            f"[{self._finished}/{self._total} done, {self._active} in progress{failed}] "
            f"{format_elapsed(self._clock() - self._begin)}"
        )

    def _write(self, line: str) -> None:
        with self._lock:
            # \r + "erase line" removes the status line, the event line takes its place, status is redrawn.
            self._stream.write(f"\r\x1b[2K{line}\n")
            if not self._stop.is_set():
                self._stream.write(self._status())
            self._stream.flush()

    def _tick(self) -> None:
        while not self._stop.wait(1.0):
            with self._lock:
                self._stream.write(f"\r\x1b[2K{self._status()}")
                self._stream.flush()

    def started(self, action: Action) -> None:
        with self._lock:
            self._active += 1
        super().started(action)

    def finished(self, result: ActionResult) -> None:
        with self._lock:
            self._active -= 1
            self._finished += 1
            self._failed += result.status is Status.FAILED and not result.created_not_ready
        super().finished(result)

    def summary(self, result: ApplyResult) -> None:
        self._stop.set()
        self._ticker.join()
        super().summary(result)


def make_progress(stream: TextIO, total: int) -> PlainProgress:
    """A live display when ``stream`` is a terminal, plain lines with a heartbeat during long waits
    otherwise (a CI log shows the apply is alive).

    Args:
        stream: Where progress goes (the CLI passes stdout).
        total: Number of actions in the plan.
    """
    isatty = getattr(stream, "isatty", None)
    if callable(isatty) and isatty():
        return LiveProgress(stream, total)
    progress = PlainProgress(stream, heartbeat=HEARTBEAT_SECONDS)
    progress.start_heartbeat()
    return progress
