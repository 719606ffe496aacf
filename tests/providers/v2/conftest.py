"""Fixtures of the v2 provider's integration tests (see ``support``)."""

from __future__ import annotations

from collections.abc import Iterator

import pytest

from providers.v2.support import PROVISION_SECONDS, Account, FakeTime
from vultr_state.emulator import Emulator, EmulatorConfig, EmulatorServer, ManualClock


@pytest.fixture
def account() -> Iterator[Account]:
    clock = ManualClock()
    config = EmulatorConfig(
        rate_limit=0, provision_seconds=PROVISION_SECONDS, snapshot_seconds=5, clock=clock, seed=3
    )
    emulator = Emulator(config)
    with EmulatorServer(emulator) as server:
        handle = Account(emulator=emulator, clock=clock, url=server.url, time=FakeTime(clock))
        yield handle
        handle.close()
    emulator.close()
