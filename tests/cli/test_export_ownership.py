"""Export sees ownership as the planner does, on the real CLI against a served emulator: other projects'
objects are left out with one line per project, the exported project's own objects are always written
(winning a name clash), with `protect: true` and their create-time fields recalled from the registry, so
that a plan of the export shows adoptions only."""

from __future__ import annotations

from cli.accounts import DEPLOY_KEY, make_server, write_registry
from cli.test_plan import FAST, MANIFEST, converge
from vultr_state.manifest import load_manifest

PROTECTED = MANIFEST.replace("label: web-1\n", "label: web-1\n    hostname: web-1\n    protect: true\n")


def test_export_of_a_project_keeps_what_it_owns_and_plans_as_adoptions_only(cli, api_env, client, tmp_path):
    manifest = tmp_path / "web.yaml"
    manifest.write_text(PROTECTED)
    converge(client, manifest)
    twin = make_server(client, "web-1")  # unowned, same label as the project's own server
    stray = make_server(client, "stray")
    theirs = [make_server(client, "db-1"), make_server(client, "db-2")]
    key = client.sshkey_create("their-key", DEPLOY_KEY)
    write_registry(client, "other", [("server", theirs[0], "db-1"), ("server", theirs[1], "db-2"),
                                     ("ssh_key", key, "their-key")])  # fmt: skip
    out = tmp_path / "export"
    result = cli("export", "--project", "web", "--out", str(out), *FAST)
    assert result.code == 0, result.err
    assert "Warning: left out what project 'other' owns: 2 servers, 1 SSH key\n" in result.err
    assert result.err.count("'other'") == 1
    assert (
        f"Warning: server {twin} ('web-1') shares its name with one the project owns; skipped\n" in result.err
    )

    desired = load_manifest([str(out / "web.yaml")])
    servers = {s.label: s for s in desired.servers}
    assert sorted(servers) == ["stray", "web-1"]
    web = servers["web-1"]
    assert web.protect is True
    assert (web.ssh_keys, web.startup_script, web.hostname) == (("deploy",), "bootstrap", "web-1")
    assert servers["stray"].protect is False
    assert [k.name for k in desired.ssh_keys] == ["deploy"]

    plan = cli("plan", str(out / "web.yaml"), *FAST)
    assert plan.code == 0, plan.err
    assert (
        "Plan: 0 to create, 0 to update, 0 to replace, 0 to reinstall, 0 to destroy, 0 to prune, 1 to adopt."
        in plan.out
    )
    assert f"= server.stray (adopt)  [id {stray}]" in plan.out
    assert "(set at creation)" not in plan.out and "(none) → (none)" not in plan.out
