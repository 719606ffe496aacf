"""Retry and no-retry rules against the emulator's fault injection (in process and over HTTP).

Reads ride out 500s, 503 bursts and dropped connections; creates are retried through 503 bursts but never
re-sent after a 500 or a lost answer (ApiOutcomeUnknown, and the emulator shows exactly what happened);
a destroy whose answer was lost and whose retry is refused reports ApiOutcomeUnknown; under mixed chaos no
create is ever duplicated. Clients sleep on a fake clock, so nothing here waits.
"""

from __future__ import annotations

import random

import pytest

from providers.v1.client.support import ed25519_public_key
from vultr_state.emulator import FaultConfig
from vultr_state.errors import ApiOutcomeUnknown, ApiRequestFailed


def clear_faults_on_sleep(api):
    """A sleep that removes every fault: the first attempt meets the fault, the retry does not."""

    def sleep(seconds: float) -> None:
        api.fake.sleep(seconds)
        api.emulator.faults = FaultConfig()

    return sleep


def test_reads_ride_out_500s_drops_and_503_bursts(api):
    api.emulator.faults = FaultConfig(
        seed=7, error_500_rate=0.25, drop_rate=0.1, burst_503_every=5, burst_503_length=1
    )
    client = api.new_client(rng=random.Random(7))
    for _ in range(30):
        assert client.sshkey_list() == {}
    assert client.calls > 30 and len(api.fake.sleeps) == client.calls - 30


def test_creates_are_retried_through_503_bursts_without_duplicates(api):
    api.emulator.faults = FaultConfig(burst_503_every=2, burst_503_length=1)
    client = api.client
    ids = [client.sshkey_create(f"key-{n}", ed25519_public_key(b"k%d" % n, f"k{n}")) for n in range(5)]
    assert len(set(ids)) == 5
    assert sorted(k["name"] for k in api.emulator.ssh_keys()) == [f"key-{n}" for n in range(5)]
    # every second call is refused: creates 2-5 each met one 503 and were sent again
    assert client.calls == 9 and len(api.fake.sleeps) == 4


def test_create_after_a_500_is_outcome_unknown_and_not_resent(api):
    api.emulator.faults = FaultConfig(error_500_rate=1.0)
    with pytest.raises(ApiOutcomeUnknown) as caught:
        api.client.startupscript_create("boot", "#!/bin/sh\ntrue\n")
    assert caught.value.status == 500 and caught.value.call == "POST startupscript/create"
    assert api.client.calls == 1 and api.emulator.startup_scripts() == []


def test_create_whose_answer_was_lost_is_outcome_unknown_and_happened_once(api):
    api.emulator.faults = FaultConfig(commit_drop_rate=1.0)
    with pytest.raises(ApiOutcomeUnknown) as caught:
        api.client.sshkey_create("deploy", ed25519_public_key(b"lost", "deploy"))
    assert caught.value.status is None and api.client.calls == 1
    api.emulator.faults = FaultConfig()
    assert [key["name"] for key in api.client.sshkey_list().values()] == ["deploy"]


def test_server_create_lost_answer_then_caller_finds_the_server(api):
    client = api.client
    dcid = next(iter(client.regions_list()))
    plan = client.regions_availability(dcid)[0]
    osid = next(k for k, os in client.os_list().items() if os["family"] == "ubuntu")
    api.emulator.faults = FaultConfig(commit_drop_rate=1.0)
    with pytest.raises(ApiOutcomeUnknown):
        client.server_create(dcid, plan, osid, label="web-1")
    api.emulator.faults = FaultConfig()
    assert [server["label"] for server in client.server_list(label="web-1").values()] == ["web-1"]


def test_idempotent_post_with_a_lost_answer_is_retried(api):
    client = api.new_client(sleep=clear_faults_on_sleep(api))
    keyid = client.sshkey_create("deploy", ed25519_public_key(b"idem", "deploy"))
    api.emulator.faults = FaultConfig(commit_drop_rate=1.0)
    client.sshkey_update(keyid, name="renamed")
    assert client.calls_by_endpoint["POST sshkey/update"] == 2
    assert client.sshkey_list()[keyid]["name"] == "renamed"


def test_destroy_with_a_lost_answer_then_refused_is_outcome_unknown(api):
    client = api.new_client(sleep=clear_faults_on_sleep(api))
    scriptid = client.startupscript_create("boot", "#!/bin/sh\ntrue\n")
    api.emulator.faults = FaultConfig(commit_drop_rate=1.0)
    with pytest.raises(ApiOutcomeUnknown) as caught:
        client.startupscript_destroy(scriptid)
    assert caught.value.status == 412 and "Invalid statup script" in caught.value.message
    assert isinstance(caught.value.__cause__, ApiRequestFailed)
    assert client.startupscript_list() == {}


def test_power_action_with_a_lost_answer_is_not_repeated(api):
    client = api.client
    dcid = next(iter(client.regions_list()))
    plan = client.regions_availability(dcid)[0]
    osid = next(k for k, os in client.os_list().items() if os["family"] == "ubuntu")
    subid = client.server_create(dcid, plan, osid)
    api.clock.advance(60)
    api.emulator.faults = FaultConfig(commit_drop_rate=1.0)
    with pytest.raises(ApiOutcomeUnknown):
        client.server_reboot(subid)
    assert client.calls_by_endpoint["POST server/reboot"] == 1


def test_no_create_is_ever_duplicated_under_mixed_chaos(api):
    api.emulator.faults = FaultConfig(
        seed=11,
        error_500_rate=0.15,
        drop_rate=0.1,
        commit_drop_rate=0.15,
        burst_503_every=4,
        burst_503_length=1,
    )
    client = api.new_client(rng=random.Random(11))
    created, unknown = [], []
    for n in range(25):
        try:
            created.append(client.startupscript_create(f"script-{n}", f"#!/bin/sh\necho {n}\n"))
        except ApiOutcomeUnknown:
            unknown.append(f"script-{n}")
    names = [script["name"] for script in api.emulator.startup_scripts()]
    assert len(names) == len(set(names)), "a create was sent twice"
    assert len(created) <= len(names) <= len(created) + len(unknown)
    assert created and unknown  # the seed produces both outcomes
