"""``EmulatorServer.stop()`` is immediate (no polling interval to wait out) in every state the server can
be in, and ``vultr-state emulator serve`` ends promptly and cleanly on Ctrl-C (SIGINT).

"Immediate" is checked by work, not by the clock (a loaded CI machine makes any time bound flaky): the
accept loop only ever sleeps in ``select()`` without a timeout (so there is no interval to wait out),
and ``stop()`` wakes it: the loop has ended when ``stop()`` returns. Timeouts below are generous hang
guards only.
"""

from __future__ import annotations

import http.client
import selectors
import signal
import subprocess
import sys
import threading

import pytest
import requests

from vultr_state.emulator import Emulator, EmulatorServer

HANG_GUARD = 10.0  # seconds; only a hang exceeds it


@pytest.fixture(autouse=True)
def select_timeouts(monkeypatch: pytest.MonkeyPatch) -> list[float | None]:
    """The ``timeout`` of every ``select()`` the accept loops make (the loop used to poll every 0.5 s)."""
    timeouts: list[float | None] = []

    class Recording(selectors.DefaultSelector):
        def select(self, timeout: float | None = None):
            timeouts.append(timeout)
            return super().select(timeout)

    monkeypatch.setattr(selectors, "DefaultSelector", Recording)
    return timeouts


def _stop(server: EmulatorServer, timeouts: list[float | None]) -> None:
    """Stop the server; it must not wait out any interval and its loop must be over on return."""
    stopper = threading.Thread(target=server.stop, daemon=True)
    stopper.start()
    stopper.join(HANG_GUARD)
    assert not stopper.is_alive(), "stop() hung"
    assert all(timeout is None for timeout in timeouts), f"the accept loop polled: {timeouts}"
    assert server._httpd._loop_lock.acquire(blocking=False), "the accept loop still runs after stop()"
    server._httpd._loop_lock.release()


def _refused(url: str) -> bool:
    try:
        requests.get(url + "/v1/regions/list", timeout=2)
    except requests.ConnectionError:
        return True
    return False


def test_stop_after_serving_is_immediate_and_closes_the_socket(emulator: Emulator, select_timeouts) -> None:
    server = EmulatorServer(emulator).start()
    assert requests.get(server.url + "/v1/regions/list", timeout=5).status_code == 200
    _stop(server, select_timeouts)
    assert _refused(server.url)


def test_stop_with_an_idle_keep_alive_connection_is_immediate(emulator: Emulator, select_timeouts) -> None:
    server = EmulatorServer(emulator).start()
    host, port = server.url.removeprefix("http://").split(":")
    connection = http.client.HTTPConnection(host, int(port), timeout=5)
    connection.request("GET", "/v1/os/list")
    assert connection.getresponse().read()
    _stop(server, select_timeouts)
    connection.close()


def test_stop_right_after_start_and_twice_is_harmless(emulator: Emulator, select_timeouts) -> None:
    for _ in range(20):  # the loop thread may not have begun yet when stop() runs
        server = EmulatorServer(emulator).start()
        _stop(server, select_timeouts)
        server.stop()
        assert _refused(server.url)


def test_stop_ends_serve_forever_running_in_another_thread(emulator: Emulator, select_timeouts) -> None:
    server = EmulatorServer(emulator)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    assert requests.get(server.url + "/v1/regions/list", timeout=5).status_code == 200
    _stop(server, select_timeouts)
    thread.join(timeout=HANG_GUARD)
    assert not thread.is_alive()


def test_a_context_manager_block_ends_promptly(emulator: Emulator, select_timeouts) -> None:
    with EmulatorServer(emulator) as server:
        assert requests.get(server.url + "/v1/regions/list", timeout=5).status_code == 200
    assert select_timeouts and all(timeout is None for timeout in select_timeouts)
    assert server._httpd._loop_lock.acquire(blocking=False), "the accept loop still runs after the block"


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
        process.send_signal(signum)
        out, err = process.communicate(timeout=HANG_GUARD)  # the in-process tests show it does not poll
    finally:
        if process.poll() is None:
            process.kill()
    assert process.returncode == 0, err
    assert out == ""  # nothing after the URL line
    assert "Traceback" not in err
