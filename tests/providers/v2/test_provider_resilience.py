"""The v2 provider under the emulator's faults, over real HTTP: several pages per list, 429s, lost and
failed creates (never re-sent), the locked-instance wait and its bound, and secrets kept out of logs and
error messages."""

from __future__ import annotations

import base64
import json
import logging

import pytest
import requests

from providers.v2.support import Account
from vultr_state.emulator import DEFAULT_API_KEY, EmulatorAdapter, FaultConfig
from vultr_state.errors import ApiError, ApiOutcomeUnknown, ApiRequestFailed, ObjectGone
from vultr_state.http.settings import ClientSettings
from vultr_state.model.plan import Kind
from vultr_state.model.server import BootSource, ServerCreate
from vultr_state.providers.base import ReadScope
from vultr_state.providers.v2.provider import V2Provider

LISTS = 7
PUBLIC_KEY = "ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAIOMqqnkVzrm0SdG6UOoqKLsabgH5C9okWi0dh2l9GKJl deploy@ci"
SECRET_SCRIPT = "#!/bin/sh\necho 'TOP-SECRET-BODY-6f1e' > /root/token\n"


def _in_process(account: Account) -> V2Provider:
    """A provider on the same account through the in-process adapter (fast seeding, no socket)."""
    session = requests.Session()
    session.mount("https://api.vultr.com/", EmulatorAdapter(account.emulator))
    settings = ClientSettings(api_key=DEFAULT_API_KEY, api_url="https://api.vultr.com", rate_limit=0)
    return V2Provider(settings, session=session)


def _server(label: str = "web-1") -> ServerCreate:
    return ServerCreate(label=label, region_id="ewr", plan_id="vc2-1c-1gb", boot=BootSource.os("477"))


def test_lists_longer_than_a_page_take_one_call_per_page(account: Account) -> None:
    seeder = _in_process(account)
    for n in range(1001):
        seeder.operations.create_startup_script(f"script-{n:04}", "echo hi\n", "boot")
    seeder.close()
    provider = account.provider()
    live = provider.read(ReadScope(project="web", script_bodies=frozenset()))
    assert len(live.startup_scripts) == 1001
    assert len({s.id for s in live.startup_scripts}) == 1001
    assert provider.calls == LISTS + 2  # 1001 scripts = 3 pages of at most 500
    assert provider.pipeline.calls_by_endpoint["GET /startup-scripts"] == 3
    assert len(provider.operations.list_names(Kind.STARTUP_SCRIPT)) == 1001


def test_rate_limited_answers_are_retried_with_a_back_off(account: Account) -> None:
    provider = account.provider()
    account.emulator.faults = FaultConfig(burst_503_every=3, burst_503_length=1)  # every 3rd call: 429
    live = provider.read(ReadScope(project="web"))
    throttled = provider.calls - LISTS
    assert throttled >= 3 and live.catalog.regions
    assert len(account.time.slept) == throttled  # one back-off per 429 ...
    assert all(0 <= wait <= 30 for wait in account.time.slept)  # ... jittered and capped


def test_a_rate_limited_create_is_sent_again_because_nothing_happened(account: Account) -> None:
    provider = account.provider()
    account.emulator.faults = FaultConfig(burst_503_every=1, burst_503_length=1)
    with pytest.raises(Exception) as limited:
        provider.operations.create_ssh_key("deploy", PUBLIC_KEY)
    assert "429" in str(limited.value)  # every attempt throttled: the budget ran out
    account.emulator.faults = FaultConfig(burst_503_every=2, burst_503_length=1)
    key_id = provider.operations.create_ssh_key("deploy", PUBLIC_KEY)
    account.emulator.faults = FaultConfig()
    assert dict(provider.operations.list_names(Kind.SSH_KEY)) == {key_id: "deploy"}


def test_a_lost_create_answer_is_never_re_sent(account: Account) -> None:
    provider = account.provider()
    account.emulator.faults = FaultConfig(commit_drop_rate=1.0)
    with pytest.raises(ApiOutcomeUnknown, match="look before trying again"):
        provider.operations.create_ssh_key("deploy", PUBLIC_KEY)
    assert provider.pipeline.calls_by_endpoint["POST /ssh-keys"] == 1
    account.emulator.faults = FaultConfig()
    names = provider.operations.list_names(Kind.SSH_KEY)
    assert [name for _, name in names] == ["deploy"]  # it was created: the executor adopts it


def test_a_server_error_on_create_is_outcome_unknown_and_sent_once(account: Account) -> None:
    provider = account.provider()
    account.emulator.faults = FaultConfig(error_500_rate=1.0)
    with pytest.raises(ApiOutcomeUnknown):
        provider.operations.create_server(_server())
    assert provider.pipeline.calls_by_endpoint["POST /instances"] == 1


def test_reads_are_retried_through_server_errors(account: Account) -> None:
    provider = account.provider()
    account.emulator.faults = FaultConfig(seed=5, error_500_rate=0.3)
    live = provider.read(ReadScope(project="web"))
    assert live.catalog.plans and provider.calls > LISTS


