"""Every error class, produced by the emulator (in process and over HTTP) or by real sockets.

400/405 → ApiUsageError, 403 → ApiAuthError, 412 → ApiRequestFailed with Vultr's text, 500 →
ApiServerError, 503 → ApiRateLimited, refused connection → ApiConnectError, timeout / dropped
connection → ApiTransportError, missing key → ConfigError before anything is sent. Each names the call
and the status.
"""

from __future__ import annotations

import socket
import threading

import pytest
import requests

from providers.v1.client.support import TEST_KEY, FakeTime
from vultr_state.emulator import FaultConfig
from vultr_state.errors import (
    ApiAuthError,
    ApiConnectError,
    ApiRateLimited,
    ApiRequestFailed,
    ApiServerError,
    ApiTransportError,
    ApiUsageError,
    ConfigError,
)
from vultr_state.providers.v1.client import ClientSettings, RateLimiter, VultrClient

INVALID_SERVER = "Invalid server.  Check SUBID value and ensure your API key matches the server's account"


def test_412_carries_vultrs_text(api):
    with pytest.raises(ApiRequestFailed) as caught:
        api.client.server_halt(999)
    error = caught.value
    assert (error.call, error.status, error.message) == ("POST server/halt", 412, INVALID_SERVER)
    assert str(error) == f"POST server/halt failed (HTTP 412): {INVALID_SERVER}"
    assert api.client.calls == 1


def test_403_bad_key(api):
    client = api.new_client(api_key="WRONG-KEY-0000")
    with pytest.raises(ApiAuthError) as caught:
        client.sshkey_list()
    assert caught.value.status == 403 and caught.value.call == "GET sshkey/list"
    assert "Invalid API key" in caught.value.message and client.calls == 1


def test_missing_key_is_a_config_error_before_sending(api):
    client = api.new_client(api_key=None)
    with pytest.raises(ConfigError, match="GET server/list needs an API key"):
        client.server_list()
    assert client.calls == 0


def test_400_unknown_location_and_405_wrong_method(api):
    with pytest.raises(ApiUsageError) as unknown:
        api.client.raw("GET", "server/nothing_here")
    assert unknown.value.status == 400
    with pytest.raises(ApiUsageError) as wrong_method:
        api.client.raw("POST", "server/list")
    assert wrong_method.value.status == 405 and wrong_method.value.call == "POST server/list"
    assert api.client.calls == 2


@pytest.mark.parametrize(
    "method, path", [("PUT", "server/list"), ("GET", "../etc/passwd"), ("GET", "server")]
)
def test_raw_refuses_bad_methods_and_paths(api, method, path):
    with pytest.raises(ConfigError):
        api.client.raw(method, path)


def test_raw_refuses_a_key_parameter(api):
    with pytest.raises(ConfigError, match="API-Key header"):
        api.client.raw("GET", "server/list", {"api_key": TEST_KEY})


def test_500_after_bounded_retries(api):
    api.emulator.faults = FaultConfig(error_500_rate=1.0)
    client = api.new_client(max_attempts=3)
    with pytest.raises(ApiServerError) as caught:
        client.sshkey_list()
    assert caught.value.status == 500 and client.calls == 3


def test_503_rate_limited(api, clock):
    api.emulator.faults = FaultConfig(burst_503_every=1, burst_503_length=1)
    client = api.new_client(max_attempts=2)
    with pytest.raises(ApiRateLimited) as caught:
        client.regions_list()
    assert caught.value.status == 503 and "Rate limit reached" in caught.value.message


def test_dropped_connection_is_a_transport_error(api):
    api.emulator.faults = FaultConfig(drop_rate=1.0)
    client = api.new_client(max_attempts=2)
    with pytest.raises(ApiTransportError) as caught:
        client.server_list()
    assert caught.value.status is None and caught.value.call == "GET server/list"
    assert not isinstance(caught.value, ApiConnectError)
    assert isinstance(caught.value.__cause__, requests.RequestException)


def client_for(url: str, **kwargs) -> VultrClient:
    fake = FakeTime()
    settings = ClientSettings(api_key=TEST_KEY, api_url=url, rate_limit=0)
    return VultrClient(settings, rate_limiter=RateLimiter(0), sleep=fake.sleep, clock=fake.clock, **kwargs)


def test_refused_connection_is_a_connect_error():
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]  # nothing listens once the probe is closed
    client = client_for(f"http://127.0.0.1:{port}", max_attempts=2)
    with pytest.raises(ApiConnectError) as caught:
        client.server_create(1, 201, 387)  # a create may be retried: nothing was sent
    assert caught.value.status is None and client.calls == 2


def test_read_timeout_is_a_transport_error():
    """A server that accepts and never answers: the read timeout fires (0.2 s of real waiting)."""
    listener = socket.socket()
    listener.bind(("127.0.0.1", 0))
    listener.listen(4)
    accepted: list[socket.socket] = []
    stop = threading.Event()

    def accept() -> None:
        listener.settimeout(0.05)
        while not stop.is_set():
            try:
                accepted.append(listener.accept()[0])
            except OSError:
                continue

    thread = threading.Thread(target=accept, daemon=True)
    thread.start()
    try:
        client = client_for(
            f"http://127.0.0.1:{listener.getsockname()[1]}", timeout=(1.0, 0.2), max_attempts=1
        )
        with pytest.raises(ApiTransportError, match="timed out") as caught:
            client.account_info()
        assert not isinstance(caught.value, ApiConnectError)
    finally:
        stop.set()
        thread.join()
        for connection in accepted:
            connection.close()
        listener.close()
