"""``EmulatorAdapter``: a ``requests`` transport adapter that calls the emulator's WSGI app in process.

The requests counterpart of httpx's ``WSGITransport``; mount it on a session so that every call to the real
base URL reaches the emulator without a socket::

    session.mount("https://api.vultr.com/", EmulatorAdapter(emulator))

This is the only emulator module that imports ``requests``. A dropped connection (fault injection) becomes
``requests.exceptions.ConnectionError``, as a lost answer would over the network.
"""

from __future__ import annotations

import io
from typing import Any
from urllib.parse import unquote, urlsplit

import requests
from requests.adapters import BaseAdapter
from requests.structures import CaseInsensitiveDict
from requests.utils import get_encoding_from_headers

from vultr_state.emulator.faults import DropConnection

WsgiApp = Any


def _environ(request: requests.PreparedRequest, body: bytes) -> dict[str, Any]:
    parts = urlsplit(request.url or "")
    environ: dict[str, Any] = {
        "REQUEST_METHOD": (request.method or "GET").upper(),
        "SCRIPT_NAME": "",
        "PATH_INFO": unquote(parts.path),
        "QUERY_STRING": parts.query,
        "SERVER_NAME": parts.hostname or "localhost",
        "SERVER_PORT": str(parts.port or (443 if parts.scheme == "https" else 80)),
        "SERVER_PROTOCOL": "HTTP/1.1",
        "REMOTE_ADDR": "127.0.0.1",
        "CONTENT_LENGTH": str(len(body)),
        "wsgi.version": (1, 0),
        "wsgi.url_scheme": parts.scheme or "http",
        "wsgi.input": io.BytesIO(body),
        "wsgi.errors": io.StringIO(),
        "wsgi.multithread": True,
        "wsgi.multiprocess": False,
        "wsgi.run_once": False,
    }
    for name, value in request.headers.items():
        key = name.upper().replace("-", "_")
        if key == "CONTENT_TYPE":
            environ["CONTENT_TYPE"] = value
        elif key != "CONTENT_LENGTH":
            environ["HTTP_" + key] = value
    return environ


class EmulatorAdapter(BaseAdapter):
    """Send ``requests`` calls straight to a WSGI application (normally an ``Emulator``).

    Args:
        app: The WSGI application.
    """

    def __init__(self, app: WsgiApp) -> None:
        super().__init__()
        self.app = app

    def send(
        self,
        request: requests.PreparedRequest,
        stream: bool = False,
        timeout: Any = None,
        verify: Any = True,
        cert: Any = None,
        proxies: Any = None,
    ) -> requests.Response:
        """Run the request through the app and wrap its answer in a ``requests.Response``."""
        body = request.body or b""
        if isinstance(body, str):
            body = body.encode("utf-8")
        captured: dict[str, Any] = {}

        def start_response(status: str, headers: list[tuple[str, str]], exc_info: Any = None) -> None:
            captured["status"], captured["headers"] = status, headers

        try:
            content = b"".join(self.app(_environ(request, body), start_response))
        except DropConnection as exc:
            raise requests.exceptions.ConnectionError(
                "Connection aborted: the emulator closed the connection without a response", request=request
            ) from exc
        code, _, reason = captured["status"].partition(" ")
        response = requests.Response()
        response.status_code = int(code)
        response.reason = reason
        response.headers = CaseInsensitiveDict(captured["headers"])
        response.encoding = get_encoding_from_headers(response.headers)
        response.raw = io.BytesIO(content)
        response.url = request.url or ""
        response.request = request
        response.connection = self
        return response

    def close(self) -> None:
        """Nothing to release."""
