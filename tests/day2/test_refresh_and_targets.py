"""``plan --no-refresh`` and ``--target`` on the real CLI, both APIs: a refresh-free plan makes list calls
only (no per-server reverse-DNS reads), compares with the names the last apply recorded and says so in
its header; ``--target`` plans and applies only the named entries and what they depend on, and
``destroy --target`` destroys only the named owned objects."""

from __future__ import annotations

import json
from dataclasses import replace

from day2.conftest import KEY
from vultr_state.model.plan import Kind
from vultr_state.providers.base import ReadScope
from vultr_state.registry import encode_registry, registry_script_name

SITE = f"""\
ssh_keys:
  - name: deploy
    public_key: "{KEY}"
servers:
""" + "".join(
    f"  - label: web-{n}\n    ssh_keys: [deploy]\n    reverse_dns:\n      ipv4: web-{n}.example.com\n"
    for n in (1, 2, 3)
)


def _calls(emulator) -> int:
    return sum(emulator.call_counts.values())


def _reverse_reads(emulator) -> int:
    return sum(n for path, n in emulator.call_counts.items() if "ipv4" in path or "ipv6" in path)


def test_no_refresh_reads_only_lists_and_says_so(cli, write, emulator):
    site = write(SITE)
    assert cli("apply", str(site), "--auto-approve").code == 0
    emulator.call_counts.clear()
    refreshed = cli("plan", str(site), "--detailed-exitcode")
    assert refreshed.code == 0, refreshed.out + refreshed.err
    with_refresh, reverse_reads = _calls(emulator), _reverse_reads(emulator)
    assert reverse_reads >= 3  # one read (or more) per server
    emulator.call_counts.clear()
    quick = cli("plan", str(site), "--no-refresh", "--detailed-exitcode")
    assert quick.code == 0, quick.out + quick.err
    assert _reverse_reads(emulator) == 0
    assert _calls(emulator) == with_refresh - reverse_reads
    assert (
        "Not refreshed (--no-refresh): reverse DNS of 3 server(s) compared with what the registry recorded "
        "at the last apply, not read from the API." in quick.out.splitlines()[1]
    )
    assert "No changes." in quick.out


def test_no_refresh_plans_a_manifest_change_from_the_record(cli, write):
    site = write(SITE)
    assert cli("apply", str(site), "--auto-approve").code == 0
    site.write_text(site.read_text().replace("ipv4: web-2.example.com", "ipv4: www-2.example.com"))
    quick = cli("plan", str(site), "--no-refresh", "--json")
    document = json.loads(quick.out)
    assert [a["key"] for a in document["actions"]] == ["reverse_dns:web-2"]
    assert document["actions"][0]["changes"][0]["old"] == "web-2.example.com"
    assert document["notes"][0].startswith("Not refreshed (--no-refresh)")
    assert cli("apply", str(site), "--auto-approve").code == 0
    assert cli("plan", str(site), "--no-refresh", "--detailed-exitcode").code == 0
    assert cli("plan", str(site), "--detailed-exitcode").code == 0  # the record told the truth


def test_target_plans_and_applies_only_that_entry_and_its_dependencies(cli, write, ops):
    site = write(SITE)
    shown = cli("plan", str(site), "--target", "server.web-2")
    assert shown.code == 0, shown.err
    assert "Targeted (server.web-2): only these entries and what they depend on are planned" in shown.out
    keys = [line.split()[1] for line in shown.out.splitlines() if line.startswith("    + ")]
    assert keys == ["ssh_key.deploy", "server.web-2", "reverse_dns.web-2"]
    assert cli("apply", str(site), "--target", "server.web-2", "--auto-approve").code == 0
    assert sorted(n for _, n in ops.operations.list_names(Kind.SERVER)) == ["web-2"]
    rest = cli("plan", str(site), "--json")
    assert [a["key"] for a in json.loads(rest.out)["actions"]] == [
        "server:web-1", "server:web-3", "reverse_dns:web-1", "reverse_dns:web-3"
    ]  # fmt: skip
    unknown = cli("plan", str(site), "--target", "server.web-9")
    assert (
        unknown.code == 1
        and "--target server.web-9: no manifest entry or owned object is called" in unknown.err
    )
    assert "did you mean server.web-" in unknown.err
    bad = cli("plan", str(site), "--target", "web-1")
    assert bad.code == 1 and "expected KIND.NAME" in bad.err


