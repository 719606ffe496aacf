"""No secret reaches a log line, an exception text or a repr, with DEBUG logging on everywhere.

Secrets: the API key (and a wrong key tried once), startup-script bodies, SSH key bodies, cloud-init
user data and the servers' default passwords. Many calls are made, successful and failing (412s, 403,
faults that end in transport errors and ApiOutcomeUnknown), in process and over HTTP.
"""

from __future__ import annotations

import logging

import pytest

from providers.v1.client.support import TEST_KEY, ed25519_public_key
from vultr_state.emulator import FaultConfig
from vultr_state.errors import ApiError, VultrStateError
from vultr_state.providers.v1.client import ClientSettings

SCRIPT = "#!/bin/sh\necho SCRIPT-SECRET-BODY-4242 > /root/token\n"
SCRIPT_2 = "#!/bin/sh\necho SCRIPT-SECRET-UPDATED-777\n"
USERDATA = "#cloud-config\npassword: USERDATA-SECRET-9000\n"
WRONG_KEY = "WRONG-KEY-SECRET-31337"


def exception_texts(exc: BaseException) -> list[str]:
    texts = []
    while exc is not None:
        texts += [str(exc), repr(exc)]
        exc = exc.__cause__ or exc.__context__
    return texts


def test_no_secret_in_logs_errors_or_reprs(api, caplog):
    caplog.set_level(logging.DEBUG)
    client, emulator = api.client, api.emulator
    ssh_body = ed25519_public_key(b"secret-body", "ops@example")
    secrets = {TEST_KEY, WRONG_KEY, SCRIPT, "SCRIPT-SECRET-BODY-4242", "SCRIPT-SECRET-UPDATED-777", USERDATA,
               "USERDATA-SECRET-9000", ssh_body.split()[1]}  # fmt: skip
    texts: list[str] = []

    def expect_error(call, *args, **kwargs):
        with pytest.raises(VultrStateError) as caught:
            call(*args, **kwargs)
        texts.extend(exception_texts(caught.value))

    keyid = client.sshkey_create("ops", ssh_body)
    scriptid = client.startupscript_create("bootstrap", SCRIPT)
    client.startupscript_update(scriptid, script=SCRIPT_2)
    dcid = next(iter(client.regions_list()))
    plan = client.regions_availability(dcid)[0]
    osid = next(k for k, os in client.os_list().items() if os["family"] == "ubuntu")
    subid = client.server_create(dcid, plan, osid, sshkeyids=[keyid], scriptid=scriptid, userdata=USERDATA)
    api.clock.advance(60)
    password = client.server_list(subid)["default_password"]
    assert password
    secrets.add(password)
    for _ in range(5):
        client.server_list()
        client.startupscript_list()
        client.sshkey_list()
    raw = client.raw("GET", "server/list")
    assert password in raw.body  # the caller gets the body; it must not leak anywhere else
    texts += [repr(raw), repr(client), repr(client.settings), repr(client.rate_limiter)]
    texts.append(repr(ClientSettings(api_key=TEST_KEY, api_url=api.url)))

    expect_error(client.startupscript_update, "999999", script=SCRIPT)
    expect_error(client.sshkey_update, "nope", ssh_key=ssh_body)
    expect_error(client.server_create, dcid, plan, osid, scriptid="999999", userdata=USERDATA)
    expect_error(api.new_client(api_key=WRONG_KEY).startupscript_list)
    emulator.faults = FaultConfig(commit_drop_rate=1.0)
    expect_error(client.startupscript_create, "again", SCRIPT)
    expect_error(client.sshkey_create, "again", ssh_body)
    emulator.faults = FaultConfig(error_500_rate=1.0)
    expect_error(client.server_create, dcid, plan, osid, userdata=USERDATA)
    expect_error(api.new_client(max_attempts=2).startupscript_update, scriptid, script=SCRIPT)
    emulator.faults = FaultConfig(drop_rate=1.0)
    expect_error(api.new_client(max_attempts=2).startupscript_list)

    records = [r for r in caplog.records if not r.name.startswith("vultr_state.emulator")]
    assert any(
        r.name == "vultr_state.client" and "POST startupscript/create" in r.getMessage() for r in records
    )
    texts += [record.getMessage() for record in records]
    texts += [caplog.text]
    leaks = sorted({secret[:24] for secret in secrets for text in texts if secret in text})
    assert leaks == [], f"secrets leaked: {leaks}"


def test_error_messages_are_scrubbed_of_echoed_secrets():
    """Should Vultr ever echo a parameter back in an error, the secret is masked in the message."""
    from providers.v1.client.support import Reply, scripted_client

    client, _, _ = scripted_client([Reply(412, f"Invalid script: {SCRIPT}")])
    with pytest.raises(ApiError) as caught:
        client.startupscript_create("x", SCRIPT)
    assert "SCRIPT-SECRET" not in str(caught.value) and "***" in caught.value.message
