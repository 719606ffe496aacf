"""Seeded, reproducible fault injection for API calls of both faces (never for the ``/_emulator/`` path).

Each face asks the shared ``FaultGate`` once per API call, before processing it, and runs the call through
``guarded``; the gate holds the injector in force, which ``Emulator.faults`` replaces at run time. Every
call draws the same four values from ``random.Random(seed)``, so the n-th call of a run always meets the
same fault whatever the earlier outcomes were. Outcomes, checked in this order:

* ``drop``: the connection is closed before anything is processed (``DropConnection`` raised at once);
* throttle bursts (v1: 503, v2: 429): calls ``every - length .. every - 1`` of each period of ``every`` calls;
* ``500``: a share of calls, answered before anything is processed;
* ``commit_drop``: the call is processed and committed, then ``DropConnection`` is raised instead of the
  answer (the HTTP server closes the socket without a response; the in-process adapter raises
  ``requests.exceptions.ConnectionError``). With ``hide_lost_creates_seconds``, whatever the call created
  stays invisible for that long (``Store.hide``).

Added latency (``latency_ms`` plus uniform jitter) applies to every call that is not dropped at once.
"""

from __future__ import annotations

import random
import threading
from collections.abc import Callable
from dataclasses import dataclass
from enum import Enum

from vultr_state.emulator.core.config import FaultConfig
from vultr_state.emulator.core.reply import Reply
from vultr_state.emulator.core.store import Store


class DropConnection(Exception):
    """Raised from the WSGI app when the transport must close the connection without answering."""


class Outcome(Enum):
    """What happens to one API call."""

    NONE = "none"
    DROP = "drop"
    ERROR_503 = "503"
    ERROR_500 = "500"
    COMMIT_DROP = "commit_drop"


@dataclass(frozen=True, slots=True)
class Decision:
    """The fault chosen for one call: an outcome and a delay in seconds."""

    outcome: Outcome
    delay: float
    hide_seconds: float = 0.0  # commit_drop only: how long what the call created stays invisible


NO_FAULT = Decision(Outcome.NONE, 0.0)


class FaultInjector:
    """Decides, call by call, which fault to inject.

    Args:
        config: The fault settings; a new injector restarts the random stream and the call counter.
    """

    def __init__(self, config: FaultConfig) -> None:
        self.config = config
        self._random = random.Random(config.seed)
        self._calls = 0
        self._lock = threading.Lock()

    def decide(self) -> Decision:
        """The decision for the next API call."""
        config = self.config
        if not config.enabled:
            return NO_FAULT
        with self._lock:
            index = self._calls
            self._calls += 1
            draw_drop, draw_500, draw_commit, draw_jitter = (self._random.random() for _ in range(4))
        delay = (config.latency_ms + draw_jitter * config.latency_jitter_ms) / 1000.0
        if draw_drop < config.drop_rate:
            return Decision(Outcome.DROP, 0.0)
        every, length = config.burst_503_every, config.burst_503_length
        if every > 0 and length > 0 and index % every >= every - length:
            return Decision(Outcome.ERROR_503, delay)
        if draw_500 < config.error_500_rate:
            return Decision(Outcome.ERROR_500, delay)
        if draw_commit < config.commit_drop_rate:
            return Decision(Outcome.COMMIT_DROP, delay, config.hide_lost_creates_seconds)
        return Decision(Outcome.NONE, delay)


class FaultGate:
    """The fault injector in force, shared by both faces; ``config`` can be replaced at run time.

    Args:
        config: The initial fault settings.
    """

    def __init__(self, config: FaultConfig) -> None:
        self._injector = FaultInjector(config)

    @property
    def config(self) -> FaultConfig:
        """The settings in force; assigning new ones restarts their random stream."""
        return self._injector.config

    @config.setter
    def config(self, config: FaultConfig) -> None:
        self._injector = FaultInjector(config)

    def decide(self) -> Decision:
        """The decision for the next API call."""
        return self._injector.decide()


def guarded(
    decision: Decision,
    handle: Callable[[], Reply],
    *,
    path: str,
    sleep: Callable[[float], None],
    throttled: Callable[[], Reply],
    failed: Callable[[], Reply],
    store: Store,
    clock: Callable[[], float],
) -> Reply:
    """Run one API call under ``decision``: drop, delay, answer a fault in the face's dialect
    (``throttled``/``failed``), or ``handle`` it, dropping the answer after a commit-then-drop (and hiding
    what it created for ``decision.hide_seconds``)."""
    if decision.outcome is Outcome.DROP:
        raise DropConnection(path)
    if decision.delay > 0:
        sleep(decision.delay)
    if decision.outcome is Outcome.ERROR_503:
        return throttled()
    if decision.outcome is Outcome.ERROR_500:
        return failed()
    if decision.outcome is not Outcome.COMMIT_DROP:
        return handle()
    with store.recording_inserts() as created:
        handle()
    if decision.hide_seconds > 0:
        until = clock() + decision.hide_seconds
        for kind, object_id in created:
            store.hide(kind, object_id, until)
    raise DropConnection(path)
