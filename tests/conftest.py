"""Suite-wide test gates and the fixtures of the command-line suites.

Gates: no test may reach the network beyond loopback (every test talks to the emulator on 127.0.0.1 or
through its in-process adapter; a connection to any other address is a bug in the test, or a leak of a
real API URL, and fails loudly here), no test inherits the developer's API settings, and the
``vultr_state`` logger a command configures is put back after every test.

Shared by ``tests/cli`` and ``tests/day2``: ``_server``, one emulator served on an ephemeral loopback port
per test session (stopping a server costs half a second); each suite's fixtures empty its account
before a test uses it. Their in-process runs of the CLI are ``tests/cli_support.py``'s.
"""

from __future__ import annotations

import ipaddress
import logging
import socket
from collections.abc import Iterator

import pytest

from vultr_state.emulator import Emulator, EmulatorConfig, EmulatorServer

_real_connect = socket.socket.connect
_real_connect_ex = socket.socket.connect_ex


def _is_loopback(address: object) -> bool:
    if not isinstance(address, tuple) or not address:
        return True  # AF_UNIX paths and the like never leave the machine
    host = str(address[0])
    if host == "localhost":
        return True
    try:
        return ipaddress.ip_address(host).is_loopback
    except ValueError:
        return False


def _guarded_connect(self: socket.socket, address: object) -> None:
    if not _is_loopback(address):
        raise RuntimeError(f"test tried to reach the network: {address!r} (only loopback is allowed)")
    return _real_connect(self, address)


def _guarded_connect_ex(self: socket.socket, address: object) -> int:
    if not _is_loopback(address):
        raise RuntimeError(f"test tried to reach the network: {address!r} (only loopback is allowed)")
    return _real_connect_ex(self, address)


@pytest.fixture(autouse=True, scope="session")
def _loopback_only():
    socket.socket.connect = _guarded_connect  # type: ignore[method-assign]
    socket.socket.connect_ex = _guarded_connect_ex  # type: ignore[method-assign]
    yield
    socket.socket.connect = _real_connect  # type: ignore[method-assign]
    socket.socket.connect_ex = _real_connect_ex  # type: ignore[method-assign]


@pytest.fixture(autouse=True)
def _no_real_api_url(monkeypatch: pytest.MonkeyPatch):
    """Tests never inherit a real API URL, key or API version from the developer's environment."""
    monkeypatch.delenv("VULTR_API_URL", raising=False)
    monkeypatch.delenv("VULTR_API_KEY", raising=False)
    monkeypatch.delenv("VULTR_API_VERSION", raising=False)


@pytest.fixture(autouse=True)
def _restore_logging() -> Iterator[None]:
    """Commands configure the ``vultr_state`` logger; put it back so other tests see the default."""
    logger = logging.getLogger("vultr_state")
    level, handlers = logger.level, list(logger.handlers)
    yield
    logger.setLevel(level)
    logger.handlers[:] = handlers


@pytest.fixture(scope="session")
def _server() -> Iterator[EmulatorServer]:
    """One emulator (both APIs, nothing pending) served on a loopback port for the whole session."""
    emu = Emulator(EmulatorConfig(rate_limit=0, provision_seconds=0, snapshot_seconds=0))
    with EmulatorServer(emu) as server:
        yield server
    emu.close()
