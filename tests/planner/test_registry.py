"""Tests of the registry's wire format: names, encode/decode round trips, splitting, corruption."""

from __future__ import annotations

import dataclasses
import json

import pytest

from vultr_state.errors import PlanError
from vultr_state.model.registry import OwnedObject, PendingCreate, RecordedReverseDns, Registry
from vultr_state.registry import (
    decode_registry,
    encode_registry,
    is_registry_script,
    registry_script_name,
    short_digest,
    with_lock,
    with_owned,
    without_lock,
    without_owned,
)
from vultr_state.registry.codec import parse_registry_script_name


def _scripts(project: str, bodies: list[str], first_id: int = 100) -> list[tuple[str, str, str]]:
    return [(str(first_id + i), registry_script_name(project, i), body) for i, body in enumerate(bodies)]


def _sample(n: int = 3) -> Registry:
    owned = [
        OwnedObject("server", str(1000 + i), f"web-{i}", protect=i % 2 == 0, create_digest=f"{i:012x}")
        for i in range(n)
    ]
    owned.append(OwnedObject("ssh_key", "5806a8ef2a0c6", "deploy"))
    reg = Registry(project="web", owned=tuple(owned))
    reg = dataclasses.replace(
        reg, pending=(PendingCreate("server", "web-new", 1700000000.5, ("1000", "1001")),)
    )
    return with_lock(reg, "ci@host:123", 1700000900.0)


def test_names_round_trip():
    assert registry_script_name("web") == "vultr-state:web"
    assert registry_script_name("web", 2) == "vultr-state:web:2"
    assert parse_registry_script_name("vultr-state:web") == ("web", 0)
    assert parse_registry_script_name("vultr-state:web:2") == ("web", 2)
    assert parse_registry_script_name("vultr-state:web-2") == ("web-2", 0)
    assert parse_registry_script_name("bootstrap") is None
    assert is_registry_script("vultr-state:other")
    assert not is_registry_script("vultr-state:")
    assert not is_registry_script("bootstrap")


def test_round_trip_single_part_is_compact_json():
    reg = _sample()
    bodies = encode_registry(reg)
    assert len(bodies) == 1
    doc = json.loads(bodies[0])
    assert doc["project"] == "web" and doc["parts"] == 1 and doc["v"] == 1
    assert " " not in bodies[0].replace("ci@host:123", "")
    back = decode_registry("web", _scripts("web", bodies))
    assert back.owned == reg.owned
    assert back.pending == reg.pending
    assert back.lock == reg.lock
    assert back.script_ids == ("100",)


def test_encoding_is_deterministic_and_order_independent():
    reg = _sample(20)
    shuffled = Registry(project="web", owned=tuple(reversed(reg.owned)), pending=reg.pending, lock=reg.lock)
    assert encode_registry(reg) == encode_registry(shuffled)


def test_large_registry_splits_into_parts_within_the_limit():
    reg = _sample(3000)
    bodies = encode_registry(reg)
    assert len(bodies) > 1
    assert all(len(b.encode()) <= 64 * 1024 for b in bodies)
    back = decode_registry("web", _scripts("web", bodies))
    assert back.owned == reg.owned and back.pending == reg.pending
    assert back.script_ids == tuple(str(100 + i) for i in range(len(bodies)))


def test_small_limit_packs_few_entries_per_part():
    reg = _sample(5)
    bodies = encode_registry(reg, max_part_bytes=200)
    assert len(bodies) >= 3
    for body in bodies:
        entries = sum(len(items) for items in json.loads(body)["owned"].values())
        assert len(body) <= 200 or entries == 1
    assert decode_registry("web", _scripts("web", bodies)).owned == reg.owned


def test_leftover_parts_are_ignored_but_listed_last():
    big = encode_registry(_sample(6000))
    small = encode_registry(_sample(2))
    scripts = _scripts("web", small) + _scripts("web", big)[1:3]
    back = decode_registry("web", scripts)
    assert len(back.owned) == 3
    assert back.script_ids == ("100", "101", "102")


def test_other_projects_and_user_scripts_are_ignored():
    scripts = [
        *_scripts("web", encode_registry(_sample())),
        ("7", "vultr-state:db", "garbage"),
        ("8", "boot", "#!/bin/sh"),
    ]
    assert len(decode_registry("web", scripts).owned) == 4
    assert decode_registry("api", scripts) == Registry(project="api")


@pytest.mark.parametrize(
    ("body", "fragment"),
    [
        ("{not json", "not valid JSON"),
        ("[]", "not a JSON object"),
        ('{"v":9,"part":0,"parts":1,"gen":"x"}', "newer vultr-state"),
        ('{"v":1,"part":0,"parts":1,"gen":"x","project":"web","owned":{"server":[["1"]]}}', "not [id, name"),
        ('{"v":1,"part":0,"parts":1,"gen":"x","project":"web","pending":[1]}', '"pending"'),
        ('{"v":1,"part":0,"parts":1,"gen":"x","project":"web","lock":{"holder":1}}', '"lock"'),
        ('{"v":1,"part":"0","parts":1,"gen":"x"}', '"part"'),
    ],
)
def test_corrupt_bodies_raise_plan_error_naming_the_script(body, fragment):
    with pytest.raises(PlanError) as info:
        decode_registry("web", [("42", "vultr-state:web", body)])
    assert fragment in str(info.value)
    assert "42" in str(info.value)


