"""ClientSettings.resolve: key and URL precedence, http refused off loopback, clean repr, bad key files."""

from __future__ import annotations

import pytest

from vultr_state import __version__
from vultr_state.errors import ConfigError
from vultr_state.providers.v1.client import ClientSettings

KEY = "SETTINGSKEY0123456789"


def test_key_precedence_explicit_then_file_then_env(tmp_path):
    key_file = tmp_path / "key"
    key_file.write_text("FILEKEY-abcdef\n")
    env = {"VULTR_API_KEY": "ENVKEY-abcdef"}
    assert ClientSettings.resolve(api_key=KEY, api_key_file=key_file, env=env).api_key == KEY
    assert ClientSettings.resolve(api_key_file=key_file, env=env).api_key == "FILEKEY-abcdef"
    assert ClientSettings.resolve(env=env).api_key == "ENVKEY-abcdef"
    assert ClientSettings.resolve(env={}).api_key is None
    assert ClientSettings.resolve(env={"VULTR_API_KEY": "  "}).api_key is None


def test_url_precedence_and_default():
    env = {"VULTR_API_URL": "https://env.example/"}
    assert ClientSettings.resolve(api_url="https://arg.example", env=env).api_url == "https://arg.example"
    assert ClientSettings.resolve(env=env).api_url == "https://env.example"
    assert ClientSettings.resolve(env={}).api_url == "https://api.vultr.com"


@pytest.mark.parametrize(
    "url",
    [
        "http://127.0.0.1:8080",
        "http://127.3.4.5",
        "http://localhost:9",
        "http://[::1]:8080/",
        "https://x.example",
    ],
)
def test_accepted_urls(url):
    assert ClientSettings.resolve(api_url=url, env={}).api_url == url.rstrip("/")


@pytest.mark.parametrize(
    "url, reason",
    [
        ("http://api.vultr.com", "plain http"),
        ("http://10.0.0.1:8080", "plain http"),
        ("http://localhost.evil.example", "plain http"),
        ("ftp://api.vultr.com", "expected http"),
        ("https://", "expected http"),
        ("https://user:pw@api.vultr.com", "credentials"),
        ("https://api.vultr.com/?api_key=x", "query"),
        ("https://api.vultr.com:99999", "invalid API URL"),
    ],
)
def test_refused_urls(url, reason):
    with pytest.raises(ConfigError, match=reason):
        ClientSettings.resolve(api_url=url, env={})


def test_repr_hides_the_key():
    settings = ClientSettings.resolve(api_key=KEY, env={})
    assert KEY not in repr(settings) and "api_key='***'" in repr(settings)
    assert "api_key=None" in repr(ClientSettings.resolve(env={}))
    assert settings.user_agent == f"vultr-state/{__version__}"


def test_key_file_problems(tmp_path):
    with pytest.raises(ConfigError, match="cannot read"):
        ClientSettings.resolve(api_key_file=tmp_path / "missing", env={})
    empty = tmp_path / "empty"
    empty.write_text("\n")
    with pytest.raises(ConfigError, match="empty"):
        ClientSettings.resolve(api_key_file=empty, env={})
    big = tmp_path / "big"
    big.write_bytes(b"k" * 10_000)
    with pytest.raises(ConfigError, match="too large"):
        ClientSettings.resolve(api_key_file=big, env={})
    binary = tmp_path / "binary"
    binary.write_bytes(b"\xff\xfe")
    with pytest.raises(ConfigError, match="ASCII"):
        ClientSettings.resolve(api_key_file=binary, env={})


def test_a_key_that_could_split_a_header_is_refused_without_echoing_it():
    with pytest.raises(ConfigError) as caught:
        ClientSettings.resolve(api_key="abc\r\nX-Evil: 1", env={})
    assert "X-Evil" not in str(caught.value)


@pytest.mark.parametrize("rate, burst", [(-1.0, 1), (float("nan"), 1), (2.0, 0)])
def test_rate_settings_are_validated(rate, burst):
    with pytest.raises(ConfigError):
        ClientSettings.resolve(env={}, rate_limit=rate, rate_burst=burst)


def test_rate_defaults_and_overrides():
    assert (ClientSettings.resolve(env={}).rate_limit, ClientSettings.resolve(env={}).rate_burst) == (2.0, 1)
    custom = ClientSettings.resolve(env={}, rate_limit=0, rate_burst=4)
    assert (custom.rate_limit, custom.rate_burst) == (0.0, 4)
