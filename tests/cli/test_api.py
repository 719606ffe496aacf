"""`vultr-state api`: raw calls against the emulator over HTTP, pretty JSON, masked secrets, errors."""

from __future__ import annotations

import json

import pytest

from vultr_state.cli.api import format_body, parse_arguments
from vultr_state.http.redact import mask_secrets

PUBLIC_KEY = "ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAIGm9t3g0ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghij deploy@ci"


def test_get_prints_pretty_json(cli, api_env):
    result = cli("api", "GET", "regions/list", "--rate-limit", "0")
    assert result.code == 0, result.err
    regions = json.loads(result.out)
    assert regions["1"]["name"] == "New Jersey"
    assert result.out.startswith("{\n  ")


def test_post_with_params_then_list(cli, api_env, emulator):
    created = cli("api", "POST", "sshkey/create", "name=deploy", f"ssh_key={PUBLIC_KEY}", "--rate-limit", "0")
    assert created.code == 0, created.err
    key_id = json.loads(created.out)["SSHKEYID"]
    listed = json.loads(cli("api", "GET", "sshkey/list", "--rate-limit", "0").out)
    assert listed[key_id]["ssh_key"] == PUBLIC_KEY  # public keys are not secrets
    assert [k["name"] for k in emulator.ssh_keys()] == ["deploy"]


def test_action_with_empty_body_prints_nothing(cli, api_env, emulator):
    created = json.loads(cli("api", "POST", "sshkey/create", "name=a", f"ssh_key={PUBLIC_KEY}").out)
    result = cli(
        "api", "POST", "sshkey/update", f"SSHKEYID={created['SSHKEYID']}", "name=b", "--rate-limit", "0"
    )
    assert (result.code, result.out) == (0, "")
    assert [k["name"] for k in emulator.ssh_keys()] == ["b"]


def test_secrets_are_masked_unless_asked(cli, api_env):
    script = "#!/bin/sh\necho super-secret-token\n"
    cli("api", "POST", "startupscript/create", "name=boot", f"script={script}", "--rate-limit", "0")
    cli("api", "POST", "server/create", "DCID=1", "VPSPLANID=201", "OSID=387", "--rate-limit", "0")
    masked = cli("api", "GET", "startupscript/list", "--rate-limit", "0").out
    assert "super-secret-token" not in masked and '"script": "***"' in masked
    servers = json.loads(cli("api", "GET", "server/list", "--rate-limit", "0").out)
    assert [s["default_password"] for s in servers.values()] == ["***"]
    shown = json.loads(cli("api", "GET", "server/list", "--show-secrets", "--rate-limit", "0").out)
    assert all(s["default_password"] not in ("", "***") for s in shown.values())
    assert "super-secret-token" in cli("api", "GET", "startupscript/list", "--show-secrets").out


def test_api_errors_exit_1_with_vultrs_message(cli, api_env):
    result = cli("api", "GET", "server/list", "SUBID=999", "--rate-limit", "0")
    assert result.code == 1
    assert result.out == ""
    assert result.err.startswith("Error: GET server/list failed (HTTP 412): Invalid server.")
    assert "Traceback" not in result.err


def test_bad_key_is_an_auth_error(cli, api_env, monkeypatch):
    monkeypatch.setenv("VULTR_API_KEY", "WRONG-KEY-123")
    result = cli("api", "GET", "server/list", "--rate-limit", "0")
    assert result.code == 1
    assert "HTTP 403" in result.err
    assert "WRONG-KEY-123" not in result.err


def test_bad_path_and_method_are_one_sentence_errors(cli, api_env):
    assert cli("api", "GET", "nonsense").err == (
        "Error: invalid v1 path 'nonsense': expected GROUP/ACTION such as server/list\n"
    )
    assert cli("api", "DELETE", "server/list").err == "Error: v1 only knows GET and POST, not 'DELETE'\n"


def test_malformed_param_is_a_usage_error(cli, api_env):
    result = cli("api", "GET", "server/list", "SUBID")
    assert result.code == 64
    assert "'SUBID' is not NAME=VALUE" in result.err


def test_missing_arguments_are_usage_errors(cli):
    assert cli("api").code == 64
    assert cli("api", "GET").code == 64


def test_emulator_mode_keeps_state_in_the_working_directory(cli, tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    cli("api", "POST", "sshkey/create", "name=deploy", f"ssh_key={PUBLIC_KEY}", "--emulator", "--api", "v1")
    listed = json.loads(cli("api", "GET", "sshkey/list", "--emulator", "--api", "v1").out)
    assert [k["name"] for k in listed.values()] == ["deploy"]
    assert (tmp_path / ".vultr-state" / "emulator.sqlite").is_file()


def test_as_a_subprocess(cli_process, api_env):
    result = cli_process("api", "GET", "os/list", "--rate-limit", "0", env=api_env)
    assert result.code == 0, result.err
    assert json.loads(result.out)["387"]["name"]


def test_parse_params():
    pairs = {"SUBID": "1", "label": "a=b", "x": ""}
    assert parse_arguments(["SUBID=1", "label=a=b", "x="], json_body=False) == (pairs, None)


@pytest.mark.parametrize("body", ['{"default_password":"hunter2"', "plain text hunter2"])
def test_non_json_bodies(body):
    shown = format_body(body, show_secrets=False)
    assert ("hunter2" in shown) is body.startswith("plain")
    assert format_body(body, show_secrets=True) == body


def test_mask_secrets_nested():
    doc = {"a": [{"default_password": "p", "Script": "s", "userdata": ""}], "name": "n"}
    assert mask_secrets(doc) == {
        "a": [{"default_password": "***", "Script": "***", "userdata": ""}],
        "name": "n",
    }


def test_one_list_of_secret_fields_for_both_apis():
    doc = {
        "instance": {
            "kvm": "https://my.vultr.com/subs/vps/novnc/api.php?data=TOKEN",
            "default_password": "p",
        },
        "1": {
            "kvm_url": "https://my.vultr.com/subs/vps/novnc/api.php?data=T",
            "userdata": "u",
            "label": "web",
        },
        "user_data": {"data": "Y2xvdWQ="},
        "ssh_key": {"ssh_key": PUBLIC_KEY},
    }
    assert mask_secrets(doc) == {
        "instance": {"kvm": "***", "default_password": "***"},
        "1": {"kvm_url": "***", "userdata": "***", "label": "web"},
        "user_data": {"data": "***"},
        "ssh_key": {"ssh_key": PUBLIC_KEY},
    }
