"""v2 rate limit (30/s default, the recorded 429, per-API settings), every fault kind on v2, and the
account surviving a restart on a state file."""

from __future__ import annotations

import pytest
import requests

from tests.emulator.v2.conftest import V2, adapter_v2, recorded
from vultr_state.emulator import DEFAULT_API_KEY, EmulatorConfig, EmulatorServer, FaultConfig, ManualClock


def test_default_limit_is_30_per_second_with_the_recorded_429(make_emulator, clock: ManualClock) -> None:
    v2 = adapter_v2(make_emulator(rate_limit=2.0))
    statuses = [v2.get("/ssh-keys").status_code for _ in range(31)]
    assert statuses == [200] * 30 + [429]
    limited = v2.get("/ssh-keys")
    assert limited.content == b'{"status": 429,"error": "rate limit exceeded"}'
    assert limited.json() == recorded("429_rate_limit_exceeded.2021.json")
    assert limited.headers["Content-Type"] == "application/json"
    clock.advance(1.0)  # refills 30 tokens, the burst cap
    assert [v2.get("/ssh-keys").status_code for _ in range(31)] == [200] * 30 + [429]


def test_public_calls_without_a_key_are_not_limited(make_emulator) -> None:
    v2 = adapter_v2(make_emulator(rate_limit=2.0), key=None)
    assert {v2.get("/regions").status_code for _ in range(40)} == {200}


def test_rate_limit_zero_turns_both_apis_off_and_each_api_has_its_own_setting(make_emulator) -> None:
    v2 = adapter_v2(make_emulator(rate_limit=0))
    assert {v2.get("/ssh-keys").status_code for _ in range(100)} == {200}
    own = adapter_v2(make_emulator(rate_limit=0, v2_rate_limit=1, v2_rate_burst=2))
    assert [own.get("/ssh-keys").status_code for _ in range(3)] == [200, 200, 429]
    assert (
        EmulatorConfig().effective_v2_rate_limit == 30
        and EmulatorConfig(rate_limit=0).effective_v2_rate_limit == 0
    )


def test_v1_keeps_its_own_limit(make_emulator) -> None:
    emulator = make_emulator(rate_limit=2.0, rate_burst=1)
    v2 = adapter_v2(emulator)
    v2.session.get("https://api.vultr.com/v1/sshkey/list", headers={"API-Key": DEFAULT_API_KEY})
    assert (
        v2.session.get(
            "https://api.vultr.com/v1/sshkey/list", headers={"API-Key": DEFAULT_API_KEY}
        ).status_code
        == 503
    )
    assert v2.get("/ssh-keys").status_code == 200


def test_error_500_fault_is_json(v2: V2, emulator) -> None:
    emulator.faults = FaultConfig(error_500_rate=1.0)
    response = v2.get("/ssh-keys")
    assert response.status_code == 500 and response.headers["Content-Type"] == "application/json"
    assert response.json()["status"] == 500


def test_throttle_burst_fault_answers_the_429(v2: V2, emulator) -> None:
    emulator.faults = FaultConfig(burst_503_every=2, burst_503_length=1)
    assert [v2.get("/ssh-keys").status_code for _ in range(4)] == [200, 429, 200, 429]


def test_drop_and_commit_then_drop(v2: V2, emulator) -> None:
    emulator.faults = FaultConfig(drop_rate=1.0)
    with pytest.raises(requests.ConnectionError):
        v2.create_key()
    emulator.faults = FaultConfig(commit_drop_rate=1.0)
    with pytest.raises(requests.ConnectionError):
        v2.create_key()
    emulator.faults = FaultConfig()
    assert len(v2.ok(v2.get("/ssh-keys"))["ssh_keys"]) == 1


def test_latency_fault_sleeps_on_v2_too(make_emulator) -> None:
    slept: list[float] = []
    emulator = make_emulator(sleep=slept.append, faults=FaultConfig(latency_ms=250))
    adapter_v2(emulator).get("/regions")
    assert slept == [0.25]


def test_dropped_connection_over_a_real_socket(emulator) -> None:
    emulator.faults = FaultConfig(drop_rate=1.0)
    with EmulatorServer(emulator) as server, pytest.raises(requests.ConnectionError):
        requests.get(
            server.url + "/v2/ssh-keys", headers={"Authorization": f"Bearer {DEFAULT_API_KEY}"}, timeout=5
        )


def test_account_survives_a_restart(tmp_path, make_emulator) -> None:
    state = str(tmp_path / "account.sqlite")
    first = make_emulator(state_file=state)
    v2 = adapter_v2(first)
    key_id = v2.create_key()
    instance = v2.create_instance(tags=["keep"], enable_ipv6=True)
    first.close()
    again = adapter_v2(make_emulator(state_file=state))
    assert again.ok(again.get(f"/ssh-keys/{key_id}"))["ssh_key"]["name"] == "deploy"
    got = again.ok(again.get(f"/instances/{instance['id']}"))["instance"]
    assert got["tags"] == ["keep"] and got["features"] == ["ipv6"]
    newer = again.create_key("second")
    assert newer > key_id


def test_reset_empties_both_accounts(v2: V2, emulator) -> None:
    v2.create_key()
    emulator.reset()
    assert v2.ok(v2.get("/ssh-keys"))["meta"]["total"] == 0
