"""The suite's network guard refuses non-loopback connections and lets loopback through."""

import socket

import pytest


def test_non_loopback_connection_is_refused():
    with (
        socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock,
        pytest.raises(RuntimeError, match="only loopback is allowed"),
    ):
        sock.connect(("192.0.2.1", 443))


def test_loopback_connection_is_allowed():
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as server:
        server.bind(("127.0.0.1", 0))
        server.listen(1)
        with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as client:
            client.connect(server.getsockname())
            conn, _ = server.accept()
            conn.close()
