"""The scheduler: runs plan actions in dependency order with bounded parallelism.

Called by ``executor.runner``. Each action's step (``executor.steps``) runs on a worker thread of a
``ThreadPoolExecutor`` with ``parallelism`` workers; a step that must wait for an object (a server to
become active, a snapshot to complete) hands back a future from the shared waiter, and the action stays
in flight without holding a worker. Ready actions start in plan order. The first failure stops new
work; actions in flight finish; the rest are reported as not started. A first Ctrl-C does the same
(and cancels outstanding waits); a second one abandons the wait for in-flight calls.
"""

from __future__ import annotations

import base64
import logging
from collections.abc import Callable, Iterable, Sequence
from concurrent.futures import FIRST_COMPLETED, Future, ThreadPoolExecutor, wait
from dataclasses import dataclass
from typing import Any

from vultr_state.errors import VultrStateError, WaitCancelled
from vultr_state.executor.result import ActionResult, ApplyResult, Status
from vultr_state.model.plan import Action, ActionType, Kind, ReverseDnsSpec, ServerSpec, SnapshotSpec

log = logging.getLogger(__name__)

_TICK = 0.25  # seconds between checks for Ctrl-C while waiting on futures


@dataclass(frozen=True, slots=True)
class StepOutcome:
    """What a step returns.

    ``object_id`` is the id the action produced or kept. ``wait``, when set, is a waiter future the
    action must see resolved before it is done; ``then``, when set too, runs on a worker with the
    future's result (the listed object) and returns the next outcome (e.g. halt a server once active).
    """

    object_id: str | None = None
    wait: Future | None = None
    then: Callable[[Any], StepOutcome] | None = None


@dataclass(frozen=True, slots=True)
class _Flight:
    """An in-flight future: whose it is, the id known so far, and (for a wait) the outcome it belongs to."""

    action: Action
    object_id: str | None
    outcome: StepOutcome | None = None


class ProgressSink:
    """The callbacks the scheduler reports to (``executor.progress`` implements them)."""

    def started(self, action: Action) -> None:
        """An action began."""

    def finished(self, result: ActionResult) -> None:
        """An action ended (done or failed)."""

    def note(self, text: str) -> None:
        """A free-form line (e.g. the interrupt notice)."""

    def summary(self, result: ApplyResult) -> None:
        """The apply is over: report its result."""


def build_graph(actions: Sequence[Action]) -> dict[str, frozenset[str]]:
    """The prerequisites of every action: its ``depends_on`` plus the references its spec implies.

    Implied edges make the order safe even when a plan omits one: a server waits for the keys, script
    and snapshot it names, reverse DNS and snapshots wait for their server. Only keys present in the
    plan count (an object the plan does not touch already exists).

    Args:
        actions: The plan's actions.

    Returns:
        A mapping action key -> keys that must be done first.
    """
    keys = {a.key for a in actions}
    graph: dict[str, frozenset[str]] = {}
    for action in actions:
        wanted = set(action.depends_on) | set(_implied(action))
        wanted.discard(action.key)
        graph[action.key] = frozenset(k for k in wanted if k in keys)
    return graph


def _implied(action: Action) -> Iterable[str]:
    spec = action.spec
    if isinstance(spec, ServerSpec) and action.type is not ActionType.UPDATE:
        yield from (f"{Kind.SSH_KEY}:{name}" for name in spec.ssh_keys)
        if spec.startup_script:
            yield f"{Kind.STARTUP_SCRIPT}:{spec.startup_script}"
        if spec.snapshot:
            yield f"{Kind.SNAPSHOT}:{spec.snapshot}"
    elif isinstance(spec, ReverseDnsSpec | SnapshotSpec):
        yield f"{Kind.SERVER}:{spec.server}"


def failure_message(exc: BaseException, action: Action | None = None) -> str:
    """The text reported for a failed action: our error's own message, or a marked internal error whose
    text passes through redaction first (the action's secret spec fields - script body, public key, user
    data, plain and base64 - and sensitive JSON fields are masked)."""
    if isinstance(exc, VultrStateError):
        return str(exc)
    return f"internal error ({type(exc).__name__}): {_scrubber(action)(str(exc))}"


def _scrubber(action: Action | None) -> Callable[[str], str]:
    from vultr_state.http.redact import Scrubber  # only on this rare path: startup stays light

    values = [getattr(action.spec, name, None) for name in _SECRET_FIELDS] if action and action.spec else []
    texts = [v for v in values if isinstance(v, str) and v]
    return Scrubber([*texts, *(base64.b64encode(t.encode()).decode() for t in texts)])


_SECRET_FIELDS = ("public_key", "script", "user_data")


