"""`vultr-state api` on v2, the default: raw GET/POST/PATCH/DELETE with query parameters and JSON bodies
against the served emulator, secrets masked (default passwords, console URLs with their tokens, user
data, script bodies) unless --show-secrets, usage errors for malformed arguments, v1 with --api v1."""

from __future__ import annotations

import base64
import json

import pytest

from vultr_state.emulator import DEFAULT_API_KEY

PUBLIC_KEY = "ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAIGm9t3g0ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghij deploy@ci"
SCRIPT = "#!/bin/sh\necho v2-api-secret-token\n"
USER_DATA = "#cloud-config\npassword: v2-user-data-secret\n"


@pytest.fixture
def v2(served, monkeypatch):
    """The CLI pointed at the served emulator with no API chosen (so the default, v2)."""
    monkeypatch.setenv("VULTR_API_URL", served.url)
    monkeypatch.setenv("VULTR_API_KEY", DEFAULT_API_KEY)
    monkeypatch.delenv("VULTR_API_VERSION", raising=False)
    return served.emulator


def _ok(result) -> dict:
    assert result.code == 0, result.err
    return json.loads(result.out) if result.out.strip() else {}


def test_get_post_patch_delete_on_v2_by_default(cli, v2):
    created = _ok(
        cli("api", "POST", "/ssh-keys", "name=deploy", f"ssh_key={PUBLIC_KEY}", "--rate-limit", "0")
    )
    key_id = created["ssh_key"]["id"]
    assert created["ssh_key"]["ssh_key"] == PUBLIC_KEY  # public keys are not secrets

    assert cli("api", "PATCH", f"/ssh-keys/{key_id}", '{"name": "ops"}', "--rate-limit", "0").code == 0
    listed = _ok(cli("api", "GET", "ssh-keys", "per_page=10", "--rate-limit", "0"))
    assert [k["name"] for k in listed["ssh_keys"]] == ["ops"] and listed["meta"]["total"] == 1

    assert cli("api", "DELETE", f"/v2/ssh-keys/{key_id}", "--rate-limit", "0").code == 0
    assert v2.v2.ssh_keys() == [] and v2.ssh_keys() == []  # the v1 account never saw any of it


def test_typed_members_and_secrets_masked_unless_asked(cli, v2):
    script = _ok(
        cli(
            "api", "POST", "/startup-scripts", "name=boot",
            f"script={base64.b64encode(SCRIPT.encode()).decode()}", "--rate-limit", "0",
        )
    )["startup_script"]  # fmt: skip
    created = _ok(
        cli(
            "api", "POST", "/instances", "region=ewr", "plan=vc2-1c-1gb", "os_id:=1743", "enable_ipv6:=true",
            f"user_data={base64.b64encode(USER_DATA.encode()).decode()}", "--rate-limit", "0",
        )
    )["instance"]  # fmt: skip
    assert created["default_password"] == "***" and "ipv6" in created["features"]

    shown_script = cli("api", "GET", f"/startup-scripts/{script['id']}", "--rate-limit", "0").out
    assert '"script": "***"' in shown_script
    user_data = _ok(cli("api", "GET", f"/instances/{created['id']}/user-data", "--rate-limit", "0"))
    assert user_data == {"user_data": {"data": "***"}}
    instance = _ok(cli("api", "GET", f"/instances/{created['id']}", "--rate-limit", "0"))["instance"]
    assert instance["kvm"] in ("", "***")

    revealed = cli(
        "api", "GET", f"/instances/{created['id']}/user-data", "--show-secrets", "--rate-limit", "0"
    )
    assert base64.b64decode(json.loads(revealed.out)["user_data"]["data"]).decode() == USER_DATA
    shown = cli("api", "GET", f"/startup-scripts/{script['id']}", "--show-secrets", "--rate-limit", "0").out
    assert base64.b64decode(json.loads(shown)["startup_script"]["script"]).decode() == SCRIPT


def test_usage_errors_and_api_errors(cli, v2):
    assert cli("api", "POST", "/ssh-keys", "name").code == 64
    assert cli("api", "POST", "/ssh-keys", "ok:=not-json").code == 64
    assert cli("api", "POST", "/ssh-keys", "{not json").code == 64
    bad_path = cli("api", "GET", "/instances?x=1")
    assert bad_path.code == 1 and "invalid v2 path" in bad_path.err
    bad_method = cli("api", "TRACE", "/instances")
    assert bad_method.code == 1 and "v2 knows GET, POST, PATCH, PUT, DELETE" in bad_method.err
    gone = cli("api", "GET", "/ssh-keys/3f2a9c10-0000-4000-8000-000000000000", "--rate-limit", "0")
    assert gone.code == 1 and "Traceback" not in gone.err


def test_public_catalog_without_a_key_and_v1_one_flag_away(cli, v2, monkeypatch):
    monkeypatch.delenv("VULTR_API_KEY")
    oses = _ok(cli("api", "GET", "/os", "--rate-limit", "0"))["os"]
    assert {"id": 1743, "name": "Ubuntu 22.04 LTS x64", "arch": "x64", "family": "ubuntu"} in oses
    assert "Ubuntu 22.04 x64" in {
        o["name"] for o in _ok(cli("api", "GET", "os/list", "--api", "v1")).values()
    }
    refused = cli("api", "POST", "sshkey/create", '{"name": "x"}', "--api", "v1")
    assert refused.code == 64  # v1 takes NAME=VALUE only
