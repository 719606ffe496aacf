"""A create is never sent twice unless the first provably never reached the API (issue 12): what the
next plan does with a create whose outcome stayed unknown, through the real CLI.

The registry's pending entry is planted as a lost-answer apply leaves it: the object is either not
visible yet (the plan holds the create back and says so), visible (adopted, never created again), or
still invisible once the documented window (``PENDING_CREATE_WINDOW``) has passed (created again).
"""

from __future__ import annotations

import time

from e2e.conftest import manifest_text

from vultr_state.model.registry import PendingCreate
from vultr_state.planner.pending import OUTCOME_UNKNOWN, PENDING_CREATE_WINDOW


def _pending(seconds_ago: float, known: tuple[str, ...] = ()) -> tuple[PendingCreate, ...]:
    return (PendingCreate("server", "web-1", time.time() - seconds_ago, known),)


def _creates(site) -> int:
    return site.account.emulator.call_counts.get("/v1/server/create", 0)


def test_a_young_pending_create_with_nothing_visible_is_held(site):
    site.stranger.registry("e2e", [], _pending(60))
    site.account.write(manifest_text(labels=("web-1",)))

    shown = site.plan()
    assert shown.returncode == 1
    assert "server 'web-1': an earlier apply's create (sent " in shown.stdout
    assert OUTCOME_UNKNOWN in shown.stdout
    applied = site.apply()
    assert applied.returncode == 1
    assert OUTCOME_UNKNOWN in applied.stdout + applied.stderr
    assert _creates(site) == 0 and site.account.labels() == []


def test_the_lost_create_that_shows_is_adopted_not_created_again(site):
    before = site.stranger.server("web-1")  # someone else's web-1, there before our create was sent
    site.stranger.registry("colleagues", [("server", before, "web-1")])
    ours = site.stranger.server("web-1")  # what our lost create made
    site.stranger.registry("e2e", [], _pending(60, known=(before,)))
    site.account.write(manifest_text(labels=("web-1",)))
    created = _creates(site)

    applied = site.apply()
    assert applied.returncode == 0, applied.stdout + applied.stderr
    assert "created by an earlier apply whose answer was lost" in applied.stdout
    assert _creates(site) == created  # adopted, never sent again
    assert f'["{ours}","web-1"' in _registry(site)


def test_after_the_window_with_nothing_visible_the_create_is_sent_again(site):
    site.stranger.registry("e2e", [], _pending(PENDING_CREATE_WINDOW + 60))
    site.account.write(manifest_text(labels=("web-1",)))

    applied = site.apply()
    assert applied.returncode == 0, applied.stdout + applied.stderr
    assert "nothing appeared within 10 minutes: creating it again" in applied.stdout
    assert _creates(site) == 1 and site.account.labels() == ["web-1"]


def _registry(site) -> str:
    return next(
        s["script"] for s in site.account.emulator.startup_scripts() if s["name"] == "vultr-state:e2e"
    )
