"""Persistence across restarts, reset, concurrent requests, and per-key rate limiting."""

from __future__ import annotations

import threading

import requests

from tests.emulator.conftest import SSH_ED25519, Api, adapter_api
from vultr_state.emulator import DEFAULT_API_KEY, Emulator, EmulatorConfig, EmulatorServer, ManualClock

RATE_TEXT = "Rate limit reached - please try your request again later.  Current rate limit: {} requests/sec"


def test_file_state_survives_a_restart(tmp_path, clock: ManualClock) -> None:
    path = str(tmp_path / "account.sqlite")
    config = EmulatorConfig(rate_limit=0, provision_seconds=0, state_file=path, clock=clock)
    first = Emulator(config)
    api = adapter_api(first)
    subid = api.create_server(label="keep-me")
    key_id = api.ok(api.post("sshkey/create", name="k", ssh_key=SSH_ED25519))["SSHKEYID"]
    first.close()
    second = Emulator(config)
    again = adapter_api(second)
    assert again.ok(again.get("server/list", SUBID=subid))["label"] == "keep-me"
    assert key_id in again.ok(again.get("sshkey/list"))
    assert int(again.create_server()) == int(subid) + 1  # counters persist too
    second.reset()
    assert again.get("server/list").text == "[]"
    second.close()


def test_a_restarted_emulator_loads_every_kind_at_start_in_order(tmp_path, clock: ManualClock) -> None:
    """``Store.load_all`` (run when an emulator opens a state file) keeps each kind's order, and a kind
    with nothing stored yet is still writable after it."""
    path = str(tmp_path / "account.sqlite")
    config = EmulatorConfig(rate_limit=0, provision_seconds=0, state_file=path, clock=clock)
    first = Emulator(config)
    api = adapter_api(first)
    subids = [api.create_server(label=f"node-{i}") for i in range(3)]
    api.ok(api.post("sshkey/create", name="k", ssh_key=SSH_ED25519))
    subids.append(api.create_server(label="node-3"))  # interleaved with another kind
    first.close()
    second = Emulator(config)
    again = adapter_api(second)
    assert list(again.ok(again.get("server/list"))) == subids
    assert again.get("startupscript/list").text == "[]"
    script = again.ok(again.post("startupscript/create", name="s", script="#!/bin/sh\necho"))["SCRIPTID"]
    assert list(again.ok(again.get("startupscript/list"))) == [str(script)]
    second.close()


def test_concurrent_creates_from_threads_are_all_kept(emulator: Emulator) -> None:
    with EmulatorServer(emulator) as server:

        def create(count: int) -> None:
            session = requests.Session()
            worker = Api(session, server.url)
            for _ in range(count):
                worker.create_server()
            session.close()

        threads = [threading.Thread(target=create, args=(25,)) for _ in range(8)]
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join()
    servers = emulator.servers()
    assert len(servers) == 200
    assert len({s["SUBID"] for s in servers}) == 200


def test_rate_limit_per_key_with_burst_and_refill(make_emulator, clock: ManualClock) -> None:
    emulator = make_emulator(rate_limit=2, rate_burst=3, api_keys=(DEFAULT_API_KEY, "OTHER"))
    api = adapter_api(emulator)
    statuses = [api.get("server/list").status_code for _ in range(4)]
    assert statuses == [200, 200, 200, 503]
    limited = api.get("server/list")
    assert limited.text == RATE_TEXT.format(2)
    assert api.get("server/list", key="OTHER").status_code == 200  # buckets are per key
    for _ in range(10):
        assert api.get("os/list", key=None).status_code == 200  # public calls without a key: unlimited
    clock.advance(0.5)
    assert api.get("server/list").status_code == 200
    assert api.get("server/list").status_code == 503
    clock.advance(10)
    assert [api.get("server/list").status_code for _ in range(4)] == [200, 200, 200, 503]


def test_rate_limit_text_reflects_the_configured_rate_and_zero_disables(make_emulator) -> None:
    api = adapter_api(make_emulator(rate_limit=3, rate_burst=1))
    api.get("server/list")
    assert api.get("server/list").text == RATE_TEXT.format(3)
    unlimited = adapter_api(make_emulator(rate_limit=0))
    assert all(unlimited.get("server/list").status_code == 200 for _ in range(50))


def test_default_config_limits_at_two_per_second() -> None:
    config = EmulatorConfig()
    assert (config.rate_limit, config.api_keys) == (2.0, ("EMULATOR-API-KEY",))
    assert "EMULATOR-API-KEY" not in repr(config)