def test_deleting_a_locked_server_waits_until_the_lock_clears(account: Account) -> None:
    provider = account.provider(lock_wait_seconds=600)
    server_id = provider.operations.create_server(_server())
    provider.operations.destroy(Kind.SERVER, server_id)  # pending/locked for 20 s of emulator time
    assert provider.operations.list_servers() == ()
    locked_refusals = provider.pipeline.calls_by_endpoint[f"DELETE /instances/{server_id}"] - 1
    assert locked_refusals >= 1 and sum(account.time.slept) >= 20
    with pytest.raises(ObjectGone):
        provider.operations.destroy(Kind.SERVER, server_id)


def test_the_lock_wait_is_bounded(account: Account) -> None:
    provider = account.provider(lock_wait_seconds=5)
    server_id = provider.operations.create_server(_server())
    with pytest.raises(ApiRequestFailed, match="Server is currently locked") as refused:
        provider.operations.destroy(Kind.SERVER, server_id)
    assert refused.value.status == 500
    assert sum(account.time.slept) <= 5
    with pytest.raises(ApiRequestFailed, match="currently locked"):
        provider.operations.reinstall(server_id, BootSource.os("1743"))


def test_secrets_never_reach_logs_or_error_messages(
    account: Account, caplog: pytest.LogCaptureFixture
) -> None:
    caplog.set_level(logging.DEBUG)
    provider = account.provider(project="web")
    encoded = base64.b64encode(SECRET_SCRIPT.encode()).decode()
    script_id = provider.operations.create_startup_script("bootstrap", SECRET_SCRIPT, "boot")
    provider.operations.update_startup_script(script_id, script=SECRET_SCRIPT + "# v2\n")
    provider.operations.create_server(_server())
    created = provider.api.raw("POST", "instances", {"region": "ewr", "plan": "vc2-1c-1gb", "os_id": 477})
    password = json.loads(created.body)["instance"]["default_password"]
    live = provider.read(ReadScope(project="web"))
    assert live.startup_scripts[0].script.startswith(SECRET_SCRIPT)

    errors: list[str] = []
    with pytest.raises(ApiRequestFailed) as refused:
        provider.operations.create_startup_script("bad", SECRET_SCRIPT, "not-a-type")
    errors.append(str(refused.value))
    account.emulator.faults = FaultConfig(error_500_rate=1.0)
    with pytest.raises(ApiOutcomeUnknown) as lost:
        provider.operations.create_startup_script("again", SECRET_SCRIPT, "boot")
    errors.append(str(lost.value))

    shown = "\n".join([caplog.text, *errors, repr(provider), repr(live.startup_scripts)])
    assert password not in repr(live.servers)
    for secret in (DEFAULT_API_KEY, SECRET_SCRIPT.strip(), "TOP-SECRET-BODY-6f1e", encoded, password):
        assert secret not in shown
    assert "POST /startup-scripts" in caplog.text  # the calls themselves are logged


def _corrupting(app, path: str, key: str, field: str, value: object):
    """A WSGI app answering as ``app`` does, except that the first item of the ``key`` list of ``GET
    path`` carries ``value`` in ``field`` (a wire body no converter accepts)."""

    def corrupted(environ, start_response):
        if environ["PATH_INFO"] != path:
            return app(environ, start_response)
        captured = {}
        body = b"".join(app(environ, lambda status, headers, exc=None: captured.update(status=status)))
        document = json.loads(body)
        document[key][0][field] = value
        text = json.dumps(document).encode()
        start_response(captured["status"], [("Content-Type", "application/json"),
                                             ("Content-Length", str(len(text)))])  # fmt: skip
        return [text]

    return corrupted


@pytest.mark.parametrize(
    ("path", "key", "field", "value"),
    [
        ("/v2/instances", "instances", "label", 5),
        ("/v2/ssh-keys", "ssh_keys", "id", None),
        ("/v2/plans", "plans", "ram", "lots"),
    ],
)
def test_a_list_item_of_the_wrong_shape_is_an_api_error_naming_the_call(
    account: Account, path: str, key: str, field: str, value: object
) -> None:
    """A converter's shape error becomes an API error of the read naming the list call,
    not a bare ValueError reaching the user."""
    provider = _in_process(account)
    provider.operations.create_ssh_key("deploy", PUBLIC_KEY)
    provider.operations.create_server(_server())
    session = requests.Session()
    session.mount(
        "https://api.vultr.com/", EmulatorAdapter(_corrupting(account.emulator, path, key, field, value))
    )
    settings = ClientSettings(api_key=DEFAULT_API_KEY, api_url="https://api.vultr.com", rate_limit=0)
    corrupt = V2Provider(settings, session=session)
    with pytest.raises(ApiError) as failure:
        corrupt.read(ReadScope(project="p"))
    assert f"GET {path.removeprefix('/v2')}" in str(failure.value)
    assert "unexpected response" in str(failure.value)
