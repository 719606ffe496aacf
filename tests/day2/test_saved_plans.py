"""Saved plans go stale only on what they touch, on the real CLI and both APIs: CI's ``plan --out`` →
``apply PLANFILE`` survives an unrelated change in a shared account and is refused when an object it
acts on or depends on changed; manifest paths resolve from the plan file's directory; a plan file with a
manifest is a usage error; a refused plan is not saved."""

from __future__ import annotations

import json

from day2.conftest import HEAD, KEY, OTHER_KEY
from vultr_state.model.plan import Kind
from vultr_state.model.server import ServerUpdate

SITE = f"""\
ssh_keys:
  - name: deploy
    public_key: "{KEY}"
servers:
  - label: web-1
    ssh_keys: [deploy]
"""
STOPPED = SITE + "    power: stopped\n"


def _id(ops, kind: Kind, name: str) -> str:
    (object_id,) = [i for i, n in ops.operations.list_names(kind) if n == name]
    return object_id


def test_an_unrelated_change_in_the_account_does_not_make_the_plan_stale(cli, write, ops, tmp_path):
    site = write(SITE)
    assert cli("apply", str(site), "--auto-approve").code == 0
    colleague = ops.operations.create_ssh_key("colleague", OTHER_KEY)
    site.write_text(HEAD + STOPPED)
    saved = cli("plan", str(site), "--out", str(tmp_path / "ci.plan"))
    assert saved.code == 0, saved.err
    ops.operations.update_ssh_key(colleague, name="colleague-laptop")  # someone else's key, renamed
    applied = cli("apply", str(tmp_path / "ci.plan"), "--auto-approve")
    assert applied.code == 0, applied.err
    assert cli("plan", str(site), "--detailed-exitcode").code == 0


def test_a_change_to_what_the_plan_touches_makes_it_stale(cli, write, ops, tmp_path):
    site = write(SITE)
    assert cli("apply", str(site), "--auto-approve").code == 0
    site.write_text(HEAD + STOPPED)
    assert cli("plan", str(site), "--out", str(tmp_path / "ci.plan")).code == 0
    server = _id(ops, Kind.SERVER, "web-1")
    ops.operations.update_server(server, ServerUpdate(tag="hand-made"))  # the server the plan stops
    refused = cli("apply", str(tmp_path / "ci.plan"), "--auto-approve")
    assert refused.code == 1
    assert f"  - live objects changed: server:{server}" in refused.err
    # A key a new server depends on counts too.
    site.write_text(HEAD + SITE + "  - label: web-2\n    ssh_keys: [deploy]\n")
    assert cli("plan", str(site), "--out", str(tmp_path / "ci.plan")).code == 0
    key = _id(ops, Kind.SSH_KEY, "deploy")
    ops.operations.update_ssh_key(key, public_key=OTHER_KEY)
    refused = cli("apply", str(tmp_path / "ci.plan"), "--auto-approve")
    assert refused.code == 1 and f"ssh_key:{key}" in refused.err


def test_manifest_paths_resolve_from_the_plan_file(cli, write, tmp_path, monkeypatch):
    (tmp_path / "infra").mkdir()
    write(SITE, "infra/site.yaml")
    monkeypatch.chdir(tmp_path / "infra")
    assert cli("plan", "site.yaml", "--out", "../ci.plan").code == 0
    assert json.loads((tmp_path / "ci.plan").read_text())["manifest_paths"] == ["infra/site.yaml"]
    elsewhere = tmp_path / "elsewhere"
    elsewhere.mkdir()
    monkeypatch.chdir(elsewhere)
    applied = cli("apply", "../ci.plan", "--auto-approve")
    assert applied.code == 0, applied.err
    (tmp_path / "ci.plan").rename(elsewhere / "moved.plan")
    lost = cli("apply", "moved.plan", "--auto-approve")
    assert lost.code == 1
    assert (
        f"{elsewhere / 'infra' / 'site.yaml'} is missing (the plan was made in {tmp_path / 'infra'})"
        in lost.err
    )


def test_a_plan_file_with_a_manifest_is_a_usage_error(cli, write, tmp_path):
    site = write(SITE)
    assert cli("plan", str(site), "--out", str(tmp_path / "ci.plan")).code == 0
    mixed = cli("apply", str(tmp_path / "ci.plan"), str(site), "--auto-approve")
    assert mixed.code == 64
    assert "is a saved plan: apply it alone" in mixed.err


def test_a_refused_plan_is_not_saved(cli, write, tmp_path):
    site = write(SITE)
    assert cli("apply", str(site), "--auto-approve").code == 0
    site.write_text(HEAD + SITE.replace("    ssh_keys: [deploy]\n", "    state: absent\n"))
    refused = cli("plan", str(site), "--out", str(tmp_path / "ci.plan"))
    assert not (tmp_path / "ci.plan").exists()
    assert "Not saving the plan to" in refused.err and "apply it with" not in refused.err
