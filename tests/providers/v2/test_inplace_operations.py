"""The v2 provider's in-place server operations against the v2 emulator over real HTTP: one PATCH carries
label, tags (the owner tag kept), backups, IPv6 and a plan upgrade; a plan PATCH refused while the
instance is locked is sent again once the lock clears; a hostname change is ``POST …/reinstall``; what v2
cannot do in place (IPv6 off, a private network, a hostname with a snapshot restore) is refused before
any call; region availability is read for the replace check; create sends tags and base64 user data."""

from __future__ import annotations

import base64

import pytest

from providers.v2.support import Account
from vultr_state.emulator.v2.models import InstanceRecord, load_all
from vultr_state.errors import PlanError
from vultr_state.model.server import BootSource, InstallState, ServerCreate, ServerUpdate

USER_DATA = "#cloud-config\nruncmd: [echo provider-test-user-data]\n"


def _created(account: Account, **fields: object) -> tuple[object, str]:
    provider = account.provider(project="web")
    values: dict[str, object] = {"label": "web-1", "region_id": "ewr", "plan_id": "vc2-1c-1gb",
                                 "boot": BootSource.os("477")}  # fmt: skip
    values.update(fields)
    server_id = provider.operations.create_server(ServerCreate(**values))  # type: ignore[arg-type]
    account.provision()
    return provider, server_id


def _instance(account: Account, server_id: str) -> dict:
    return next(i for i in account.emulator.v2.instances() if i["id"] == server_id)


def test_one_patch_carries_every_in_place_field_and_keeps_the_owner_tag(account: Account) -> None:
    provider, server_id = _created(account, tags=("blue",))
    before = provider.calls
    update = ServerUpdate(label="web-one", tags=("green", "web"), auto_backups=True, enable_ipv6=True,
                          plan_id="vc2-1c-2gb")  # fmt: skip
    provider.operations.update_server(server_id, update)
    assert provider.calls - before == 1
    instance = _instance(account, server_id)
    assert instance["label"] == "web-one" and instance["plan"] == "vc2-1c-2gb"
    assert instance["tags"] == ["green", "web", "vultr-state:web"]
    assert {"ipv6", "auto_backups"} <= set(instance["features"]) and instance["v6_main_ip"]
    assert instance["status"] == "resizing"  # the executor waits this out
    account.provision()
    (listed,) = provider.operations.list_servers()
    assert listed.install is InstallState.READY and listed.tags == ("green", "web")

    provider.operations.update_server(server_id, ServerUpdate(auto_backups=False, tags=()))
    instance = _instance(account, server_id)
    assert "auto_backups" not in instance["features"] and instance["tags"] == ["vultr-state:web"]


def test_a_plan_patch_refused_while_locked_is_sent_again_once_the_lock_clears(account: Account) -> None:
    provider = account.provider(project="web")
    create = ServerCreate(label="web-1", region_id="ewr", plan_id="vc2-1c-1gb", boot=BootSource.os("477"))
    server_id = provider.operations.create_server(create)  # pending, then locked: not provisioned yet
    provider.operations.update_server(server_id, ServerUpdate(plan_id="vc2-1c-2gb"))
    assert _instance(account, server_id)["plan"] == "vc2-1c-2gb"
    assert account.time.slept  # it waited for the lock rather than failing


def test_a_hostname_change_is_a_reinstall_with_the_hostname(account: Account) -> None:
    provider, server_id = _created(account, hostname="web-1.example.com")
    provider.operations.reinstall(server_id, None, hostname="www-1.example.com")
    (listed,) = provider.operations.list_servers()
    assert listed.hostname == "www-1.example.com" and listed.install is InstallState.INSTALLING


def test_what_v2_cannot_do_in_place_is_refused_before_any_call(account: Account) -> None:
    provider, server_id = _created(account)
    before = provider.calls
    for update in (ServerUpdate(enable_ipv6=False), ServerUpdate(private_network=True)):
        with pytest.raises(PlanError):
            provider.operations.update_server(server_id, update)
    with pytest.raises(PlanError, match="host name while restoring a snapshot"):
        provider.operations.reinstall(server_id, BootSource.snapshot("s"), hostname="x.example.com")
    assert provider.calls == before


def test_region_availability_answers_the_replace_check(account: Account) -> None:
    provider = account.provider()
    assert provider.operations.plan_available("ewr", "vc2-1c-1gb")
    assert not provider.operations.plan_available("ord", "vdc-6vcpu-24gb")


def test_create_sends_tags_and_base64_user_data(account: Account) -> None:
    _, server_id = _created(account, tags=("blue", "web"), user_data=USER_DATA)
    instance = _instance(account, server_id)
    assert instance["tags"] == ["blue", "web", "vultr-state:web"]
    record = next(r for r in load_all(account.emulator.store, InstanceRecord) if r.id == server_id)
    assert base64.b64decode(record.user_data).decode() == USER_DATA
