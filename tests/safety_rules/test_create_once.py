"""A create is never sent twice unless the first provably never reached the API (issue 12), through the
real CLI on both APIs.

An apply whose create gets no answer lists the kind once: a new object with that identity is adopted;
when none shows (the emulator hides it for as long as the test wants, longer than any listing), the step
stops with "outcome unknown", the create is not sent again, and the registry keeps its pending entry.
The next plans hold the create while the entry is young, adopt the object once it shows, or, once the
documented window (``PENDING_CREATE_WINDOW``) has passed with nothing visible, create it again. Objects
with the same identity that are someone else's (another project's, a stranger's) are never taken for
the lost create.
"""

from __future__ import annotations

import time
from functools import partial

import pytest
from e2e.conftest import manifest_text

from safety_rules.conftest import API_VERSIONS, make_site
from vultr_state.model.registry import OUTCOME_UNKNOWN, PENDING_CREATE_WINDOW, PendingCreate

LOST = "created by an earlier apply whose answer was lost"
OWNER_TAG = "vultr-state:e2e"  # what v2 servers this project creates carry
SNAPSHOT = "snapshots:\n  - description: golden\n    server: web-1\n"


def _pending(seconds_ago: float, known: tuple[str, ...] = ()) -> tuple[PendingCreate, ...]:
    return (PendingCreate("server", "web-1", time.time() - seconds_ago, known),)


@pytest.fixture(params=API_VERSIONS)
def api(request: pytest.FixtureRequest) -> str:
    return request.param


@pytest.mark.parametrize("kind", ["server", "ssh_key", "startup_script", "snapshot"])
def test_a_lost_create_whose_object_is_late_is_sent_once_then_adopted(api, kind, tmp_path):
    for site in make_site(api, tmp_path):
        # The registry is the first startup script an apply creates: lose the manifest's script after it.
        site.lose(kind, skip=int(kind == "startup_script"))
        site.account.write(manifest_text(labels=("web-1",)) + (SNAPSHOT if kind == "snapshot" else ""))

        stopped = site.apply()
        assert stopped.returncode == 1, stopped.stdout + stopped.stderr
        assert OUTCOME_UNKNOWN in stopped.stdout and "the create was not sent again" in stopped.stdout
        assert "Traceback" not in stopped.stderr
        sent = site.creates(kind)
        assert sent == 1 + int(kind == "startup_script")
        assert f'"{kind}",' in site.registry_text() and '"pending":[[' in site.registry_text()

        held = site.plan()
        assert held.returncode == 1 and OUTCOME_UNKNOWN in held.stdout
        assert site.creates(kind) == sent

        site.wire.reveal()  # the list lag is over
        adopted = site.apply()
        assert adopted.returncode == 0, adopted.stdout + adopted.stderr
        assert LOST in adopted.stdout
        assert site.creates(kind) == sent  # never sent a second time
        assert site.labels() == ["web-1"]
        assert '"pending":[[' not in site.registry_text()
        assert "No changes" in site.apply().stdout


def test_another_projects_object_is_never_taken_for_a_lost_create(api, tmp_path):
    for site in make_site(api, tmp_path):
        theirs = site.stranger.server("web-1")
        site.stranger.registry("colleagues", [("server", theirs, "web-1")])
        site.lose("server")
        site.account.write(manifest_text(labels=("web-1",)))

        stopped = site.apply()
        assert stopped.returncode == 1 and OUTCOME_UNKNOWN in stopped.stdout
        assert f'["{theirs}","web-1"' not in site.registry_text()  # not adopted as ours
        assert f'["{theirs}"]]]' in site.registry_text()  # a known id of the pending entry
        assert theirs in site.registry_text("colleagues")

        site.wire.reveal()
        adopted = site.apply()
        assert adopted.returncode == 0, adopted.stdout + adopted.stderr
        assert LOST in adopted.stdout and site.creates("server") == 2  # theirs and our one create
        assert f'["{theirs}","web-1"' not in site.registry_text() and site.labels() == ["web-1", "web-1"]


def test_a_lost_registry_create_is_not_sent_twice_by_one_apply(api, tmp_path):
    for site in make_site(api, tmp_path):
        site.lose("startup_script")
        site.account.write(manifest_text(labels=("web-1",)))
        stopped = site.apply()
        assert stopped.returncode == 1 and "Traceback" not in stopped.stderr
        assert "may have been carried out" in stopped.stderr
        assert site.creates("startup_script") == 1 and site.labels() == []  # nothing else was sent

        assert site.apply().returncode == 0  # the registry is still invisible: written anew
        site.wire.reveal()  # the lost intent shows beside it: it owns nothing and is read past
        assert "No changes" in site.plan().stdout
        assert site.labels() == ["web-1"]


def test_a_strangers_server_made_meanwhile_is_not_taken_on_v2(tmp_path):
    # Made after the apply listed servers, before our lost create: only v2's owner tag tells them apart.
    for site in make_site("v2", tmp_path):
        site.lose("server")
        site.wire.before = partial(site.stranger.server, "web-1")
        site.account.write(manifest_text(labels=("web-1",)))

        stopped = site.apply()
        assert stopped.returncode == 1 and OUTCOME_UNKNOWN in stopped.stdout
        assert site.labels() == ["web-1"]  # the stranger's (ours is still hidden)
        (theirs,) = (s["id"] for s in site.account.emulator.v2.instances())
        assert f'["{theirs}","web-1"' not in site.registry_text()


def test_an_untagged_namesake_is_not_taken_for_a_lost_create_by_the_next_plan_on_v2(tmp_path):
    # On v2 what our lost create made carries our owner tag: a namesake without it is someone else's, shown
    # for review as an adoption by identity, like any unowned namesake, never as our lost create.
    for site in make_site("v2", tmp_path):
        theirs = site.stranger.server("web-1")
        site.stranger.registry("e2e", [], _pending(60))
        site.account.write(manifest_text(labels=("web-1",)))

        shown = site.plan()
        assert shown.returncode == 0, shown.stdout + shown.stderr
        assert LOST not in shown.stdout
        assert f"server.web-1 (adopt)  [id {theirs}]" in shown.stdout
        assert "matches by identity; not yet owned by project 'e2e'" in shown.stdout


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
    assert site.creates("server") == 0 and site.labels() == []


def test_the_lost_create_that_shows_is_adopted_not_created_again(site):
    before = site.stranger.server("web-1")  # someone else's web-1, there before our create was sent
    site.stranger.registry("colleagues", [("server", before, "web-1")])
    ours = site.stranger.server("web-1", tags=(OWNER_TAG,))  # what our lost create made (v2: tagged ours)
    site.stranger.registry("e2e", [], _pending(60, known=(before,)))
    site.account.write(manifest_text(labels=("web-1",)))

    applied = site.apply()
    assert applied.returncode == 0, applied.stdout + applied.stderr
    assert LOST in applied.stdout
    assert site.creates("server") == 2  # the stranger's two: ours was adopted, never sent again
    assert f'["{ours}","web-1"' in site.registry_text()


def test_after_the_window_with_nothing_visible_the_create_is_sent_again(site):
    site.stranger.registry("e2e", [], _pending(PENDING_CREATE_WINDOW + 60))
    site.account.write(manifest_text(labels=("web-1",)))

    applied = site.apply()
    assert applied.returncode == 0, applied.stdout + applied.stderr
    assert "nothing appeared within 10 minutes: creating it again" in applied.stdout
    assert site.creates("server") == 1 and site.labels() == ["web-1"]