def test_missing_and_torn_parts_are_reported():
    bodies = encode_registry(_sample(3000))
    scripts = _scripts("web", bodies)
    with pytest.raises(PlanError, match=r"part 1 of .* is missing"):
        decode_registry("web", [scripts[0], *scripts[2:]])
    other = encode_registry(_sample(2999))
    torn = [scripts[0], (scripts[1][0], scripts[1][1], other[1]), *scripts[2:]]
    with pytest.raises(PlanError, match="torn"):
        decode_registry("web", torn)
    with pytest.raises(PlanError, match="no main script"):
        decode_registry("web", scripts[1:])


def test_duplicate_part_names_clash_unless_identical():
    body = encode_registry(_sample())[0]
    same = decode_registry("web", [("5", "vultr-state:web", body), ("40", "vultr-state:web", body)])
    assert same.script_ids == ("5", "40")
    other = encode_registry(_sample(1))[0]
    with pytest.raises(PlanError, match="5, 40"):
        decode_registry("web", [("40", "vultr-state:web", other), ("5", "vultr-state:web", body)])


def test_pure_updates():
    reg = Registry(project="web")
    reg = with_owned(reg, [OwnedObject("server", "2", "b"), OwnedObject("server", "1", "a")])
    assert [o.id for o in reg.owned] == ["1", "2"]
    reg = with_owned(reg, [OwnedObject("server", "1", "renamed")])
    assert reg.find("server", "1").name == "renamed"
    reg = without_owned(reg, "server", ["1"])
    assert reg.owned_ids("server") == frozenset({"2"})
    reg = with_lock(reg, "me", 100.0)
    assert (reg.lock.holder, reg.lock.expires_at) == ("me", 100.0)
    assert without_lock(reg).lock is None


def test_short_digest_is_stable_and_short():
    assert short_digest({"b": 1, "a": [1, 2]}) == short_digest({"a": [1, 2], "b": 1})
    assert len(short_digest("x")) == 12


def _with_scripts(n: int) -> Registry:
    scripts = tuple(
        OwnedObject(
            "startup_script",
            f"3f2a9c10-{i:04d}-4000-8000-000000000000",
            f"setup-{i}",
            body_digest=f"sha256:{i:012x}",
            modified=f"2026-12-02T00:{i % 60:02d}:00+00:00",
        )
        for i in range(n)
    )
    return dataclasses.replace(
        _sample(), owned=tuple(sorted((*_sample().owned, *scripts), key=lambda o: (o.kind, o.id))), api="v2"
    )


def test_the_api_and_what_the_last_apply_saw_of_each_script_round_trip():
    reg = _with_scripts(3)
    (body,) = encode_registry(reg)
    doc = json.loads(body)
    assert doc["api"] == "v2" and len(doc["seen"]) == 3
    back = decode_registry("web", _scripts("web", [body]), api="v2")
    assert back.owned == reg.owned and back.api == "v2"
    assert decode_registry("web", _scripts("web", [body])).api == "v2"  # a reader that takes any API


def test_script_facts_travel_in_the_part_of_their_entry():
    reg = _with_scripts(400)
    bodies = encode_registry(reg, max_part_bytes=4096)
    assert len(bodies) > 3 and all(len(b) <= 4096 for b in bodies)
    for body in bodies:
        doc = json.loads(body)
        assert set(doc.get("seen", {})) == {item[0] for item in doc["owned"].get("startup_script", [])}
    assert decode_registry("web", _scripts("web", bodies)).owned == reg.owned


def test_a_registry_written_through_the_other_api_is_refused_naming_both():
    (body,) = encode_registry(dataclasses.replace(_sample(), api="v1"))
    with pytest.raises(PlanError) as refused:
        decode_registry("web", _scripts("web", [body]), api="v2")
    assert "written through the Vultr API v1, and this command uses v2" in str(refused.value)
    assert "--api v1" in str(refused.value)
    assert decode_registry("web", _scripts("web", [body]), api="v1").owned == _sample().owned


def test_a_registry_that_records_no_api_is_read_by_either_and_takes_the_readers():
    (body,) = encode_registry(_sample())
    assert "api" not in json.loads(body)
    for api in ("v1", "v2"):
        assert decode_registry("web", _scripts("web", [body]), api=api).api == api
    assert decode_registry("web", [], api="v2") == Registry(project="web", api="v2")


def test_recorded_reverse_dns_round_trips_in_part_0_and_older_documents_have_none():
    records = (
        RecordedReverseDns("1000", ipv4="web-0.example.com", ipv6=None),
        RecordedReverseDns(
            "1001", ipv4=None, ipv6="web-1.example.com", ipv6_extra=(("2001:db8::5", "x.example"),)
        ),
    )
    reg = dataclasses.replace(_sample(3000), reverse_dns=records)
    bodies = encode_registry(reg)
    assert len(bodies) > 1 and '"rdns"' in bodies[0] and all('"rdns"' not in b for b in bodies[1:])
    decoded = decode_registry("web", _scripts("web", bodies))
    assert decoded.reverse_dns == records
    assert decoded.recorded_reverse_dns("1001") == records[1]
    assert decode_registry("web", _scripts("web", encode_registry(_sample(3)))).reverse_dns == ()
    with pytest.raises(PlanError, match=r'"rdns\.1" is not'):
        decode_registry(
            "web",
            [
                (
                    "42",
                    "vultr-state:web",
                    '{"v":1,"part":0,"parts":1,"gen":"x","project":"web","rdns":{"1":[1]}}',
                )
            ],
        )
