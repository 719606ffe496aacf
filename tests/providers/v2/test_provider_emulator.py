"""The v2 provider against the v2 emulator over real HTTP: reading, every operation, the registry's blob
store, gone objects and the call counts of a read."""

from __future__ import annotations

from types import MappingProxyType

import pytest

from providers.v2.support import Account
from vultr_state.errors import ObjectGone, PlanError
from vultr_state.model.plan import Kind
from vultr_state.model.registry import OwnedObject, Registry
from vultr_state.model.server import (
    BootKind,
    BootSource,
    InstallState,
    PowerState,
    ServerCreate,
    ServerUpdate,
)
from vultr_state.providers.base import ReadScope, ReverseDnsWanted
from vultr_state.registry import encode_registry, registry_script_name

PUBLIC_KEY = "ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAIOMqqnkVzrm0SdG6UOoqKLsabgH5C9okWi0dh2l9GKJl deploy@ci"
SCRIPT = "#!/bin/sh\necho 'provisioned' > /etc/motd\n"
LISTS = 7  # regions, plans, os, ssh-keys, startup-scripts, instances, snapshots: one page each


def _server(label: str = "web-1", **fields: object) -> ServerCreate:
    values: dict[str, object] = {
        "label": label,
        "region_id": "ewr",
        "plan_id": "vc2-1c-1gb",
        "boot": BootSource.os("477"),
    }
    values.update(fields)
    return ServerCreate(**values)  # type: ignore[arg-type]


def test_reading_an_empty_account_is_one_call_per_list(account: Account) -> None:
    provider = account.provider()
    live = provider.read(ReadScope(project="web"))
    assert provider.calls == LISTS
    assert not (live.servers or live.ssh_keys or live.startup_scripts or live.snapshots)
    assert {"ewr", "ams"} <= {r.id for r in live.catalog.regions}
    ewr = next(r for r in live.catalog.regions if r.id == "ewr")
    assert ewr.name == "New Jersey"
    plan = next(p for p in live.catalog.plans if p.id == "vc2-1c-1gb")
    assert plan.name == "1024 MB RAM,25 GB SSD,1.00 TB BW" and "ewr" in plan.available_locations
    assert live.registry.project == "web" and not live.registry.owned


def test_keys_scripts_and_servers_round_trip(account: Account) -> None:
    provider = account.provider(project="web")
    ops = provider.operations
    key_id = ops.create_ssh_key("deploy", PUBLIC_KEY)
    script_id = ops.create_startup_script("bootstrap", SCRIPT, "boot")
    server_id = ops.create_server(
        _server(ssh_key_ids=(key_id,), startup_script_id=script_id, ipv6=True, auto_backups=True, tag="blue")
    )
    pending = next(s for s in ops.list_servers() if s.id == server_id)
    assert pending.install is InstallState.PENDING and pending.main_ip is None and not pending.ready

    account.provision()
    before = provider.calls
    live = provider.read(ReadScope(project="web", script_bodies=frozenset({"bootstrap"})))
    assert provider.calls - before == LISTS + 1  # + the one script body the scope names
    (server,) = live.servers
    assert (server.id, server.label, server.region_id, server.plan_id, server.os_id) == (
        server_id, "web-1", "ewr", "vc2-1c-1gb", "477",
    )  # fmt: skip
    assert server.install is InstallState.READY and server.power is PowerState.RUNNING and server.ready
    assert server.boot is BootKind.OS and server.auto_backups and server.ipv6_enabled
    assert server.tag == "blue"  # the owner tag vultr-state:web is there but hidden
    assert [(k.id, k.name, k.public_key) for k in live.ssh_keys] == [(key_id, "deploy", PUBLIC_KEY)]
    assert [(s.id, s.name, s.type, s.script) for s in live.startup_scripts] == [
        (script_id, "bootstrap", "boot", SCRIPT)
    ]

    ops.update_ssh_key(key_id, name="deploy-2")
    ops.update_startup_script(script_id, script=SCRIPT + "echo again\n")
    ops.update_server(server_id, ServerUpdate(label="web-one", tag="green"))
    ops.power_off(server_id)
    live = provider.read(ReadScope(project="web", script_bodies=frozenset()))
    assert live.ssh_keys[0].name == "deploy-2"
    assert live.startup_scripts[0].script == ""  # not named by the scope: its body is not fetched
    server = live.servers[0]
    assert (server.label, server.tag, server.power) == ("web-one", "green", PowerState.STOPPED)
    ops.power_on(server_id)
    assert dict(ops.list_names(Kind.SERVER)) == {server_id: "web-one"}
    assert dict(ops.list_names(Kind.STARTUP_SCRIPT)) == {script_id: "bootstrap"}
    assert provider.blobs.list("vultr-state:") == ()  # a user's script is not a registry blob


