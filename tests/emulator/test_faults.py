"""Seeded, reproducible fault injection: latency, 500s, 503 bursts, drops, commit-then-drop."""

from __future__ import annotations

import pytest
import requests

from tests.emulator.conftest import Api, adapter_api
from vultr_state.emulator import DEFAULT_API_KEY, Emulator, EmulatorServer, FaultConfig


def _statuses(api: Api, count: int) -> list[object]:
    outcomes: list[object] = []
    for _ in range(count):
        try:
            outcomes.append(api.get("server/list").status_code)
        except requests.exceptions.ConnectionError:
            outcomes.append("dropped")
    return outcomes


def test_500_share_is_reproducible_for_a_seed(make_emulator) -> None:
    faults = FaultConfig(seed=7, error_500_rate=0.3)
    first = _statuses(adapter_api(make_emulator(faults=faults)), 60)
    second = _statuses(adapter_api(make_emulator(faults=faults)), 60)
    assert first == second
    assert 5 < first.count(500) < 35 and set(first) == {200, 500}
    other = _statuses(adapter_api(make_emulator(faults=FaultConfig(seed=8, error_500_rate=0.3))), 60)
    assert other != first


def test_503_bursts_every_n_calls(emulator: Emulator, api: Api) -> None:
    emulator.faults = FaultConfig(burst_503_every=5, burst_503_length=2)
    assert _statuses(api, 10) == [200, 200, 200, 503, 503] * 2
    limited = api.get("server/list")
    assert limited.status_code == 200
    emulator.faults = FaultConfig(burst_503_every=3, burst_503_length=1)
    response = [api.get("server/list") for _ in range(3)][-1]
    assert response.status_code == 503 and response.text.startswith("Rate limit reached")


def test_latency_with_jitter_uses_the_injected_sleep(make_emulator) -> None:
    slept: list[float] = []
    emulator = make_emulator(
        sleep=slept.append, faults=FaultConfig(seed=1, latency_ms=100, latency_jitter_ms=50)
    )
    api = adapter_api(emulator)
    _statuses(api, 5)
    assert len(slept) == 5 and all(0.1 <= delay <= 0.15 for delay in slept)
    assert len(set(slept)) > 1


def test_drop_before_processing_loses_the_mutation(emulator: Emulator, api: Api) -> None:
    emulator.faults = FaultConfig(drop_rate=1.0)
    with pytest.raises(requests.exceptions.ConnectionError):
        api.post("server/create", DCID=1, VPSPLANID=201, OSID=1743)
    emulator.faults = FaultConfig()
    assert emulator.servers() == []


def test_commit_then_drop_keeps_the_mutation_in_process(emulator: Emulator, api: Api) -> None:
    emulator.faults = FaultConfig(commit_drop_rate=1.0)
    with pytest.raises(requests.exceptions.ConnectionError):
        api.post("server/create", DCID=1, VPSPLANID=201, OSID=1743, label="ghost")
    emulator.faults = FaultConfig()
    assert [s["label"] for s in emulator.servers()] == ["ghost"]


def test_commit_then_drop_over_a_socket_closes_without_answer(emulator: Emulator) -> None:
    emulator.faults = FaultConfig(commit_drop_rate=1.0)
    with EmulatorServer(emulator) as server:
        session = requests.Session()
        with pytest.raises(requests.exceptions.ConnectionError):
            Api(session, server.url).post("server/create", DCID=1, VPSPLANID=201, OSID=1743, label="lost")
        emulator.faults = FaultConfig()
        listed = Api(session, server.url).get("server/list").json()  # a fresh connection works
        assert [s["label"] for s in listed.values()] == ["lost"]
        session.close()


def test_admin_path_is_never_faulted_and_can_set_faults(emulator: Emulator) -> None:
    emulator.faults = FaultConfig(error_500_rate=1.0)
    with EmulatorServer(emulator) as server:
        headers = {"API-Key": DEFAULT_API_KEY}
        health = requests.get(server.url + "/_emulator/health", headers=headers)
        assert health.json() == {"ok": True, "servers": 0}
        assert requests.get(server.url + "/v1/server/list", headers=headers).status_code == 500
        requests.post(
            server.url + "/_emulator/faults", data={"seed": "3"}, headers=headers
        ).raise_for_status()
        assert emulator.faults == FaultConfig(seed=3)
        assert requests.get(server.url + "/v1/server/list", headers=headers).status_code == 200
        assert requests.post(server.url + "/_emulator/reset", headers=headers).status_code == 200
        assert requests.get(server.url + "/_emulator/health").status_code == 403
