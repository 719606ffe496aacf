"""`vultr-state show`: live objects with their owner, as a table or JSON, against a served emulator."""

from __future__ import annotations

import json

from cli.accounts import DEPLOY_KEY, OPS_KEY, SCRIPT_BODY, make_server, write_registry


def test_empty_account(cli, api_env):
    result = cli("show", "--rate-limit", "0")
    assert (result.code, result.err) == (0, "")
    assert result.out == "The account holds no servers, SSH keys, startup scripts or snapshots.\n"


def test_table_shows_owner_from_every_registry_and_hides_registry_scripts(cli, api_env, client):
    deploy = client.sshkey_create("deploy", DEPLOY_KEY)
    client.sshkey_create("ops", OPS_KEY)
    client.startupscript_create("bootstrap", SCRIPT_BODY)
    web = make_server(client, "web-1")
    write_registry(client, "web", [("ssh_key", deploy, "deploy"), ("server", web, "web-1")])
    result = cli("show", "--rate-limit", "0")
    assert result.code == 0, result.err
    lines = result.out.splitlines()
    assert lines[0].split() == ["KIND", "ID", "NAME", "STATUS", "OWNER", "DETAIL"]
    rows = {line.split()[2]: line for line in lines[2:] if line and not line.startswith("4 objects")}
    assert "owned by web" in rows["deploy"]
    assert "unmanaged" in rows["ops"]
    assert "owned by web" in rows["web-1"] and "New Jersey" in rows["web-1"]
    assert rows["bootstrap"].split()[:4] == [
        "startup_script",
        rows["bootstrap"].split()[1],
        "bootstrap",
        "boot",
    ]
    assert "vultr-state:" not in result.out
    assert "TOP-SECRET" not in result.out
    assert lines[-1] == "4 objects: 2 owned, 2 unmanaged."


def test_json(cli, api_env, client):
    web = make_server(client, "web-1")
    write_registry(client, "other", [("server", web, "web-1")])
    doc = json.loads(cli("show", "--json", "--rate-limit", "0").out)
    assert doc == {
        "objects": [
            {
                "kind": "server",
                "id": web,
                "name": "web-1",
                "status": doc["objects"][0]["status"],
                "owner": "other",
                "detail": doc["objects"][0]["detail"],
            }
        ]
    }
    assert doc["objects"][0]["status"].split("/")[0] in ("pending", "active")


def test_with_a_manifest_ownership_is_the_projects_and_reverse_dns_is_shown(cli, api_env, client, tmp_path):
    web = make_server(client, "web-1")
    make_server(client, "db-1")
    write_registry(client, "web", [("server", web, "web-1")])
    ip = client.server_list()[web]["main_ip"]
    client.server_reverse_set_ipv4(web, ip, "web-1.example.com")
    manifest = tmp_path / "web.yaml"
    manifest.write_text(
        "project: web\n"
        "servers:\n"
        "  - label: web-1\n"
        "    region: New Jersey\n"
        "    plan: 1024 MB RAM,25 GB SSD,1.00 TB BW\n"
        "    os: Ubuntu 20.04 x64\n"
        "    reverse_dns: {ipv4: web-1.example.com}\n"
    )
    doc = json.loads(cli("show", str(manifest), "--json", "--rate-limit", "0").out)
    by_name = {o["name"]: o for o in doc["objects"]}
    assert by_name["web-1"]["owner"] == "web"
    assert by_name["db-1"]["owner"] is None
    assert f"{ip} → web-1.example.com" in by_name["web-1"]["detail"]


def test_without_a_key_one_sentence(cli, monkeypatch):
    result = cli("show")
    assert result.code == 1
    assert result.err == (
        "Error: no API key: set VULTR_API_KEY, pass --api-key-file FILE, "
        "or add --emulator to use the embedded emulator\n"
    )


def test_bad_manifest_path_is_an_error_not_a_traceback(cli, api_env, tmp_path):
    result = cli("show", str(tmp_path / "missing.yaml"), "--rate-limit", "0")
    assert result.code == 1
    assert result.err.startswith("Error: manifest has 1 problem")
    assert "Traceback" not in result.err
