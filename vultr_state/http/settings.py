"""Where the client's API key, base URL and rate come from: ``ClientSettings.resolve``.

Called by the CLI (from its options and the environment) and by tests. The key is resolved in the order
explicit argument > key file > ``VULTR_API_KEY``; the URL in the order argument > ``VULTR_API_URL`` >
``https://api.vultr.com``. Plain ``http://`` is refused unless the host is a loopback address, so the key
never crosses a network in clear text. A missing key is not an error here: public catalog calls work
without one, and the client raises ``ConfigError`` when an authenticated call is attempted.
"""

from __future__ import annotations

import ipaddress
import os
import re
from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import urlsplit

from vultr_state import __version__
from vultr_state.errors import ConfigError

DEFAULT_API_URL = "https://api.vultr.com"
# v1 allowed "an average of 2/s"; a burst of 1 keeps even a fully parallel apply under that average.
DEFAULT_RATE_LIMIT = 2.0
DEFAULT_RATE_BURST = 1
USER_AGENT = f"vultr-state/{__version__}"

# A key goes into an HTTP header: printable ASCII without spaces, so it cannot split the header.
_KEY_PATTERN = re.compile(r"[\x21-\x7e]+")
_MAX_KEY_FILE_BYTES = 4096


@dataclass(frozen=True, slots=True)
class ClientSettings:
    """Resolved connection settings. ``repr`` never shows the key.

    Attributes:
        api_key: The Vultr API key, or None when none was configured (public calls only).
        api_url: Base URL without trailing slash, e.g. ``https://api.vultr.com``.
        rate_limit: Requests per second shared by every call of the client; 0 disables limiting.
        rate_burst: How many requests may be sent back to back before the rate applies.
    """

    api_key: str | None = field(default=None, repr=False)
    api_url: str = DEFAULT_API_URL
    rate_limit: float = DEFAULT_RATE_LIMIT
    rate_burst: int = DEFAULT_RATE_BURST

    def __post_init__(self) -> None:
        if self.api_key is not None and not _KEY_PATTERN.fullmatch(self.api_key):
            raise ConfigError("the API key contains spaces or non-printable characters")
        object.__setattr__(self, "api_url", check_api_url(self.api_url))
        if not self.rate_limit >= 0:  # also rejects NaN
            raise ConfigError(f"rate limit must be >= 0 requests/s, not {self.rate_limit!r}")
        if self.rate_burst < 1:
            raise ConfigError(f"rate burst must be at least 1, not {self.rate_burst!r}")

    def __repr__(self) -> str:
        key = "'***'" if self.api_key else "None"
        return (
            f"ClientSettings(api_key={key}, api_url={self.api_url!r}, "
            f"rate_limit={self.rate_limit!r}, rate_burst={self.rate_burst!r})"
        )

    @property
    def user_agent(self) -> str:
        """The User-Agent header sent with every request."""
        return USER_AGENT

    @classmethod
    def resolve(
        cls,
        api_key: str | None = None,
        api_key_file: str | os.PathLike[str] | None = None,
        api_url: str | None = None,
        env: Mapping[str, str] | None = None,
        *,
        rate_limit: float | None = None,
        rate_burst: int | None = None,
    ) -> ClientSettings:
        """Build settings from explicit options, a key file and the environment.

        Args:
            api_key: Explicit key; wins over everything else.
            api_key_file: File whose content (stripped) is the key; wins over ``VULTR_API_KEY``.
            api_url: Explicit base URL; wins over ``VULTR_API_URL``.
            env: Environment to read (defaults to ``os.environ``).
            rate_limit: Requests per second (default 2.0; 0 = unlimited).
            rate_burst: Back-to-back requests allowed (default 1).

        Returns:
            The resolved settings; ``api_key`` may be None.

        Raises:
            ConfigError: unreadable or empty key file, malformed key, or an unacceptable URL.
        """
        environ = os.environ if env is None else env
        key = _clean(api_key)
        if key is None and api_key_file is not None:
            key = _read_key_file(Path(api_key_file))
        if key is None:
            key = _clean(environ.get("VULTR_API_KEY"))
        url = _clean(api_url) or _clean(environ.get("VULTR_API_URL")) or DEFAULT_API_URL
        return cls(
            api_key=key,
            api_url=url,
            rate_limit=DEFAULT_RATE_LIMIT if rate_limit is None else float(rate_limit),
            rate_burst=DEFAULT_RATE_BURST if rate_burst is None else int(rate_burst),
        )


def check_api_url(url: str) -> str:
    """Validate a base URL and return it without a trailing slash.

    Args:
        url: The candidate base URL.

    Returns:
        The URL, trailing slash removed.

    Raises:
        ConfigError: not http(s), no host, credentials/query/fragment in it, or plain http to a
            non-loopback host.
    """
    try:
        parts = urlsplit(url)
        host = parts.hostname
        parts.port  # noqa: B018  (raises ValueError on a malformed port)
    except ValueError as exc:
        raise ConfigError(f"invalid API URL {url!r}: {exc}") from exc
    if parts.scheme not in ("http", "https") or not host:
        raise ConfigError(f"invalid API URL {url!r}: expected http(s)://HOST[:PORT]")
    if parts.username is not None or parts.password is not None:
        raise ConfigError("invalid API URL: it must not contain credentials")
    if parts.query or parts.fragment:
        raise ConfigError(f"invalid API URL {url!r}: it must not contain a query or fragment")
    if parts.scheme == "http" and not is_loopback(host):
        raise ConfigError(
            f"refusing plain http:// API URL {url!r}: the API key would travel unencrypted "
            "(http is only allowed for 127.0.0.0/8, ::1 and localhost)"
        )
    return url.rstrip("/")


def is_loopback(host: str) -> bool:
    """True for ``localhost`` and any loopback IP address (127.0.0.0/8, ::1)."""
    if host.lower().rstrip(".") == "localhost":
        return True
    try:
        return ipaddress.ip_address(host).is_loopback
    except ValueError:
        return False


def _clean(value: str | None) -> str | None:
    """Strip whitespace; an empty value counts as absent."""
    if value is None:
        return None
    value = value.strip()
    return value or None


def _read_key_file(path: Path) -> str:
    """Read an API key file, refusing an empty or implausibly large one."""
    try:
        with path.open("rb") as handle:
            data = handle.read(_MAX_KEY_FILE_BYTES + 1)
    except OSError as exc:
        raise ConfigError(f"cannot read API key file {str(path)!r}: {exc.strerror or exc}") from exc
    if len(data) > _MAX_KEY_FILE_BYTES:
        raise ConfigError(f"API key file {str(path)!r} is too large to be a key")
    try:
        key = _clean(data.decode("ascii"))
    except UnicodeDecodeError as exc:
        raise ConfigError(f"API key file {str(path)!r} is not plain ASCII text") from exc
    if key is None:
        raise ConfigError(f"API key file {str(path)!r} is empty")
    return key
