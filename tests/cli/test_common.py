"""Shared CLI plumbing: settings resolution, the --emulator account, colour decision, logging."""

from __future__ import annotations

import io
import json
import logging

import pytest

from vultr_state.cli.common import (
    EMULATOR_PROVISION_SECONDS,
    ConnectionOptions,
    emulator_config,
    open_raw,
    resolve_settings,
    setup_logging,
    want_color,
)
from vultr_state.emulator import DEFAULT_API_KEY
from vultr_state.errors import ConfigError


class _Tty(io.StringIO):
    def isatty(self) -> bool:
        return True


def test_colour_only_on_a_terminal_without_opt_outs():
    assert want_color(False, _Tty(), env={}) is True
    assert want_color(False, io.StringIO(), env={}) is False
    assert want_color(True, _Tty(), env={}) is False
    assert want_color(False, _Tty(), env={"NO_COLOR": "1"}) is False
    assert want_color(False, _Tty(), env={"NO_COLOR": ""}) is True  # no-color.org: empty means unset
    assert want_color(False, _Tty(), env={"TERM": "dumb"}) is False


def test_no_key_without_emulator_is_one_clear_sentence():
    with pytest.raises(ConfigError) as caught:
        resolve_settings(ConnectionOptions(), env={}, require_key=True)
    assert str(caught.value) == (
        "no API key: set VULTR_API_KEY, pass --api-key-file FILE, "
        "or add --emulator to use the embedded emulator"
    )
    assert resolve_settings(ConnectionOptions(), env={}, require_key=False).api_key is None


def test_key_file_and_env(tmp_path):
    key_file = tmp_path / "key"
    key_file.write_text("FILE-KEY-1234\n")
    env = {"VULTR_API_KEY": "ENV-KEY-1234", "VULTR_API_URL": "http://127.0.0.1:9"}
    from_file = resolve_settings(ConnectionOptions(api_key_file=key_file), env=env, require_key=True)
    assert from_file.api_key == "FILE-KEY-1234"
    assert from_file.api_url == "http://127.0.0.1:9"
    assert resolve_settings(ConnectionOptions(), env=env, require_key=True).api_key == "ENV-KEY-1234"
    assert resolve_settings(ConnectionOptions(rate_limit=5), env=env, require_key=True).rate_limit == 5


def test_emulator_ignores_the_environment_and_has_its_own_key():
    env = {"VULTR_API_KEY": "ENV-KEY-1234", "VULTR_API_URL": "https://api.vultr.com"}
    settings = resolve_settings(ConnectionOptions(emulator=True), env=env, require_key=True)
    assert settings.api_key == DEFAULT_API_KEY
    assert settings.api_url == "https://emulator.invalid"
    assert settings.rate_limit == 0
    with pytest.raises(ConfigError, match="--emulator and --api-key-file do not go together"):
        resolve_settings(ConnectionOptions(emulator=True, api_key_file="k"), env={}, require_key=True)


def test_emulator_state_lives_under_the_working_directory(tmp_path):
    config = emulator_config(tmp_path)
    assert config.state_file == str(tmp_path / ".vultr-state" / "emulator.sqlite")
    assert config.provision_seconds == EMULATOR_PROVISION_SECONDS == 3.0
    assert config.rate_limit == 0


def test_emulator_account_persists_between_clients(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    key = "ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAIGm9t3g0ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghij a@b"
    with open_raw(ConnectionOptions(emulator=True, api="v1")) as call:
        call("POST", "sshkey/create", {"name": "deploy", "ssh_key": key}, None)
    with open_raw(ConnectionOptions(emulator=True, api="v2")) as call:
        call("POST", "/ssh-keys", {}, {"name": "deploy-v2", "ssh_key": key})
    with open_raw(ConnectionOptions(emulator=True, api="v1")) as call:
        listed = json.loads(call("GET", "sshkey/list", {}, None).body)
        assert [k["name"] for k in listed.values()] == ["deploy"]
    with open_raw(ConnectionOptions(emulator=True)) as call:  # v2, the default; its own account
        assert [k["name"] for k in json.loads(call("GET", "/ssh-keys", {}, None).body)["ssh_keys"]] == [
            "deploy-v2"
        ]


def test_verbose_logging_goes_to_the_current_stderr(capsys):
    setup_logging(True)
    logging.getLogger("vultr_state.client").debug("GET server/list -> 200")
    setup_logging(False)
    logging.getLogger("vultr_state.client").debug("hidden")
    logging.getLogger("vultr_state.client").warning("shown once")
    # Only this logger's lines: a thread another test left behind (an emulator, a lock lease) may log too.
    err = [line for line in capsys.readouterr().err.splitlines() if "vultr_state.client:" in line]
    assert err == [
        "DEBUG vultr_state.client: GET server/list -> 200",
        "WARNING vultr_state.client: shown once",
    ]