def test_owner_tag_is_sent_and_kept_through_tag_updates(account: Account) -> None:
    provider = account.provider(project="web")
    server_id = provider.operations.create_server(_server(tag="blue"))
    raw = provider.api.get(f"instances/{server_id}", "instance")
    assert raw["tags"] == ["blue", "vultr-state:web"]
    provider.operations.update_server(server_id, ServerUpdate(tag=""))
    assert provider.api.get(f"instances/{server_id}", "instance")["tags"] == ["vultr-state:web"]


def test_reverse_dns_is_read_only_where_managed_and_written_in_both_families(account: Account) -> None:
    provider = account.provider(project="web")
    ops = provider.operations
    managed = ops.create_server(_server("web-1", ipv6=True))
    ops.create_server(_server("web-2", ipv6=True))
    account.provision()
    server = next(s for s in ops.list_servers() if s.id == managed)
    assert server.main_ip and server.v6_main_ip and server.v6_network
    ops.set_reverse_dns(managed, server.main_ip, "web-1.example.com")
    ops.set_reverse_dns(managed, server.v6_main_ip, "web-1.example.com")

    scope = ReadScope(project="web", reverse_dns=MappingProxyType({"web-1": ReverseDnsWanted(ipv6=True)}))
    before = provider.calls
    live = provider.read(scope)
    assert provider.calls - before == LISTS + 2  # …/ipv4 and …/ipv6/reverse of web-1 only
    (entry,) = live.reverse_dns
    assert entry.server_id == managed
    assert (server.main_ip, "web-1.example.com") in entry.ipv4
    assert entry.ipv6 == ((server.v6_main_ip, "web-1.example.com"),)

    ops.reset_reverse_dns(managed, server.v6_main_ip)
    ops.reset_reverse_dns(managed, server.main_ip)
    (entry,) = provider.read(scope).reverse_dns
    assert entry.ipv6 == ()
    assert dict(entry.ipv4)[server.main_ip].endswith(".vultrusercontent.com")


def test_snapshots_reinstall_and_restore(account: Account) -> None:
    provider = account.provider(project="web")
    ops = provider.operations
    server_id = ops.create_server(_server())
    account.provision()
    snapshot_id = ops.snapshot_server(server_id, "golden")
    (snapshot,) = ops.list_snapshots()
    assert (snapshot.id, snapshot.description, snapshot.size) == (snapshot_id, "golden", "0")
    account.clock.advance(10)
    (snapshot,) = provider.read(ReadScope(project="web")).snapshots
    assert snapshot.state.value == "complete" and int(snapshot.size) > 0

    ops.reinstall(server_id, BootSource.os("1743"))
    assert next(s for s in ops.list_servers() if s.id == server_id).os_id == "1743"
    account.provision()
    ops.reinstall(server_id, BootSource.snapshot(snapshot_id))
    restored = next(s for s in ops.list_servers() if s.id == server_id)
    # The 2021-shaped instance does not name its source (no snapshot_id): the registry digest does.
    assert restored.install is InstallState.INSTALLING and restored.os_id == "477"
    with pytest.raises(PlanError, match="create-time only"):
        ops.reinstall(server_id, BootSource.iso("iso-1"))


