"""``AppServer``: serve a WSGI app (the ``Emulator``) over HTTP/1.1 (keep-alive) on loopback, in a thread.

The base of ``vultr_state.emulator.EmulatorServer``, used by tests that need a real socket and by the
``emulator serve`` command. A small WSGI server on top of ``http.server``: each request body is read in
full first (``Content-Length`` or chunked, at most 2 MiB: a larger one answers 413, read away up to 64
MiB, and closes the connection), so keep-alive stays in sync whatever the app reads; Nagle is off, and
``DropConnection`` from the app closes the socket without writing a response. Every method reaches the
app; protocol-level errors answer a JSON error body. The access log is off by default; when on, it writes
one line per request to stderr: client, method, path and status only (never the query string, which may
carry ``api_key``). The accept loop sleeps in ``select`` without a timeout and is woken through a socket
pair when told to stop, so ``stop()`` returns at once and an idle server uses no CPU.
"""

from __future__ import annotations

import contextlib
import json
import selectors
import socket
import sys
import threading
from http import HTTPStatus
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any, Self
from urllib.parse import unquote, urlsplit

from vultr_state.emulator.core.faults import DropConnection
from vultr_state.emulator.core.wsgi_environ import build_environ

IDLE_TIMEOUT_SECONDS = 60
MAX_BODY_BYTES = 2 * 1024 * 1024  # larger bodies are refused (413) without being read
MAX_DISCARD_BYTES = 64 * 1024 * 1024  # up to this much of a refused body is read away first
MAX_LINE_BYTES = 1024


