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

from vultr_state.emulator.core.faults import DropConnection
from vultr_state.emulator.core.wsgi_environ import build_environ

WsgiApp = Any


def _environ(request: requests.PreparedRequest, body: bytes) -> dict[str, Any]:
    parts = urlsplit(request.url or "")
    return build_environ(
        method=request.method or "GET",
        path=unquote(parts.path),
        query=parts.query,
        headers=request.headers.items(),
        body=body,
        server_name=parts.hostname or "localhost",
        server_port=parts.port or (443 if parts.scheme == "https" else 80),
        remote_addr="127.0.0.1",
        scheme=parts.scheme or "http",
    )


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
