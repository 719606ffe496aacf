"""The crash drill in CI: ``vultr-state apply`` as a subprocess, SIGKILLed at a seeded API call (before the
emulator processes it, and right after it commits it), then rerun until a plan shows no changes; the
account must hold no duplicate and no orphan, and the registry must own exactly what was made.

Also: the emulator's HTTP server stays quiet (no traceback) when a killed client's connection resets."""

from __future__ import annotations

import socket
import struct
import time

from benchmarks.drills.crash import KillSwitch, cli_flags, run_crash_drill
from vultr_state.emulator import Emulator, EmulatorConfig, EmulatorServer
from vultr_state.planner import PlanOptions


def _check(report):
    assert report.killed, report.describe()
    assert report.converged, report.describe()
    assert report.findings.ok, report.describe()
    assert 1 <= report.reruns <= 3, report.describe()


def test_kill_after_a_committed_create_then_rerun_converges_without_duplicates():
    _check(run_crash_drill(2, servers=6))  # seed 2: create phase, killed right after a commit


def test_kill_before_a_call_is_processed_during_a_mutation_then_rerun_converges():
    report = run_crash_drill(1, servers=6)  # seed 1: a mutation phase
    assert report.phase == "mutate"
    _check(report)


def test_kill_on_v2_then_rerun_converges_without_duplicates():
    report = run_crash_drill(
        2, servers=4, api="v2"
    )  # the killed apply's lock is taken over with --force-unlock
    _check(report)


def test_cli_flags_follow_the_plan_options():
    assert cli_flags(PlanOptions()) == []
    assert cli_flags(PlanOptions(allow_prune=True, allow_reinstall=True)) == [
        "--allow-prune",
        "--allow-reinstall",
    ]


def test_kill_switch_counts_api_calls_only_and_disarms():
    emulator = Emulator(EmulatorConfig(rate_limit=0))
    switch = KillSwitch(emulator)
    with EmulatorServer(switch) as server:  # type: ignore[arg-type]
        import requests

        requests.get(server.url + "/v1/regions/list", timeout=5)
        requests.get(server.url + "/_emulator/health", timeout=5)
        assert switch.calls == 1 and not switch.fired


def test_a_client_that_resets_its_connection_leaves_no_traceback(capfd):
    with EmulatorServer(Emulator(EmulatorConfig(rate_limit=0))) as server:
        host, port = server.url.removeprefix("http://").split(":")
        sock = socket.create_connection((host, int(port)))
        sock.sendall(b"GET /v1/regions/list HTTP/1.1\r\nHost: x\r\n\r\n")
        assert sock.recv(65536).startswith(b"HTTP/1.1 200")
        sock.setsockopt(socket.SOL_SOCKET, socket.SO_LINGER, struct.pack("ii", 1, 0))
        sock.close()  # RST while the server waits for the next keep-alive request
        deadline = time.monotonic() + 2
        while server._httpd._connections and time.monotonic() < deadline:
            time.sleep(0.01)
        assert not server._httpd._connections
    assert "Traceback" not in capfd.readouterr().err
