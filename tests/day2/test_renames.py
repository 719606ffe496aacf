"""Declared renames on the real CLI, on both APIs: ``renamed_from: OLD`` renames the owned object in
place (same id, one name call, no permission flag) and the registry follows; without it the plan still
creates and prunes but says it looks like a rename; a rename onto a name another object holds is an error
naming both; a snapshot is renamed on v2 and refused with the reason on v1."""

from __future__ import annotations

import re

from day2.conftest import HEAD, KEY, OTHER_KEY
from vultr_state.model.plan import Kind
from vultr_state.providers.base import ReadScope

SITE = f"""\
ssh_keys:
  - name: deploy
    public_key: "{KEY}"
startup_scripts:
  - name: boot
    script: "#!/bin/sh\\necho hi\\n"
servers:
  - label: web-1
    ssh_keys: [deploy]
    startup_script: boot
"""
RENAMED = (
    SITE.replace("name: deploy\n", "name: ci-deploy\n    renamed_from: deploy\n")
    .replace("[deploy]", "[ci-deploy]")
    .replace("name: boot\n", "name: bootstrap\n    renamed_from: boot\n")
    .replace("startup_script: boot\n", "startup_script: bootstrap\n")
    .replace("label: web-1\n", "label: app-1\n    renamed_from: web-1\n")
)


def _names(ops, kind: Kind) -> dict[str, str]:
    return dict(ops.operations.list_names(kind))


def test_renamed_from_renames_in_place_and_the_registry_follows(cli, write, ops):
    site = write(SITE)
    assert cli("apply", str(site), "--auto-approve").code == 0
    before = {kind: _names(ops, kind) for kind in (Kind.SSH_KEY, Kind.STARTUP_SCRIPT, Kind.SERVER)}
    site.write_text(HEAD + RENAMED)
    shown = cli("plan", str(site), "--detailed-exitcode")
    assert shown.code == 2, shown.err
    assert "  ~ server.app-1 (update in place)" in shown.out
    assert "# renamed from 'web-1' (renamed_from)" in shown.out
    assert re.search(r'label += "web-1" → "app-1"  \(in-place\)', shown.out)
    assert "  ~ ssh_key.ci-deploy (update in place)" in shown.out
    assert "  ~ startup_script.bootstrap (update in place)" in shown.out
    # Servers naming a renamed key or script only record the new names: no false create-time change.
    assert 'ssh_keys       = ["deploy"] → ["ci-deploy"]  (registry only)' in shown.out
    assert "0 to create" in shown.out and "0 to prune" in shown.out
    applied = cli("apply", str(site), "--auto-approve")  # no permission flag needed
    assert applied.code == 0, applied.err
    after = {kind: _names(ops, kind) for kind in before}
    for kind, old, new in ((Kind.SSH_KEY, "deploy", "ci-deploy"), (Kind.STARTUP_SCRIPT, "boot", "bootstrap"),
                           (Kind.SERVER, "web-1", "app-1")):  # fmt: skip
        (old_id,) = [i for i, n in before[kind].items() if n == old]
        assert after[kind][old_id] == new, (kind, after[kind])
    live = ops.read(ReadScope(project="day2"))
    assert {(o.kind, o.name) for o in live.registry.owned} == {
        ("ssh_key", "ci-deploy"),
        ("startup_script", "bootstrap"),
        ("server", "app-1"),
    }
    assert cli("plan", str(site), "--detailed-exitcode").code == 0
    site.write_text(HEAD + RENAMED.replace("    renamed_from: deploy\n", ""))  # the line may go once applied
    assert cli("plan", str(site), "--detailed-exitcode").code == 0


def test_without_renamed_from_the_plan_says_it_looks_like_a_rename(cli, write):
    site = write(SITE)
    assert cli("apply", str(site), "--auto-approve").code == 0
    site.write_text(HEAD + SITE.replace("label: web-1", "label: app-1"))
    shown = cli("plan", str(site), "--allow-prune")
    assert shown.code == 0, shown.err
    assert (
        "  + server.app-1 (create)" in shown.out
        and "  - server.web-1 (prune: removed from manifest)" in shown.out
    )
    assert "looks like a rename of 'web-1': add `renamed_from: web-1` to rename in place" in shown.out
    assert "looks renamed to 'app-1'" in shown.out
    # A different key body is not a rename: no hint.
    site.write_text(HEAD + SITE.replace("name: deploy", "name: ops").replace("[deploy]", "[ops]")
                    .replace(KEY, OTHER_KEY))  # fmt: skip
    shown = cli("plan", str(site), "--allow-prune")
    assert "  + ssh_key.ops (create)" in shown.out and "looks like a rename of 'deploy'" not in shown.out


def test_renaming_onto_a_name_another_object_holds_names_both(cli, write, ops):
    site = write(SITE)
    assert cli("apply", str(site), "--auto-approve").code == 0
    other = ops.operations.create_ssh_key("ci-deploy", OTHER_KEY)
    (mine,) = [i for i, n in _names(ops, Kind.SSH_KEY).items() if n == "deploy"]
    site.write_text(HEAD + RENAMED)
    shown = cli("plan", str(site))
    assert shown.code == 1
    assert (
        f"cannot rename SSH key {mine} ('deploy') to 'ci-deploy': SSH key {other} (not owned by this "
        "project) is already called 'ci-deploy'"
    ) in shown.err
    assert _names(ops, Kind.SSH_KEY)[mine] == "deploy"


def test_a_snapshot_is_renamed_on_v2_and_refused_with_the_reason_on_v1(cli, write, ops, api):
    app = "  - label: app-1\n    snapshot: golden-1\n"  # boots from the snapshot
    body = SITE + app + "snapshots:\n  - description: golden-1\n    server: web-1\n"
    site = write(body)
    assert cli("apply", str(site), "--auto-approve").code == 0
    (snap_id,) = _names(ops, Kind.SNAPSHOT)
    site.write_text(
        HEAD
        + body.replace(
            "description: golden-1\n", "description: golden\n    renamed_from: golden-1\n"
        ).replace("snapshot: golden-1", "snapshot: golden")
    )
    shown = cli("plan", str(site))
    if api == "v1":
        assert shown.code == 1
        assert (
            "snapshot 'golden-1' cannot be renamed to 'golden' on v1: the API sets a snapshot's description "
            "only when the snapshot is taken"
        ) in shown.out
        assert cli("apply", str(site), "--auto-approve").code == 1  # refused, as plan is
        assert _names(ops, Kind.SNAPSHOT) == {snap_id: "golden-1"}
        return
    assert shown.code == 0, shown.err
    assert 'description = "golden-1" → "golden"  (in-place)' in shown.out
    # The server booted from it follows the rename (registry only): no reinstall.
    assert 'snapshot = "golden-1" → "golden"  (registry only)' in shown.out
    assert "reinstall" not in shown.out.split("Plan:")[0].lower()
    assert cli("apply", str(site), "--auto-approve").code == 0
    assert _names(ops, Kind.SNAPSHOT) == {snap_id: "golden"}
    assert cli("plan", str(site), "--detailed-exitcode").code == 0
