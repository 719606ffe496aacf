"""``EmulatorServer`` keep-alive and the ``vultr-state emulator serve`` command as a subprocess."""

from __future__ import annotations

import http.client
import signal
import subprocess
import sys

import requests

from vultr_state.emulator import DEFAULT_API_KEY, Emulator, EmulatorServer


def test_keep_alive_serves_many_requests_on_one_socket(emulator: Emulator) -> None:
    with EmulatorServer(emulator) as server:
        host, port = server.url.removeprefix("http://").split(":")
        connection = http.client.HTTPConnection(host, int(port), timeout=5)
        sockets = set()
        for _ in range(20):
            connection.request("GET", "/v1/os/list")
            response = connection.getresponse()
            assert response.status == 200 and response.read()
            sockets.add(id(connection.sock))
        connection.request("POST", "/v1/server/halt", body="SUBID=1", headers={"API-Key": DEFAULT_API_KEY})
        response = connection.getresponse()
        assert (response.status, response.getheader("Content-Type")) == (412, "text/html; charset=UTF-8")
        response.read()
        sockets.add(id(connection.sock))
        assert len(sockets) == 1
        connection.close()


def test_serve_prints_its_url_first_and_stops_cleanly_on_sigterm(tmp_path) -> None:
    state = tmp_path / "state.sqlite"
    process = subprocess.Popen(
        [sys.executable, "-m", "vultr_state", "emulator", "serve", "--port", "0", "--rate-limit", "0",
         "--state", str(state), "--api-key", "SECRET-KEY", "--provision-seconds", "0"],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )  # fmt: skip
    try:
        url = process.stdout.readline().strip()
        assert url.startswith("http://127.0.0.1:")
        created = requests.post(
            url + "/v1/server/create",
            data={"DCID": 1, "VPSPLANID": 201, "OSID": 1743},
            headers={"API-Key": "SECRET-KEY"},
        )
        assert created.status_code == 200
        assert requests.get(url + "/v1/server/list", headers={"API-Key": DEFAULT_API_KEY}).status_code == 403
        process.send_signal(signal.SIGTERM)
        out, err = process.communicate(timeout=10)
    finally:
        if process.poll() is None:
            process.kill()
    assert process.returncode == 0
    assert "SECRET-KEY" not in out + err
    assert state.exists()
