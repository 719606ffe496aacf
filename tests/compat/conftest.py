"""Fixtures for the third-party client compatibility tests: a real-socket emulator on an ephemeral port,
shared by the session and emptied before each test, with a manual clock (so tests move servers and
snapshots through their lifecycle without sleeping), and the SSH key the clients upload.

The clients under test are unmodified v1 libraries from PyPI (``vultr``, ``apache-libcloud``) and npm
(``@vultr/vultr-node``); each test module skips itself when its client is not installed.
"""

from __future__ import annotations

from collections.abc import Iterator

import pytest

from vultr_state.emulator import Emulator, EmulatorConfig, EmulatorServer, ManualClock

SSH_KEY = "ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAIOMqqnkVzrm0SdG6UOoqKLsabgH5C9okWi0dh2l9GKJl compat@ci"
PROVISION_SECONDS = 10
SNAPSHOT_SECONDS = 5


@pytest.fixture(scope="session")
def clock() -> ManualClock:
    return ManualClock()


@pytest.fixture(scope="session")
def shared_server(clock: ManualClock) -> Iterator[EmulatorServer]:
    """One emulator served for the whole session (stopping a server costs about half a second)."""
    config = EmulatorConfig(
        rate_limit=0, provision_seconds=PROVISION_SECONDS, snapshot_seconds=SNAPSHOT_SECONDS, clock=clock
    )
    with EmulatorServer(Emulator(config)) as running:
        yield running
    running.emulator.close()


@pytest.fixture
def server(shared_server: EmulatorServer) -> EmulatorServer:
    """The shared emulator, emptied for this test."""
    shared_server.emulator.reset()
    return shared_server
