"""Build a WSGI environ for one request. Shared by the emulator's two transports: the threaded HTTP
server (``server.py``) and the in-process ``requests`` adapter (``adapter.py``)."""

from __future__ import annotations

import io
from collections.abc import Iterable
from typing import Any


def build_environ(
    *,
    method: str,
    path: str,
    query: str,
    headers: Iterable[tuple[str, str]],
    body: bytes,
    server_name: str,
    server_port: int,
    remote_addr: str,
    scheme: str = "http",
    protocol: str = "HTTP/1.1",
) -> dict[str, Any]:
    """The environ a WSGI app expects for this request (headers as ``HTTP_*``, the body fully read)."""
    environ: dict[str, Any] = {
        "REQUEST_METHOD": method.upper(),
        "SCRIPT_NAME": "",
        "PATH_INFO": path,
        "QUERY_STRING": query,
        "SERVER_NAME": server_name,
        "SERVER_PORT": str(server_port),
        "SERVER_PROTOCOL": protocol,
        "REMOTE_ADDR": remote_addr,
        "CONTENT_LENGTH": str(len(body)),
        "wsgi.version": (1, 0),
        "wsgi.url_scheme": scheme,
        "wsgi.input": io.BytesIO(body),
        "wsgi.errors": io.StringIO(),
        "wsgi.multithread": True,
        "wsgi.multiprocess": False,
        "wsgi.run_once": False,
    }
    for name, value in headers:
        key = name.upper().replace("-", "_")
        if key == "CONTENT_TYPE":
            environ["CONTENT_TYPE"] = value
        elif key != "CONTENT_LENGTH":
            environ["HTTP_" + key] = value
    return environ
