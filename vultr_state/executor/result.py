"""What an apply did: one ``ActionResult`` per plan action and the ``ApplyResult`` that gathers them.

Built by ``executor.scheduler`` (per action) and ``executor.runner`` (the whole run); read by the
progress reporter (summary line), the registry writer (which ids to record) and the CLI (exit code).
Messages are Vultr's own texts or ours; they never contain a secret.
"""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum

from vultr_state.model.plan import Action, ActionType

_CREATING = (ActionType.CREATE, ActionType.REPLACE)


class Status(StrEnum):
    """How one action ended."""

    DONE = "done"
    FAILED = "failed"
    NOT_STARTED = "not started"


@dataclass(frozen=True, slots=True)
class ActionResult:
    """The outcome of one plan action.

    ``object_id`` is the id of the object the action produced or kept (a new server's id, an adopted id); it
    may be set on a failed action too (a server created but not yet active when the apply stopped),
    so that the registry still records it as owned.
    """

    action: Action
    status: Status
    object_id: str | None = None
    message: str = ""
    elapsed: float = 0.0
    wait_cancelled: bool = False  # the apply was interrupted while this action waited for its object

    @property
    def label(self) -> str:
        """The short name shown in progress lines, e.g. ``server.web-1``."""
        return action_label(self.action)

    @property
    def created_not_ready(self) -> bool:
        """True for a create (or replace) whose object exists but was not yet ready when the apply was
        interrupted: it was created, and the registry owns it; only the wait was cut short."""
        return (
            self.status is Status.FAILED
            and self.wait_cancelled
            and self.object_id is not None
            and self.action.type in _CREATING
        )


@dataclass(frozen=True, slots=True)
class ApplyResult:
    """The outcome of a whole apply, in plan order."""

    results: tuple[ActionResult, ...] = ()
    elapsed: float = 0.0
    interrupted: bool = False
    registry_written: bool = False

    def with_status(self, status: Status) -> tuple[ActionResult, ...]:
        """The results that ended with ``status``."""
        return tuple(r for r in self.results if r.status is status)

    @property
    def done(self) -> tuple[ActionResult, ...]:
        """Actions that completed."""
        return self.with_status(Status.DONE)

    @property
    def failed(self) -> tuple[ActionResult, ...]:
        """Actions that were started and failed (or were cut short by an interrupt), except the creates
        whose object exists and was only not ready yet (``created_not_ready``)."""
        return tuple(r for r in self.with_status(Status.FAILED) if not r.created_not_ready)

    @property
    def created_not_ready(self) -> tuple[ActionResult, ...]:
        """Creates whose object exists but was not ready when the apply was interrupted."""
        return tuple(r for r in self.results if r.created_not_ready)

    @property
    def not_started(self) -> tuple[ActionResult, ...]:
        """Actions never started because the apply stopped first."""
        return self.with_status(Status.NOT_STARTED)

    @property
    def ok(self) -> bool:
        """True when every action completed."""
        return not self.interrupted and all(r.status is Status.DONE for r in self.results)

    def summary(self) -> str:
        """One line: counts per action type (or done / failed / not started) and the elapsed time."""
        elapsed = format_elapsed(self.elapsed)
        if self.ok:
            counts = _count_types(self.results)
            return f"Apply complete: {counts or 'nothing to do'} in {elapsed}."
        head = "Apply interrupted" if self.interrupted else "Apply failed"
        pending = self.created_not_ready
        created = f"{len(pending)} created (not active yet), " if pending else ""
        return (
            f"{head}: {len(self.done)} done, {created}{len(self.failed)} failed, "
            f"{len(self.not_started)} not started in {elapsed}."
        )


_PAST = {
    ActionType.CREATE: "created",
    ActionType.UPDATE: "updated",
    ActionType.REINSTALL: "reinstalled",
    ActionType.REPLACE: "replaced",
    ActionType.DESTROY: "destroyed",
    ActionType.PRUNE: "pruned",
    ActionType.ADOPT: "adopted",
}


RECORDED = "recorded"  # an update that calls no API (``Action.records_only``) is not "updated"


def past_tense(action_type: ActionType) -> str:
    """``created``, ``updated``... for an action type."""
    return _PAST[action_type]


def done_word(action: Action) -> str:
    """What a finished action did: its type's past tense, or ``recorded`` when it called no API."""
    return RECORDED if action.records_only else past_tense(action.type)


def action_label(action: Action) -> str:
    """``<kind>.<name>``, e.g. ``server.web-1`` or ``reverse_dns.web-1``."""
    return f"{action.kind.value}.{action.name}"


def format_elapsed(seconds: float) -> str:
    """``4.2s`` below a minute, ``3m07s`` above."""
    if seconds < 60:
        return f"{seconds:.1f}s"
    minutes, secs = divmod(round(seconds), 60)
    return f"{minutes}m{secs:02d}s"


def _count_types(results: tuple[ActionResult, ...]) -> str:
    words = [past_tense(action_type) for action_type in ActionType]
    words.insert(words.index(past_tense(ActionType.UPDATE)) + 1, RECORDED)
    parts = []
    for word in words:
        n = sum(1 for r in results if done_word(r.action) == word)
        if n:
            parts.append(f"{n} {word}")
    return ", ".join(parts)
