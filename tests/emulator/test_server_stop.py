"""``EmulatorServer.stop()`` is immediate (no polling interval to wait out) in every state the server can
be in, and ``vultr-state emulator serve`` ends promptly and cleanly on Ctrl-C (SIGINT)."""

from __future__ import annotations

import http.client
import signal
import subprocess
import sys
import threading
import time

import pytest
import requests

from vultr_state.emulator import Emulator, EmulatorServer

PROMPT = 0.2  # seconds; the accept loop used to poll every 0.5 s


def _timed_stop(server: EmulatorServer) -> float:
    started = time.perf_counter()
    server.stop()
    return time.perf_counter() - started


def _refused(url: str) -> bool:
    try:
        requests.get(url + "/v1/regions/list", timeout=2)
    except requests.ConnectionError:
        return True
    return False


def test_stop_after_serving_is_immediate_and_closes_the_socket(emulator: Emulator) -> None:
    server = EmulatorServer(emulator).start()
    assert requests.get(server.url + "/v1/regions/list", timeout=5).status_code == 200
    assert _timed_stop(server) < PROMPT
    assert _refused(server.url)


def test_stop_with_an_idle_keep_alive_connection_is_immediate(emulator: Emulator) -> None:
    server = EmulatorServer(emulator).start()
    host, port = server.url.removeprefix("http://").split(":")
    connection = http.client.HTTPConnection(host, int(port), timeout=5)
    connection.request("GET", "/v1/os/list")
    assert connection.getresponse().read()
    assert _timed_stop(server) < PROMPT
    connection.close()


def test_stop_right_after_start_and_twice_is_harmless(emulator: Emulator) -> None:
    for _ in range(20):  # the loop thread may not have begun yet when stop() runs
        server = EmulatorServer(emulator).start()
        assert _timed_stop(server) < PROMPT
        server.stop()
        assert _refused(server.url)


def test_stop_ends_serve_forever_running_in_another_thread(emulator: Emulator) -> None:
    server = EmulatorServer(emulator)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    assert requests.get(server.url + "/v1/regions/list", timeout=5).status_code == 200
    assert _timed_stop(server) < PROMPT
    thread.join(timeout=1)
    assert not thread.is_alive()


def test_a_context_manager_block_ends_promptly(emulator: Emulator) -> None:
    started = time.perf_counter()
    with EmulatorServer(emulator) as server:
        assert requests.get(server.url + "/v1/regions/list", timeout=5).status_code == 200
    assert time.perf_counter() - started < 1.0


@pytest.mark.parametrize("signum", [signal.SIGINT, signal.SIGTERM], ids=["ctrl-c", "sigterm"])
def test_serve_exits_cleanly_and_promptly_on_a_signal(signum: signal.Signals) -> None:
    process = subprocess.Popen(
        [sys.executable, "-m", "vultr_state", "emulator", "serve", "--port", "0", "--rate-limit", "0"],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )
    try:
        url = process.stdout.readline().strip()
        assert requests.get(url + "/v1/regions/list", timeout=5).status_code == 200
        signalled = time.perf_counter()
        process.send_signal(signum)
        out, err = process.communicate(timeout=10)
        elapsed = time.perf_counter() - signalled
    finally:
        if process.poll() is None:
            process.kill()
    assert process.returncode == 0, err
    assert out == ""  # nothing after the URL line
    assert "Traceback" not in err
    assert elapsed < 2.0
