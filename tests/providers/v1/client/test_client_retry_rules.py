"""Retry and no-retry rules of the client, driven by exact answer sequences (scripted adapter).

Covered: reads and idempotent POSTs retry on 503/5xx/transport errors; creates retry only after a 503 or
a connection that never opened, and otherwise raise ApiOutcomeUnknown; destroys that meet a 412 after an
ambiguous attempt raise ApiOutcomeUnknown; 412/403/400 are never retried; attempts and total time are
bounded; Retry-After is honoured; a 503 holds the shared limiter. The same rules are exercised against
the emulator's fault injection in ``test_client_faults.py``.
"""

from __future__ import annotations

import random

import pytest
import requests
import urllib3.exceptions

from providers.v1.client.support import Reply, scripted_client
from vultr_state.errors import (
    ApiAuthError,
    ApiConnectError,
    ApiOutcomeUnknown,
    ApiRateLimited,
    ApiRequestFailed,
    ApiServerError,
    ApiTransportError,
    ApiUsageError,
)

OK_LIST = Reply(200, '{"5":{"SSHKEYID":"5","name":"k","ssh_key":"ssh-ed25519 AAAA k"}}')
RATE = Reply(
    503, "Rate limit reached - please try your request again later.  Current rate limit: 2 requests/sec"
)
BOOM = Reply(500, "Internal server error")


def refused() -> requests.exceptions.ConnectionError:
    """What requests raises when nothing listens on the port: the request never left."""
    reason = urllib3.exceptions.NewConnectionError(None, "Connection refused")
    return requests.exceptions.ConnectionError(urllib3.exceptions.MaxRetryError(None, "/v1/x", reason))


def reset() -> requests.exceptions.ConnectionError:
    """A connection dropped after the request was written: it may have been processed."""
    return requests.exceptions.ConnectionError(
        urllib3.exceptions.ProtocolError("Connection aborted.", ConnectionResetError(104, "reset"))
    )


@pytest.mark.parametrize(
    "failure",
    [RATE, BOOM, Reply(502, "bad gateway"), requests.exceptions.ReadTimeout("slow"), reset(), refused()],
)
def test_read_retries_then_succeeds(failure):
    client, adapter, fake = scripted_client([failure, failure, OK_LIST])
    assert client.sshkey_list() == {"5": {"SSHKEYID": "5", "name": "k", "ssh_key": "ssh-ed25519 AAAA k"}}
    assert client.calls == 3 == len(adapter.sent)
    assert len(fake.sleeps) == 2


@pytest.mark.parametrize(
    "status, error", [(412, ApiRequestFailed), (403, ApiAuthError), (400, ApiUsageError)]
)
def test_client_errors_are_never_retried(status, error):
    client, adapter, _ = scripted_client([Reply(status, "Invalid server.  Check SUBID value"), OK_LIST])
    with pytest.raises(error) as caught:
        client.server_list(subid=1)
    assert len(adapter.sent) == 1
    assert caught.value.status == status and caught.value.call == "GET server/list"


def test_idempotent_post_retries_on_5xx():
    client, adapter, _ = scripted_client([BOOM, Reply(200, "")])
    assert client.server_label_set(1, "web-1") is None
    assert [s.form for s in adapter.sent] == [{"SUBID": "1", "label": "web-1"}] * 2


@pytest.mark.parametrize(
    "failure", [BOOM, Reply(504, "gateway timeout"), requests.exceptions.ReadTimeout("x"), reset()]
)
def test_create_is_not_resent_after_an_ambiguous_failure(failure):
    client, adapter, _ = scripted_client([failure, Reply(200, '{"SUBID":"9"}')])
    with pytest.raises(ApiOutcomeUnknown) as caught:
        client.server_create(1, 201, 387, label="web-1")
    assert len(adapter.sent) == 1
    assert caught.value.call == "POST server/create"
    assert "look before trying again" in str(caught.value)
    assert isinstance(caught.value.__cause__, ApiServerError | ApiTransportError)


def test_create_with_an_unreadable_success_body_is_outcome_unknown():
    client, adapter, _ = scripted_client([Reply(200, '{"SUBID":')])
    with pytest.raises(ApiOutcomeUnknown) as caught:
        client.sshkey_create("deploy", "ssh-ed25519 AAAA deploy")
    assert caught.value.status == 200 and len(adapter.sent) == 1


@pytest.mark.parametrize("failure", [RATE, refused(), requests.exceptions.ConnectTimeout("no connect")])
def test_create_is_retried_when_it_certainly_did_nothing(failure):
    client, adapter, _ = scripted_client([failure, failure, Reply(200, '{"SCRIPTID":5}')])
    assert client.startupscript_create("boot", "#!/bin/sh\ntrue\n") == "5"
    assert len(adapter.sent) == 3