class Scheduler:
    """Runs one plan's actions; use once.

    Args:
        actions: The actions, in plan order.
        run_step: Executes one action's API calls on a worker thread.
        parallelism: Maximum number of steps calling the API at once.
        clock: Current time in seconds (for elapsed times).
        progress: Receives start / finish notifications.
        on_interrupt: Called once on the first Ctrl-C (the runner cancels outstanding waits).
        on_tick: Called on every turn of the loop (between steps and while waiting, about every
            quarter second); returning False stops new work as a failure does (the runner renews the
            registry lock here and stops when it is lost).
    """

    def __init__(
        self,
        actions: Sequence[Action],
        run_step: Callable[[Action], StepOutcome],
        *,
        parallelism: int,
        clock: Callable[[], float],
        progress: ProgressSink,
        on_interrupt: Callable[[], None] = lambda: None,
        on_tick: Callable[[], bool] = lambda: True,
    ):
        if parallelism < 1:
            raise ValueError(f"parallelism must be at least 1, not {parallelism}")
        self._actions = list(actions)
        self._graph = build_graph(self._actions)
        self._run_step = run_step
        self._parallelism = parallelism
        self._clock = clock
        self._progress = progress
        self._on_interrupt = on_interrupt
        self._on_tick = on_tick
        self._results: dict[str, ActionResult] = {}
        self._started: dict[str, float] = {}
        self._inflight: dict[Future, _Flight] = {}
        self._calls = 0
        self._pool: ThreadPoolExecutor | None = None
        self._stopping = False
        self.interrupted = False

    def run(self) -> tuple[ActionResult, ...]:
        """Run every action that can run; return one result per action, in plan order."""
        with ThreadPoolExecutor(max_workers=self._parallelism, thread_name_prefix="vultr-state") as pool:
            self._pool = pool
            while True:
                try:
                    if not self._on_tick():
                        self._stopping = True
                    if not self._stopping:
                        self._start_ready()
                    if not self._inflight:
                        break
                    self._wait_some()
                except KeyboardInterrupt:
                    if self.interrupted:
                        raise  # a second Ctrl-C: stop waiting for what is in flight
                    self._interrupt()
        return tuple(self._results.get(a.key) or self._not_started(a) for a in self._actions)

    def _submit(self, fn: Callable[[Any], StepOutcome], arg: Any) -> Future:
        assert self._pool is not None, "only called inside run()"
        return self._pool.submit(fn, arg)

    def _start_ready(self) -> None:
        for action in self._actions:
            if self._calls >= self._parallelism:
                return
            if action.key in self._started or not self._ready(action):
                continue
            self._started[action.key] = self._clock()
            self._progress.started(action)
            self._calls += 1
            self._inflight[self._submit(self._run_step, action)] = _Flight(action, None)

    def _ready(self, action: Action) -> bool:
        deps = self._graph[action.key]
        return all(self._results.get(d) is not None and self._results[d].status is Status.DONE for d in deps)

    def _interrupt(self) -> None:
        self.interrupted = self._stopping = True
        self._progress.note(
            f"Interrupted: finishing {len(self._inflight)} action(s) in flight (Ctrl-C again to abandon)."
        )
        self._on_interrupt()

    def _wait_some(self) -> None:
        done, _ = wait(list(self._inflight), timeout=_TICK, return_when=FIRST_COMPLETED)
        for future in done:
            flight = self._inflight.pop(future)
            if flight.outcome is None:
                self._calls -= 1
                self._step_finished(flight, future)
            else:
                self._wait_finished(flight, future)

    def _step_finished(self, flight: _Flight, future: Future) -> None:
        exc = future.exception()
        if exc is not None:
            self._finish(flight.action, Status.FAILED, flight.object_id, exc)
            return
        outcome: StepOutcome = future.result()
        object_id = outcome.object_id or flight.object_id
        if outcome.wait is None:
            self._finish(flight.action, Status.DONE, object_id)
        else:
            self._inflight[outcome.wait] = _Flight(flight.action, object_id, outcome)

    def _wait_finished(self, flight: _Flight, future: Future) -> None:
        exc = future.exception()
        then = flight.outcome.then if flight.outcome else None
        if exc is not None or then is None:
            self._finish(flight.action, Status.FAILED if exc else Status.DONE, flight.object_id, exc)
            return
        self._calls += 1
        self._inflight[self._submit(then, future.result())] = _Flight(flight.action, flight.object_id)

    def _finish(
        self, action: Action, status: Status, object_id: str | None, exc: BaseException | None = None
    ) -> None:
        message = ""
        if exc is not None:
            message = failure_message(exc, action)
            if not isinstance(exc, VultrStateError):
                log.debug("apply: %s raised", action.key, exc_info=exc)
            self._stopping = True
        result = ActionResult(
            action,
            status,
            object_id,
            message,
            elapsed=self._clock() - self._started[action.key],
            wait_cancelled=isinstance(exc, WaitCancelled),
        )
        self._results[action.key] = result
        self._progress.finished(result)

    def _not_started(self, action: Action) -> ActionResult:
        blocked = sorted(d for d in self._graph[action.key] if d not in self._results)
        reason = f"waiting on {', '.join(blocked)}" if blocked and not self._stopping else ""
        return ActionResult(action, Status.NOT_STARTED, message=reason)