def test_destroy_every_kind_and_gone_is_typed(account: Account) -> None:
    provider = account.provider(project="web")
    ops = provider.operations
    key_id = ops.create_ssh_key("deploy", PUBLIC_KEY)
    script_id = ops.create_startup_script("bootstrap", SCRIPT, "pxe")
    server_id = ops.create_server(_server())
    account.provision()
    snapshot_id = ops.snapshot_server(server_id, "golden")
    for kind, object_id in (
        (Kind.SNAPSHOT, snapshot_id),
        (Kind.SERVER, server_id),
        (Kind.STARTUP_SCRIPT, script_id),
        (Kind.SSH_KEY, key_id),
    ):
        ops.destroy(kind, object_id)
        with pytest.raises(ObjectGone) as gone:
            ops.destroy(kind, object_id)
        assert gone.value.status == 404 and object_id in gone.value.call
    live = provider.read(ReadScope(project="web"))
    assert not (live.servers or live.ssh_keys or live.startup_scripts or live.snapshots)


def test_the_registry_lives_in_base64_startup_scripts_and_is_decoded_by_read(account: Account) -> None:
    provider = account.provider(project="web")
    key_id = provider.operations.create_ssh_key("deploy", PUBLIC_KEY)
    registry = Registry(project="web", owned=(OwnedObject(kind="ssh_key", id=key_id, name="deploy"),))
    (body,) = encode_registry(registry)
    blob_id = provider.blobs.create(registry_script_name("web"), body)
    wire = provider.api.get(f"startup-scripts/{blob_id}", "startup_script")
    assert wire["script"] != body  # base64 on the wire
    (blob,) = provider.blobs.list("vultr-state:web")
    assert (blob.id, blob.name, blob.body) == (blob_id, "vultr-state:web", body)

    live = provider.read(ReadScope(project="web", script_bodies=frozenset()))
    assert live.registry.owned_ids("ssh_key") == {key_id}
    assert live.startup_scripts == ()  # the registry is never a user script

    provider.blobs.update(blob_id, "vultr-state:web", body.replace('"deploy"', '"renamed"'))
    assert provider.blobs.list("vultr-state:web")[0].body != body
    provider.blobs.delete(blob_id)
    with pytest.raises(ObjectGone):
        provider.blobs.delete(blob_id)


def test_other_projects_objects_are_hidden_unless_asked_for(account: Account) -> None:
    provider = account.provider(project="web")
    ours = provider.operations.create_ssh_key("ours", PUBLIC_KEY)
    theirs = provider.operations.create_ssh_key("theirs", PUBLIC_KEY)
    other = Registry(project="ops", owned=(OwnedObject(kind="ssh_key", id=theirs, name="theirs"),))
    provider.blobs.create(registry_script_name("ops"), encode_registry(other)[0])
    assert [k.id for k in provider.read(ReadScope(project="web")).ssh_keys] == [ours]
    everything = provider.read(ReadScope(project="web", hide_other_projects=False))
    assert {k.id for k in everything.ssh_keys} == {ours, theirs}


def test_a_damaged_registry_of_another_project_is_reported(account: Account) -> None:
    provider = account.provider(project="web")
    theirs = provider.operations.create_ssh_key("theirs", PUBLIC_KEY)
    provider.blobs.create(registry_script_name("ops"), '{"v":1,"owned":')
    live = provider.read(ReadScope(project="web"))
    assert [k.id for k in live.ssh_keys] == [theirs]  # unreadable: its objects look unowned
    assert [r.project for r in live.unreadable_registries] == ["ops"]
    assert "is corrupt: not valid JSON" in live.unreadable_registries[0].problem
