"""The install lifecycle of an emulated server, on the injectable clock: which stage it is in at an instant.

Shared by both faces, which name the stages in their own vocabulary (v1 ``status``/``server_state``, v2
``status``/``server_status``). Nothing runs in the background: the stage is computed from when the install
started, whether it is the first one, the clock and ``provision_seconds`` (P):

* first install: ``PENDING`` for P, then ``LOCKED`` for P/2, ``INSTALLING`` for P/2, then ``OK``;
* a reinstall (or restore) starts at ``LOCKED``: ``LOCKED`` P/2, ``INSTALLING`` P/2, ``OK``.

With P = 0 (fast tests) every server is ``OK`` at once.
"""

from __future__ import annotations

from enum import Enum


class Stage(Enum):
    """Where a server is in its install cycle."""

    PENDING = "pending"
    LOCKED = "locked"
    INSTALLING = "installing"
    OK = "ok"


def install_stage(started_at: float, *, first: bool, now: float, provision_seconds: float) -> Stage:
    """The stage at ``now`` of an install that started at ``started_at``."""
    elapsed = now - started_at
    if first:
        if elapsed < provision_seconds:
            return Stage.PENDING
        elapsed -= provision_seconds
    if elapsed < provision_seconds / 2:
        return Stage.LOCKED
    if elapsed < provision_seconds:
        return Stage.INSTALLING
    return Stage.OK


def done_after(started_at: float, *, now: float, seconds: float) -> bool:
    """Whether a job of ``seconds`` (a snapshot, say) started at ``started_at`` has finished at ``now``."""
    return now - started_at >= seconds
