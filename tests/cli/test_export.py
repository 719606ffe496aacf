"""`vultr-state export`: a manifest from live state that loads back, secrets kept out of output."""

from __future__ import annotations

import stat

import pytest

from cli.accounts import DEPLOY_KEY, OPS_KEY, SCRIPT_BODY, make_server, write_registry
from vultr_state.manifest import load_manifest


@pytest.fixture
def account(client):
    """Two keys, a boot and a pxe script, a server with IPv6 and reverse DNS, a snapshot."""
    ids = {
        "deploy": client.sshkey_create("deploy", DEPLOY_KEY),
        "ops": client.sshkey_create("ops", OPS_KEY),
        "bootstrap": client.startupscript_create("bootstrap", SCRIPT_BODY),
        "chain": client.startupscript_create("chain", "#!ipxe\nchain http://boot.example/\n", type="pxe"),
        "web": make_server(client, "web-1", ipv6=True),
    }
    server = client.server_list()[ids["web"]]
    client.server_reverse_set_ipv4(ids["web"], server["main_ip"], "web-1.example.com")
    client.server_reverse_set_ipv6(ids["web"], server["v6_main_ip"], "web-1.v6.example.com")
    client.server_label_set(ids["web"], "web-1")
    client.snapshot_create(ids["web"], "golden-2026-11")
    return ids


def test_export_writes_a_manifest_that_loads_back(cli, api_env, account, tmp_path):
    result = cli("export", "--project", "web", "--out", str(tmp_path), "--rate-limit", "0")
    assert result.code == 0, result.err
    manifest = tmp_path / "web.yaml"
    assert result.out == (
        f"Wrote {manifest} (2 SSH keys, 2 startup scripts, 1 server).\n"
        f"Review the adoptions with `vultr-state plan {manifest}`, then apply it.\n"
    )
    desired = load_manifest([str(manifest)])
    assert desired.project == "web"
    assert {k.name: k.public_key for k in desired.ssh_keys} == {"deploy": DEPLOY_KEY, "ops": OPS_KEY}
    scripts = {s.name: s for s in desired.startup_scripts}
    assert scripts["bootstrap"].script == SCRIPT_BODY
    assert scripts["chain"].type.value == "pxe"
    (server,) = desired.servers
    assert (server.label, server.region, server.os) == ("web-1", "New Jersey", "Ubuntu 20.04 x64")
    assert server.plan == "1024 MB RAM,25 GB SSD,1.00 TB BW"
    assert server.ipv6 is True and server.power.value == "running"
    assert server.reverse_dns.ipv4 == "web-1.example.com"
    assert server.reverse_dns.ipv6 == "web-1.v6.example.com"


def test_script_bodies_go_to_private_files_never_to_output(cli, api_env, account, tmp_path):
    result = cli("export", "--project", "web", "--out", str(tmp_path / "m.yaml"), "--rate-limit", "0")
    assert "TOP-SECRET" not in result.out + result.err
    body_file = tmp_path / "scripts" / "bootstrap.sh"
    assert body_file.read_text() == SCRIPT_BODY
    assert stat.S_IMODE(body_file.stat().st_mode) == 0o600
    assert (tmp_path / "scripts" / "chain.ipxe").is_file()
    text = (tmp_path / "m.yaml").read_text()
    assert "TOP-SECRET" not in text
    assert "script_file: scripts/bootstrap.sh" in text


def test_snapshots_are_listed_in_a_comment(cli, api_env, account, tmp_path):
    cli("export", "--project", "web", "--out", str(tmp_path), "--rate-limit", "0")
    text = (tmp_path / "web.yaml").read_text()
    assert (
        "# Snapshots are not exported: the API does not say which server a snapshot was taken from." in text
    )
    assert "#   golden-2026-11 (id " in text
    assert load_manifest([str(tmp_path / "web.yaml")]).snapshots == ()


def test_other_projects_objects_and_clashes_are_skipped_with_warnings(cli, api_env, client, tmp_path):
    theirs = client.sshkey_create("theirs", DEPLOY_KEY)
    write_registry(client, "other", [("ssh_key", theirs, "theirs")])
    first, second = make_server(client, "twin"), make_server(client, "twin")
    make_server(client, "solo")
    result = cli("export", "--project", "web", "--out", str(tmp_path), "--rate-limit", "0")
    assert result.code == 0, result.err
    assert "Warning: left out what project 'other' owns: 1 SSH key\n" in result.err
    assert theirs not in result.err  # one line per owning project, not one per object
    assert f"Warning: server name 'twin' is used by 2 objects ({first}, {second}); skipped\n" in result.err
    desired = load_manifest([str(tmp_path / "web.yaml")])
    assert [s.label for s in desired.servers] == ["solo"]
    assert desired.ssh_keys == ()


def test_dollar_signs_survive_interpolation(cli, api_env, client, tmp_path):
    make_server(client, "price-$5")
    cli("export", "--project", "web", "--out", str(tmp_path), "--rate-limit", "0")
    assert [s.label for s in load_manifest([str(tmp_path / "web.yaml")], env={}).servers] == ["price-$5"]


def test_existing_files_are_not_overwritten_without_the_flag(cli, api_env, account, tmp_path):
    assert cli("export", "--project", "web", "--out", str(tmp_path), "--rate-limit", "0").code == 0
    again = cli("export", "--project", "web", "--out", str(tmp_path), "--rate-limit", "0")
    assert again.code == 1
    assert again.err.startswith("Error: refusing to overwrite existing files (use --overwrite): ")
    assert (
        cli("export", "--project", "web", "--out", str(tmp_path), "--overwrite", "--rate-limit", "0").code
        == 0
    )


def test_project_is_required(cli, api_env):
    assert cli("export").code == 64
    assert cli("export", "--project", " ").code == 64
