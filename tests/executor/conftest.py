"""The ``api`` fixture: every executor test that takes it runs once per API (v1 and v2), against the
in-process emulator's face of that API (see ``support.Api`` for what differs per wire)."""

from __future__ import annotations

import pytest

from executor.support import API_NAMES, APIS, Api


@pytest.fixture(params=API_NAMES)
def api(request: pytest.FixtureRequest) -> Api:
    return APIS[request.param]