class _Handler(BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"
    disable_nagle_algorithm = True
    wbufsize = 1 << 16  # one send per response: headers and body leave together (flushed per request)
    timeout = IDLE_TIMEOUT_SECONDS
    server: _HttpServer

    def version_string(self) -> str:
        return "nginx"

    def setup(self) -> None:
        super().setup()
        self.server.track(self.connection, add=True)

    def finish(self) -> None:
        try:
            super().finish()
        finally:
            self.server.track(self.connection, add=False)

    def _environ(self, body: bytes) -> dict[str, Any]:
        parts = urlsplit(self.path)
        host, port = self.server.server_address[:2]
        return build_environ(
            method=self.command,
            path=unquote(parts.path),
            query=parts.query,
            headers=self.headers.items(),
            body=body,
            server_name=str(host),
            server_port=port,
            remote_addr=self.client_address[0],
            protocol=self.request_version,
        )

    def _read_body(self) -> bytes | None:
        """The request body (``Content-Length`` or chunked), or ``None`` after answering a 4xx for it."""
        if "chunked" in self.headers.get("Transfer-Encoding", "").lower():
            return self._read_chunked()
        text = (self.headers.get("Content-Length") or "0").strip()
        if not text.isdigit():
            self.send_error(400, "Invalid Content-Length.")
            return None
        length = int(text)
        if length > MAX_BODY_BYTES:
            if length <= MAX_DISCARD_BYTES:  # read it away so that the client sees the answer
                self._discard(length)
            self.send_error(413, "Request body too large.")
            return None
        return self.rfile.read(length) if length else b""

    def _discard(self, remaining: int) -> None:
        while remaining > 0:
            chunk = self.rfile.read(min(1 << 16, remaining))
            if not chunk:
                return
            remaining -= len(chunk)

    def _read_chunked(self) -> bytes | None:
        chunks, total = [], 0
        while True:
            size_line = self.rfile.readline(MAX_LINE_BYTES).split(b";", 1)[0].strip()
            try:
                size = int(size_line, 16)
            except ValueError:
                self.send_error(400, "Invalid chunked body.")
                return None
            total += size
            if size < 0 or total > MAX_BODY_BYTES:
                self.send_error(413, "Request body too large.")
                return None
            if size == 0:
                while self.rfile.readline(MAX_LINE_BYTES).strip():  # trailers
                    pass
                return b"".join(chunks)
            chunks.append(self.rfile.read(size))
            self.rfile.readline(MAX_LINE_BYTES)

    def _serve(self) -> None:
        body = self._read_body()
        if body is None:
            return
        captured: dict[str, Any] = {}

        def start_response(status: str, headers: list[tuple[str, str]], exc_info: Any = None) -> None:
            captured["status"], captured["headers"] = status, headers

        try:
            content = b"".join(self.server.app(self._environ(body), start_response))
        except DropConnection:
            self.log_request("dropped")
            self.close_connection = True
            with contextlib.suppress(OSError):  # the client may already be gone
                self.connection.shutdown(socket.SHUT_RDWR)
            return
        code, _, reason = captured["status"].partition(" ")
        self.send_response(int(code), reason)
        for name, value in captured["headers"]:
            self.send_header(name, value)
        self.end_headers()
        self.wfile.write(content)

    def __getattr__(self, name: str) -> Any:
        # Every method reaches the app (``do_TRACE``, ``do_FOO``...), which answers 405 in its own dialect,
        # instead of the base class's HTML 501.
        if name.startswith("do_"):
            return self._serve
        raise AttributeError(name)

    def send_error(self, code: int, message: str | None = None, explain: str | None = None) -> None:
        # Protocol-level errors (malformed request line, oversized headers) answer a JSON error body of the
        # v2 shape instead of the base class's HTML page; no v1 client reads these bodies.
        status = HTTPStatus(code)
        body = json.dumps({"error": message or status.phrase, "status": code}).encode()
        self.close_connection = True
        self.request_version = "HTTP/1.0" if self.request_version == "HTTP/0.9" else self.request_version
        try:
            self.send_response(code, status.phrase)
            self.send_header("Content-Type", "application/json")
            self.send_header("Content-Length", str(len(body)))
            self.send_header("Connection", "close")
            self.end_headers()
            if self.command != "HEAD" and code >= 200 and code not in (204, 304):
                self.wfile.write(body)
        except OSError:
            pass

    def log_request(self, code: int | str = "-", size: int | str = "-") -> None:
        if self.server.access_log:
            path = urlsplit(getattr(self, "path", "")).path  # never the query: it may carry api_key
            status = int(code) if str(code).isdigit() else code
            line = f'{self.client_address[0]} "{getattr(self, "command", None) or "-"} {path}" {status}\n'
            with contextlib.suppress(OSError, ValueError):
                sys.stderr.write(line)
                sys.stderr.flush()

    def log_message(self, format: str, *args: Any) -> None:
        """Silent: the base class would write every error to stderr (``log_request`` is the access log)."""


class _HttpServer(ThreadingHTTPServer):
    daemon_threads = True

    def __init__(self, address: tuple[str, int], app: Any, access_log: bool) -> None:
        self.app = app
        self.access_log = access_log
        self._connections: set[socket.socket] = set()
        self._connections_lock = threading.Lock()
        self._stopping = False
        self._loop_lock = threading.Lock()  # held while an accept loop runs
        self._wake_reader, self._wake_writer = socket.socketpair()
        super().__init__(address, _Handler)  # on a bind error it calls server_close() and raises OSError

    def serve_until_stopped(self) -> None:
        """Accept connections until ``stop_serving()``; sleeps in ``select`` until there is work."""
        with self._loop_lock, selectors.DefaultSelector() as selector:
            if self._stopping:
                return
            selector.register(self, selectors.EVENT_READ)
            selector.register(self._wake_reader, selectors.EVENT_READ)
            while True:
                ready = selector.select()
                if self._stopping:
                    return
                if any(key.fileobj is self for key, _ in ready):
                    self._handle_request_noblock()
                self.service_actions()

    def stop_serving(self) -> None:
        """End the accept loop (if one runs) and wait until it has; safe to call more than once."""
        self._stopping = True
        with contextlib.suppress(OSError):  # already closed: no loop left to wake
            self._wake_writer.send(b"\0")
        with self._loop_lock:  # a running loop holds it until it has returned
            pass

    def server_close(self) -> None:
        super().server_close()
        self._wake_reader.close()
        self._wake_writer.close()

    def track(self, connection: socket.socket, *, add: bool) -> None:
        with self._connections_lock:
            (self._connections.add if add else self._connections.discard)(connection)

    def handle_error(self, request: Any, client_address: Any) -> None:
        # A client that vanished mid-request (killed, timed out, reset) is routine for a test server:
        # no traceback on stderr. Anything else is still reported by the base class.
        if isinstance(sys.exc_info()[1], ConnectionError):
            return
        super().handle_error(request, client_address)

    def close_connections(self) -> None:
        with self._connections_lock:
            connections = list(self._connections)
        for connection in connections:
            with contextlib.suppress(OSError):
                connection.shutdown(socket.SHUT_RDWR)


class AppServer:
    """Run a WSGI app on ``host``:``port`` in a background thread; a context manager.

    Args:
        app: The WSGI application to serve.
        host: Interface to bind (loopback by default).
        port: TCP port; 0 picks a free one.
        access_log: Write one line per request to stderr: client address, method, path (never the query
            string), status or ``dropped``.

    Raises:
        OSError: The address cannot be bound (in use, not allowed).
    """

    def __init__(self, app: Any, *, host: str = "127.0.0.1", port: int = 0, access_log: bool = False) -> None:
        self._httpd = _HttpServer((host, port), app, access_log)
        self._thread: threading.Thread | None = None

    @property
    def url(self) -> str:
        """Base URL, e.g. ``http://127.0.0.1:8080`` (no trailing slash)."""
        host, port = self._httpd.server_address[:2]
        return f"http://{'[' + str(host) + ']' if ':' in str(host) else host}:{port}"

    def start(self) -> Self:
        """Start serving in a daemon thread."""
        self._thread = threading.Thread(
            target=self._httpd.serve_until_stopped, name="vultr-emulator", daemon=True
        )
        self._thread.start()
        return self

    def serve_forever(self) -> None:
        """Serve in the calling thread until ``stop()`` is called from another thread."""
        self._httpd.serve_until_stopped()

    def stop(self) -> None:
        """Stop serving (at once: no polling interval), close keep-alive connections and the socket."""
        self._httpd.stop_serving()
        self._httpd.close_connections()
        self._httpd.server_close()
        if self._thread is not None:
            self._thread.join(timeout=5)
            self._thread = None

    def __enter__(self) -> Self:
        return self.start()

    def __exit__(self, *exc_info: object) -> None:
        self.stop()
