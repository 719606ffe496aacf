"""Test helpers for the client tests: a scripted requests adapter, a fake clock and a settings builder.

``ScriptedAdapter`` is a test transport (a ``requests`` adapter mounted on the session, the way the
emulator's adapter is): it answers each request with the next scripted reply or raises the next scripted
exception, and records what was sent. It is used where an exact sequence of answers is the point (retry
rules, Retry-After, hostile bodies); everything else runs against the emulator.
"""

from __future__ import annotations

import base64
import io
import threading
from collections.abc import Callable
from dataclasses import dataclass, field
from urllib.parse import parse_qsl, urlsplit

import requests
from requests.adapters import BaseAdapter

from vultr_state.providers.v1.client import ClientSettings, RateLimiter, VultrClient

TEST_KEY = "TESTKEY-7f3a9c1e5b2d4f60"
BASE = "https://api.vultr.com"


@dataclass(frozen=True)
class Reply:
    """One scripted answer."""

    status: int = 200
    body: str | bytes = ""
    headers: dict[str, str] = field(default_factory=dict)


@dataclass(frozen=True)
class Sent:
    """One recorded request."""

    method: str
    path: str
    query: dict[str, str]
    form: dict[str, str]
    headers: dict[str, str]
    url: str


class ScriptedAdapter(BaseAdapter):
    """Answers with scripted replies (or raises scripted exceptions); the last entry repeats forever.

    Args:
        script: Replies / exception instances in order, or a function ``(Sent) -> Reply`` for every call.
    """

    def __init__(self, script: list[Reply | Exception] | Callable[[Sent], Reply | Exception]):
        super().__init__()
        self._script = script
        self._lock = threading.Lock()
        self.sent: list[Sent] = []

    def send(self, request, stream=False, timeout=None, verify=True, cert=None, proxies=None):
        parts = urlsplit(request.url)
        body = request.body or ""
        if isinstance(body, bytes):
            body = body.decode("utf-8")
        sent = Sent(
            method=request.method,
            path=parts.path,
            query=dict(parse_qsl(parts.query, keep_blank_values=True)),
            form=dict(parse_qsl(body, keep_blank_values=True)),
            headers=dict(request.headers),
            url=request.url,
        )
        with self._lock:
            self.sent.append(sent)
            if callable(self._script):
                step = self._script(sent)
            else:
                index = min(len(self.sent) - 1, len(self._script) - 1)
                step = self._script[index]
        if isinstance(step, Exception):
            raise step
        response = requests.Response()
        response.status_code = step.status
        payload = step.body.encode("utf-8") if isinstance(step.body, str) else step.body
        response.raw = io.BytesIO(payload)
        response.headers.update(step.headers)
        response.url = request.url
        response.request = request
        return response

    def close(self) -> None:
        pass


class FakeTime:
    """A monotonic clock that only moves when ``sleep`` is called; records every sleep. Thread-safe."""

    def __init__(self, start: float = 1000.0):
        self.now = start
        self.sleeps: list[float] = []
        self._lock = threading.Lock()

    def clock(self) -> float:
        with self._lock:
            return self.now

    def sleep(self, seconds: float) -> None:
        with self._lock:
            self.sleeps.append(seconds)
            self.now += seconds


def scripted_client(
    script: list[Reply | Exception] | Callable[[Sent], Reply | Exception],
    *,
    api_key: str | None = TEST_KEY,
    fake: FakeTime | None = None,
    rate: float = 0.0,
    **kwargs,
) -> tuple[VultrClient, ScriptedAdapter, FakeTime]:
    """A client whose session answers from ``script``; no real sleeping, rate limiting off by default."""
    fake = fake or FakeTime()
    adapter = ScriptedAdapter(script)
    session = requests.Session()
    session.mount(BASE + "/", adapter)
    settings = ClientSettings(api_key=api_key, api_url=BASE, rate_limit=rate)
    limiter = RateLimiter(rate, 1, clock=fake.clock, sleep=fake.sleep)
    client = VultrClient(
        settings, session=session, rate_limiter=limiter, sleep=fake.sleep, clock=fake.clock, **kwargs
    )
    return client, adapter, fake


def ed25519_public_key(seed: bytes, comment: str) -> str:
    """An authorized_keys line with a well-formed ed25519 blob (length-prefixed type and 32-byte key)."""
    blob = b"\x00\x00\x00\x0bssh-ed25519" + b"\x00\x00\x00\x20" + seed.ljust(32, b"k")[:32]
    return f"ssh-ed25519 {base64.b64encode(blob).decode()} {comment}"
