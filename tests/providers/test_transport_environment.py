"""The transport's session reads the proxy and CA-bundle environment once per API host.

requests would look the variables up before every request; ``http.transport`` keeps the answer for
the session's host, and still honours ``HTTP_PROXY``/``NO_PROXY`` for it. Checked over real HTTP with
two local servers, one standing for the API and one for a proxy (a plain server: a proxied request
reaches it with the absolute URL as its path).
"""

from __future__ import annotations

import http.server
import threading
from collections.abc import Callable, Iterator

import pytest

from vultr_state.http.transport import HttpRequest, Transport, build_session

PROXY_VARIABLES = ("HTTP_PROXY", "HTTPS_PROXY", "ALL_PROXY", "NO_PROXY")


class _Recorder(http.server.ThreadingHTTPServer):
    paths: list[str]


class _Handler(http.server.BaseHTTPRequestHandler):
    def do_GET(self) -> None:
        self.server.paths.append(self.path)  # type: ignore[attr-defined]
        body = b"{}"
        self.send_response(200)
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    def log_message(self, format: str, *args: object) -> None:
        pass


@pytest.fixture
def servers() -> Iterator[tuple[_Recorder, _Recorder]]:
    started = []
    for _ in range(2):
        server = _Recorder(("127.0.0.1", 0), _Handler)
        server.paths = []
        threading.Thread(target=server.serve_forever, daemon=True).start()
        started.append(server)
    yield started[0], started[1]
    for server in started:
        server.shutdown()
        server.server_close()


@pytest.fixture(autouse=True)
def no_proxy_environment(monkeypatch: pytest.MonkeyPatch) -> None:
    for name in PROXY_VARIABLES:
        monkeypatch.delenv(name, raising=False)
        monkeypatch.delenv(name.lower(), raising=False)


@pytest.fixture
def open_transport() -> Iterator[Callable[[], Transport]]:
    """Opens a transport once the test has set the environment (a session reads it when it starts);
    every transport opened is closed after the test."""
    opened: list[Transport] = []

    def open_one() -> Transport:
        opened.append(Transport(build_session(), timeout=(5.0, 5.0)))
        return opened[-1]

    yield open_one
    for transport in opened:
        transport.close()


def _url(server: _Recorder) -> str:
    return f"http://127.0.0.1:{server.server_address[1]}"


def _get(transport: Transport, url: str) -> int:
    request = HttpRequest("GET", f"{url}/v2/instances", "GET /instances", query=(("per_page", "500"),))
    return transport.send(request, scrub=lambda text: text).status


def test_the_proxy_variables_are_honoured_and_read_once(servers, monkeypatch, open_transport):
    api, proxy = servers
    monkeypatch.setenv("HTTP_PROXY", _url(proxy))
    transport = open_transport()
    assert [_get(transport, _url(api)) for _ in range(3)] == [200] * 3
    monkeypatch.delenv("HTTP_PROXY")  # read once per session: later changes do not apply to it
    assert _get(transport, _url(api)) == 200
    assert api.paths == []
    assert proxy.paths == [f"{_url(api)}/v2/instances?per_page=500"] * 4


def test_no_proxy_still_exempts_the_api_host(servers, monkeypatch, open_transport):
    api, proxy = servers
    monkeypatch.setenv("HTTP_PROXY", _url(proxy))
    monkeypatch.setenv("NO_PROXY", "127.0.0.1")
    transport = open_transport()
    assert [_get(transport, _url(api)) for _ in range(3)] == [200] * 3
    assert proxy.paths == []
    assert api.paths == ["/v2/instances?per_page=500"] * 3


def test_each_host_gets_its_own_reading(servers, monkeypatch, open_transport):
    api, proxy = servers
    monkeypatch.setenv("HTTP_PROXY", _url(proxy))
    monkeypatch.setenv("NO_PROXY", "localhost")
    transport = open_transport()
    assert _get(transport, f"http://localhost:{api.server_address[1]}") == 200  # exempt: direct
    assert _get(transport, _url(proxy)) == 200  # another host: through the proxy
    assert api.paths == ["/v2/instances?per_page=500"]
    assert proxy.paths == [f"{_url(proxy)}/v2/instances?per_page=500"]
