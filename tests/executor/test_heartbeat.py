"""Without a terminal, long waits print a heartbeat line at most every 20 s ("still creating
server.web-1 [20s elapsed]"), driven here by an injected clock: no thread, no sleeping, no wall clock."""

from __future__ import annotations

import io

from vultr_state.executor.progress import HEARTBEAT_SECONDS, LiveProgress, PlainProgress, make_progress
from vultr_state.executor.result import ActionResult, ApplyResult, Status
from vultr_state.model.plan import Action, ActionType, Kind


class Clock:
    def __init__(self) -> None:
        self.now = 1000.0

    def __call__(self) -> float:
        return self.now


def _server(name: str, action_type: ActionType = ActionType.CREATE) -> Action:
    return Action(f"server:{name}", Kind.SERVER, name, action_type)


def _progress() -> tuple[PlainProgress, io.StringIO, Clock]:
    stream, clock = io.StringIO(), Clock()
    return PlainProgress(stream, heartbeat=20.0, clock=clock), stream, clock


def _beat_at(progress: PlainProgress, stream: io.StringIO, clock: Clock, now: float) -> str:
    clock.now = now
    before = len(stream.getvalue())
    progress.beat()
    return stream.getvalue()[before:]


def test_a_long_create_gets_a_heartbeat_at_most_every_20_seconds():
    progress, stream, clock = _progress()
    progress.started(_server("web-1"))
    assert _beat_at(progress, stream, clock, 1010.0) == ""  # not long yet
    assert _beat_at(progress, stream, clock, 1020.0) == "still creating server.web-1 [20s elapsed]\n"
    assert _beat_at(progress, stream, clock, 1030.0) == ""  # too soon after the last one
    assert _beat_at(progress, stream, clock, 1039.9) == ""
    assert _beat_at(progress, stream, clock, 1041.0) == "still creating server.web-1 [41s elapsed]\n"
    progress.finished(ActionResult(_server("web-1"), Status.DONE, "1"))
    assert _beat_at(progress, stream, clock, 1100.0) == ""  # nothing running: silence


def test_many_actions_share_one_line_per_kind_of_work():
    progress, stream, clock = _progress()
    for i in range(5):
        progress.started(_server(f"web-{i}"))
    progress.started(_server("db-1", ActionType.DESTROY))
    clock.now = 1005.0
    progress.started(_server("late", ActionType.REPLACE))  # running 15 s only at the beat: not listed
    assert _beat_at(progress, stream, clock, 1020.0) == (
        "still creating server.web-0, server.web-1, server.web-2 and 2 more [20s elapsed]\n"
        "still destroying server.db-1 [20s elapsed]\n"
    )


def test_no_heartbeat_unless_asked_for():
    stream, clock = io.StringIO(), Clock()
    quiet = PlainProgress(stream, clock=clock)
    quiet.started(_server("web-1"))
    before = stream.getvalue()
    assert _beat_at(quiet, stream, clock, 5000.0) == ""
    assert stream.getvalue() == before


def test_make_progress_gives_a_pipe_the_heartbeat_and_a_terminal_the_status_line():
    piped = make_progress(io.StringIO(), 3)
    assert type(piped) is PlainProgress and piped.heartbeat == HEARTBEAT_SECONDS
    assert 10 <= HEARTBEAT_SECONDS <= 30
    piped.summary(ApplyResult())

    class Tty(io.StringIO):
        def isatty(self) -> bool:
            return True

    live = make_progress(Tty(), 3)
    assert isinstance(live, LiveProgress) and live.heartbeat is None
    live.summary(ApplyResult())