@pytest.mark.parametrize(
    "method, args",
    [
        ("server_start", (1,)),
        ("server_reboot", (1,)),
        ("server_reinstall", (1,)),
        ("server_os_change", (1, 387)),
        ("server_restore_snapshot", (1, "5359435d28b9a")),
        ("server_restore_backup", (1, "543d34149403a")),
        ("server_upgrade_plan", (1, 202)),
        ("server_create_ipv4", (1,)),
        ("snapshot_create", (1,)),
    ],
)
def test_non_repeatable_actions_raise_outcome_unknown(method, args):
    client, adapter, _ = scripted_client([BOOM, Reply(200, "")])
    with pytest.raises(ApiOutcomeUnknown):
        getattr(client, method)(*args)
    assert len(adapter.sent) == 1


def test_destroy_refused_after_an_ambiguous_attempt_is_outcome_unknown():
    gone = Reply(412, "Unable to destroy server: Server is already pending destruction.")
    client, adapter, _ = scripted_client([reset(), gone])
    with pytest.raises(ApiOutcomeUnknown) as caught:
        client.server_destroy(1)
    assert len(adapter.sent) == 2
    assert "already pending destruction" in caught.value.message
    assert "earlier attempt" in caught.value.message


def test_destroy_refused_without_an_earlier_doubt_is_a_plain_412():
    client, adapter, _ = scripted_client([RATE, Reply(412, "Invalid server.  Check SUBID value")])
    with pytest.raises(ApiRequestFailed):
        client.server_destroy(1)
    assert len(adapter.sent) == 2


def test_destroy_retries_until_success():
    client, adapter, _ = scripted_client([BOOM, reset(), Reply(200, "")])
    client.sshkey_destroy("5806ab4970aba")
    assert len(adapter.sent) == 3


def test_attempts_are_bounded_and_the_last_error_is_raised():
    client, adapter, fake = scripted_client([BOOM], max_attempts=4)
    with pytest.raises(ApiServerError):
        client.os_list()
    assert len(adapter.sent) == 4 and len(fake.sleeps) == 3


def test_total_retry_time_is_bounded():
    client, adapter, fake = scripted_client([Reply(503, "", {"Retry-After": "10"})], max_retry_seconds=25.0)
    with pytest.raises(ApiRateLimited):
        client.regions_list()
    assert fake.sleeps == [pytest.approx(10.0, abs=0.6)] * 2
    assert fake.now - 1000.0 <= 25.0
    assert len(adapter.sent) == 3


def test_retry_after_is_honoured_and_holds_the_shared_limiter():
    client, _, fake = scripted_client([Reply(503, "slow down", {"Retry-After": "7"}), OK_LIST], rate=100.0)
    client.sshkey_list()
    assert max(fake.sleeps) >= 7.0
    # the limiter was held too: the retry did not start before the Retry-After delay had passed
    assert fake.now - 1000.0 >= 7.0


def test_backoff_grows_exponentially_with_full_jitter():
    client, _, fake = scripted_client([BOOM], max_attempts=6, max_retry_seconds=1e6, rng=random.Random(1))
    with pytest.raises(ApiServerError):
        client.plans_list()
    ceilings = [0.5 * 2**i for i in range(5)]
    assert all(0.0 <= wait <= ceiling for wait, ceiling in zip(fake.sleeps, ceilings, strict=True))


def test_connect_error_type_is_distinct():
    client, _, _ = scripted_client([refused()], max_attempts=2)
    with pytest.raises(ApiConnectError) as caught:
        client.account_info()
    assert caught.value.status is None and isinstance(caught.value, ApiTransportError)
    assert isinstance(caught.value.__cause__, requests.exceptions.ConnectionError)


def test_raw_calls_follow_the_table_and_unknown_posts_are_never_resent():
    client, adapter, _ = scripted_client([BOOM, Reply(200, "{}")])
    with pytest.raises(ApiOutcomeUnknown):
        client.raw("POST", "server/firewall_group_set", {"SUBID": "1"})
    assert len(adapter.sent) == 1
    client2, adapter2, _ = scripted_client([BOOM, Reply(200, "[]")])
    assert client2.raw("GET", "/v1/server/list").body == "[]"
    assert len(adapter2.sent) == 2


def test_time_waiting_in_the_limiter_queue_does_not_eat_the_retry_budget():
    client, adapter, fake = scripted_client([BOOM, OK_LIST], max_retry_seconds=5.0, rate=0.01)
    client.rate_limiter.acquire()  # the next slot is 100 s away
    assert client.sshkey_list() and len(adapter.sent) == 2
    assert fake.now - 1000.0 >= 200.0  # both attempts queued 100 s in the limiter, yet the retry happened
