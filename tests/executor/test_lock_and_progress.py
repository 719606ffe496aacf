"""The registry lock (contention refused, expiry, no host/pid guess, --force-unlock, two applies at once), on
both APIs, and the progress output (plain lines, live status line on a terminal)."""

from __future__ import annotations

import io
import json
import socket
import subprocess
import sys
import threading

import pytest

from executor.support import make_provider, make_world, plan_of, server_create
from vultr_state.emulator import Emulator, EmulatorConfig
from vultr_state.errors import LockError
from vultr_state.executor import LiveProgress, PlainProgress, apply, make_progress
from vultr_state.model.registry import Registry, RegistryLock
from vultr_state.registry import encode_registry, registry_script_name


def _lock_registry(world, holder: str, expires_in: float) -> None:
    """Another apply's lock, written through a second provider (its calls are not the world's)."""
    registry = Registry(project="web", lock=RegistryLock(holder, world.clock() + expires_in))
    world.other_provider().blobs.create(registry_script_name("web"), encode_registry(registry)[0])


def _lock_registry_update(world, holder: str, expires_in: float) -> None:
    (script_id,) = [i for i, name, _body in world.scripts() if name == registry_script_name("web")]
    registry = Registry(project="web", lock=RegistryLock(holder, world.clock() + expires_in))
    world.other_provider().blobs.update(script_id, registry_script_name("web"), encode_registry(registry)[0])


def test_a_lock_held_by_another_apply_is_refused_before_any_change(api):
    world = make_world(api=api)
    _lock_registry(world, "ci-runner-7/4242/abcd", expires_in=600)
    with pytest.raises(LockError, match="another apply of project 'web' is running") as caught:
        world.apply(plan_of(server_create("web-1", api=api)))
    assert "--force-unlock" in str(caught.value) and "ci-runner-7/4242/abcd" in str(caught.value)
    assert world.servers() == []
    assert world.calls > 0 and world.calls_to("update startup_script") == 0
    assert "ci-runner-7/4242/abcd" in json.dumps(world.registry()["lock"])  # still theirs


def test_an_expired_lock_or_force_unlock_is_taken_over(api):
    world = make_world(api=api)
    _lock_registry(world, "ci-runner-7/4242/abcd", expires_in=60)
    assert world.apply(plan_of(server_create("web-1", api=api)), force_unlock=True).ok
    world.clock.advance(10)
    _lock_registry_update(world, "ci-runner-7/4242/abcd", expires_in=-1)
    assert world.apply(plan_of(server_create("web-2", api=api))).ok
    assert world.labels() == ["web-1", "web-2"]


def test_a_holder_whose_process_is_gone_is_not_taken_over_before_expiry(api):
    command = [sys.executable, "-c", "import os; print(os.getpid())"]
    finished = subprocess.run(command, capture_output=True, text=True, check=True)
    world = make_world(api=api)
    _lock_registry(world, f"{socket.gethostname()}/{finished.stdout.strip()}/0000", expires_in=600)
    with pytest.raises(LockError, match="another apply of project 'web' is running"):
        world.apply(plan_of(server_create("web-1", api=api)))  # no guess from host name and pid
    assert world.servers() == []


def test_two_applies_at_once_never_duplicate_and_one_is_refused(api):
    for _ in range(3):
        emulator = Emulator(EmulatorConfig(rate_limit=0, provision_seconds=0.0))
        plan = plan_of(*(server_create(f"web-{i}", api=api) for i in range(3)))
        outcomes: list[object] = []

        def run(emulator=emulator, plan=plan, outcomes=outcomes) -> None:
            provider = make_provider(api, emulator)
            try:
                outcomes.append(apply(plan, provider, lock_settle=0.2, poll_interval=(0.05, 0.1)))
            except LockError as exc:
                outcomes.append(exc)

        threads = [threading.Thread(target=run) for _ in range(2)]
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join(timeout=60)
        refused = [o for o in outcomes if isinstance(o, LockError)]
        assert len(outcomes) == 2 and len(refused) == 1, outcomes
        servers = emulator.servers() if api.name == "v1" else emulator.v2.instances()
        assert sorted(s["label"] for s in servers) == ["web-0", "web-1", "web-2"]
        scripts = emulator.startup_scripts() if api.name == "v1" else emulator.v2.startup_scripts()
        assert len([s for s in scripts if s["name"] == registry_script_name("web")]) == 1


def test_plain_progress_lines_and_summary(api):
    world = make_world(api=api)
    out = io.StringIO()
    result = world.apply(plan_of(server_create("web-1", api=api)), progress=PlainProgress(out))
    lines = out.getvalue().splitlines()
    subid = world.servers()[0].id
    assert lines[0] == "+ server.web-1: creating..."
    assert lines[1].startswith(f"+ server.web-1: created {subid} in ") and lines[1].endswith("s")
    assert lines[2] == result.summary() and lines[2].startswith("Apply complete: 1 created in ")
    assert "\x1b" not in out.getvalue()


class FakeTerminal(io.StringIO):
    def isatty(self) -> bool:
        return True


def test_live_progress_on_a_terminal_keeps_a_status_line():
    terminal = FakeTerminal()
    progress = make_progress(terminal, total=1)
    assert isinstance(progress, LiveProgress)
    assert isinstance(make_progress(io.StringIO(), total=1), PlainProgress)
    world = make_world()
    world.apply(plan_of(server_create("web-1")), progress=progress)
    text = terminal.getvalue()
    assert "\r\x1b[2K+ server.web-1: creating...\n" in text
    assert "[0/1 done, 1 in progress] " in text
    assert text.endswith("\n") and "Apply complete: 1 created" in text.splitlines()[-1]
