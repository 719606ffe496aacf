"""Progress reporting for apply: one line per action start and finish, and a final summary.

The scheduler calls ``started``/``finished``/``note`` from several threads; the runner calls ``summary``
once at the end. ``PlainProgress`` writes plain lines (logs, CI); ``LiveProgress`` writes the same lines
on a terminal and keeps a status line under them (done / running counts and elapsed time) that is
redrawn every second. ``make_progress`` picks one for a stream. Nothing here prints a secret: lines
carry kinds, names, ids, times and Vultr's error texts only.
"""

from __future__ import annotations

import threading
import time
from collections.abc import Callable
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


def start_line(action: Action) -> str:
    """``+ server.web-1: creating...`` (``recording...`` for an update that calls no API)."""
    ongoing = "recording" if action.records_only else _ONGOING[action.type]
    return f"{SYMBOLS[action.type]} {action_label(action)}: {ongoing}..."


def finish_line(result: ActionResult) -> str:
    """``+ server.web-1: created 1234567 in 41.2s`` or ``... FAILED after 3.0s: <message>``."""
    action = result.action
    head = f"{SYMBOLS[action.type]} {action_label(action)}"
    elapsed = format_elapsed(result.elapsed)
    if result.status is Status.FAILED:
        return f"{head}: FAILED after {elapsed}: {result.message}"
    shows_id = action.type in _SHOWS_ID and action.kind is not Kind.REVERSE_DNS
    shown_id = f" {result.object_id}" if result.object_id and shows_id else ""
    return f"{head}: {done_word(action)}{shown_id} in {elapsed}"


def summary_lines(result: ApplyResult) -> list[str]:
    """The closing report: the summary line, then every failure and every action not started."""
    lines = [result.summary()]
    for failed in result.failed:
        lines.append(f"  failed: {failed.label}: {failed.message}")
    for skipped in result.not_started:
        detail = f" ({skipped.message})" if skipped.message else ""
        lines.append(f"  not started: {skipped.label}{detail}")
    return lines


class PlainProgress(ProgressSink):
    """Writes one plain line per event to ``stream`` (thread-safe)."""

    def __init__(self, stream: TextIO):
        self._stream = stream
        self._lock = threading.Lock()

    def _write(self, line: str) -> None:
        with self._lock:
            self._stream.write(line + "\n")
            self._stream.flush()

    def started(self, action: Action) -> None:
        self._write(start_line(action))

    def finished(self, result: ActionResult) -> None:
        self._write(finish_line(result))

    def note(self, text: str) -> None:
        self._write(text)

    def summary(self, result: ApplyResult) -> None:
        """Write the closing report."""
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
        self._running = 0
        self._finished = 0
        self._failed = 0
        self._stop = threading.Event()
        self._ticker = threading.Thread(target=self._tick, name="vultr-state-progress", daemon=True)
        self._ticker.start()

    def _status(self) -> str:
        failed = f", {self._failed} failed" if self._failed else ""
        return (
            f"[{self._finished}/{self._total} done, {self._running} in progress{failed}] "
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
            self._running += 1
        super().started(action)

    def finished(self, result: ActionResult) -> None:
        with self._lock:
            self._running -= 1
            self._finished += 1
            self._failed += result.status is Status.FAILED
        super().finished(result)

    def summary(self, result: ApplyResult) -> None:
        self._stop.set()
        self._ticker.join()
        super().summary(result)


def make_progress(stream: TextIO, total: int) -> PlainProgress:
    """A live display when ``stream`` is a terminal, plain lines otherwise.

    Args:
        stream: Where progress goes (the CLI passes stdout).
        total: Number of actions in the plan.
    """
    isatty = getattr(stream, "isatty", None)
    if callable(isatty) and isatty():
        return LiveProgress(stream, total)
    return PlainProgress(stream)