def test_a_saved_targeted_plan_applies_with_its_targets(cli, write, tmp_path, ops):
    site = write(SITE)
    assert cli("plan", str(site), "--target", "ssh_key.deploy", "--out", str(tmp_path / "t.plan")).code == 0
    assert cli("apply", str(tmp_path / "t.plan"), "--auto-approve").code == 0
    assert [n for _, n in ops.operations.list_names(Kind.SSH_KEY)] == ["deploy"]
    assert ops.operations.list_names(Kind.SERVER) == ()


def test_servers_applied_by_an_older_version_are_read_once_then_recorded(cli, write, ops, emulator):
    site = write(SITE)
    assert cli("apply", str(site), "--auto-approve").code == 0
    live = ops.read(ReadScope(project="day2"))
    (part,) = encode_registry(replace(live.registry, reverse_dns=()))  # as a version before the record
    ops.blobs.update(live.registry.script_ids[0], registry_script_name("day2"), part)
    emulator.call_counts.clear()
    quick = cli("plan", str(site), "--no-refresh", "--detailed-exitcode")
    assert quick.code == 0, quick.out + quick.err
    assert "3 server(s) with no record yet were read (the next apply records them)." in quick.out
    assert _reverse_reads(emulator) >= 3
    applied = cli("apply", str(site), "--auto-approve")  # nothing to change: only the record is written
    assert applied.code == 0, applied.err
    assert len(ops.read(ReadScope(project="day2")).registry.reverse_dns) == 3
    emulator.call_counts.clear()
    assert cli("plan", str(site), "--no-refresh", "--detailed-exitcode").code == 0
    assert _reverse_reads(emulator) == 0
    emulator.call_counts.clear()
    assert cli("plan", str(site)).code == 0
    plan_calls = _calls(emulator)
    emulator.call_counts.clear()
    assert cli("apply", str(site), "--auto-approve").code == 0  # recorded already: no registry write
    assert _calls(emulator) == plan_calls


def test_destroy_target_removes_only_that_owned_object_and_what_goes_with_it(cli, write, ops):
    site = write(SITE)
    assert cli("apply", str(site), "--auto-approve").code == 0
    refused = cli("destroy", str(site), "--target", "server.web-2")
    assert refused.code == 1
    assert "it would destroy 1 object(s) owned by project 'day2': server.web-2" in refused.err

    gone = cli("destroy", str(site), "--target", "server.web-2", "--allow-destroy", "--auto-approve")
    assert gone.code == 0, gone.out + gone.err
    assert "- server.web-2 (destroy)" in gone.out and "1 to destroy" in gone.out
    assert sorted(n for _, n in ops.operations.list_names(Kind.SERVER)) == ["web-1", "web-3"]
    assert [n for _, n in ops.operations.list_names(Kind.SSH_KEY)] == ["deploy"]
    rest = cli("plan", str(site), "--json")
    assert [a["key"] for a in json.loads(rest.out)["actions"]] == ["server:web-2", "reverse_dns:web-2"]

    key_only = cli("destroy", str(site), "--target", "ssh_key.deploy")  # keys are create-time only
    assert key_only.code == 1 and "1 object(s) owned by project 'day2': ssh_key.deploy" in key_only.err
    unknown = cli("destroy", str(site), "--target", "server.web-9", "--allow-destroy", "--auto-approve")
    assert unknown.code == 1 and "did you mean server.web-" in unknown.err
    assert sorted(n for _, n in ops.operations.list_names(Kind.SERVER)) == ["web-1", "web-3"]
