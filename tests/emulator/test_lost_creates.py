"""Late visibility of lost-answer creates (``FaultConfig.hide_lost_creates_seconds``), on every create kind
of both faces: the object of a commit-then-drop create is committed but missing from lists and single
reads until the configured time has passed on the emulator clock; answered creates are never hidden."""

from __future__ import annotations

from collections.abc import Callable

import pytest
import requests

from tests.emulator.conftest import SSH_ED25519, adapter_api
from tests.emulator.v2.conftest import SCRIPT_B64, adapter_v2
from vultr_state.emulator import Emulator, FaultConfig, ManualClock

HIDE = FaultConfig(commit_drop_rate=1.0, hide_lost_creates_seconds=30)


def _lose(emulator: Emulator, create: Callable[[], object]) -> None:
    emulator.faults = HIDE
    with pytest.raises(requests.ConnectionError):
        create()
    emulator.faults = FaultConfig()


V1_KINDS = {
    "server": ("server/create", {"DCID": 1, "VPSPLANID": 201, "OSID": 1743}, "server/list"),
    "sshkey": ("sshkey/create", {"name": "k", "ssh_key": SSH_ED25519}, "sshkey/list"),
    "script": ("startupscript/create", {"name": "s", "script": "echo"}, "startupscript/list"),
}


@pytest.mark.parametrize("kind", sorted(V1_KINDS))
def test_v1_lost_create_is_invisible_then_appears(make_emulator, clock: ManualClock, kind: str) -> None:
    emulator = make_emulator()
    api = adapter_api(emulator)
    create, params, listing = V1_KINDS[kind]
    _lose(emulator, lambda: api.post(create, **params))
    assert api.ok(api.get(listing)) == []
    clock.advance(29)
    assert api.ok(api.get(listing)) == []
    clock.advance(1)
    assert len(api.ok(api.get(listing))) == 1


def test_v1_lost_snapshot_and_single_reads(make_emulator, clock: ManualClock) -> None:
    emulator = make_emulator()
    api = adapter_api(emulator)
    _lose(emulator, lambda: api.post("server/create", DCID=1, VPSPLANID=201, OSID=1743))
    assert api.get("server/list", SUBID="30000001").status_code == 412  # a single read misses it too
    clock.advance(60)
    assert api.ok(api.get("server/list", SUBID="30000001"))["SUBID"] == "30000001"
    _lose(emulator, lambda: api.post("snapshot/create", SUBID="30000001"))
    assert api.ok(api.get("snapshot/list")) == []
    clock.advance(30)
    assert len(api.ok(api.get("snapshot/list"))) == 1


def test_answered_creates_and_plain_commit_drops_are_visible_at_once(make_emulator) -> None:
    emulator = make_emulator()
    api = adapter_api(emulator)
    api.ok(api.post("sshkey/create", name="a", ssh_key=SSH_ED25519))
    emulator.faults = FaultConfig(commit_drop_rate=1.0)
    with pytest.raises(requests.ConnectionError):
        api.post("sshkey/create", name="b", ssh_key=SSH_ED25519)
    emulator.faults = FaultConfig()
    assert len(api.ok(api.get("sshkey/list"))) == 2


def _v2_creates(v2) -> dict[str, tuple[Callable[[], object], str, str]]:
    instance = {"region": "ams", "plan": "vc2-1c-1gb", "os_id": 477}
    return {
        "instance": (lambda: v2.post("/instances", instance), "/instances", "instances"),
        "ssh-key": (
            lambda: v2.post("/ssh-keys", {"name": "k", "ssh_key": SSH_ED25519}),
            "/ssh-keys",
            "ssh_keys",
        ),
        "script": (
            lambda: v2.post("/startup-scripts", {"name": "s", "script": SCRIPT_B64}),
            "/startup-scripts",
            "startup_scripts",
        ),
        "iso": (lambda: v2.post("/iso", {"url": "https://example.com/a.iso"}), "/iso", "isos"),
        "snapshot-from-url": (
            lambda: v2.post("/snapshots/create-from-url", {"url": "https://example.com/a.raw"}),
            "/snapshots",
            "snapshots",
        ),
    }


@pytest.mark.parametrize("kind", ["instance", "ssh-key", "script", "iso", "snapshot-from-url"])
def test_v2_lost_create_is_invisible_then_appears(make_emulator, clock: ManualClock, kind: str) -> None:
    emulator = make_emulator()
    v2 = adapter_v2(emulator)
    create, listing, name = _v2_creates(v2)[kind]
    _lose(emulator, create)
    assert v2.ok(v2.get(listing))[name] == []
    clock.advance(30)
    assert len(v2.ok(v2.get(listing))[name]) == 1


def test_v2_lost_instance_and_snapshot_single_reads(make_emulator, clock: ManualClock) -> None:
    emulator = make_emulator()
    v2 = adapter_v2(emulator)
    _lose(emulator, lambda: v2.post("/instances", {"region": "ams", "plan": "vc2-1c-1gb", "os_id": 477}))
    clock.advance(1)
    (instance_id,) = emulator.store.hidden("v2.instance")  # committed, not yet visible
    assert v2.get(f"/instances/{instance_id}").status_code == 404
    clock.advance(60)
    assert v2.ok(v2.get(f"/instances/{instance_id}"))["instance"]["id"] == instance_id
    _lose(emulator, lambda: v2.post("/snapshots", {"instance_id": instance_id}))
    assert v2.ok(v2.get("/snapshots"))["meta"]["total"] == 0
    clock.advance(30)
    assert v2.ok(v2.get("/snapshots"))["meta"]["total"] == 1
