"""The request pipeline every client call goes through: auth, rate limit, send, map errors, parse, retry.

``ClientCore`` is the base of ``VultrClient``; the endpoint methods (``servers``, ``resources``) build
parameters and pick a normaliser, then call ``_call``. One attempt is: wait for the shared rate limiter,
send through the ``Transport``, map the status with ``check_response``, parse and normalise the body.
A failed attempt is retried or not according to ``retry`` (the endpoint's ``CallKind``), and a
non-idempotent call that may have happened raises ``ApiOutcomeUnknown``. Every attempt is logged at
DEBUG on ``vultr_state.client`` with secrets masked; counters of sent requests are kept for tests,
benchmarks and the CLI's summary.
"""

from __future__ import annotations

import logging
import random
import re
import threading
import time
from collections import Counter
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any, Self, TypeVar

from vultr_state.client.check import check_response
from vultr_state.client.endpoints import Auth, Endpoint, endpoint_for
from vultr_state.client.normalize import ShapeError, parse_json
from vultr_state.client.ratelimit import RateLimiter
from vultr_state.client.redact import SENSITIVE_FIELDS, Scrubber, redact_params
from vultr_state.client.retry import CallKind, RetryPolicy, is_ambiguous, may_retry, parse_retry_after
from vultr_state.client.settings import ClientSettings
from vultr_state.client.transport import HttpReply, HttpRequest, Transport
from vultr_state.errors import (
    ApiError,
    ApiOutcomeUnknown,
    ApiRateLimited,
    ApiRequestFailed,
    ApiTransportError,
    ConfigError,
)

if TYPE_CHECKING:  # only transport.py imports requests at run time
    import requests

log = logging.getLogger("vultr_state.client")

T = TypeVar("T")
ParamValue = str | int | bool | None

_RAW_PATH = re.compile(r"[a-z0-9_]+/[a-z0-9_]+")


@dataclass(frozen=True, slots=True)
class RawResponse:
    """The answer to ``VultrClient.raw``: status and body text. ``repr`` shows the body's size only."""

    status: int
    body: str = field(repr=False)

    def __repr__(self) -> str:
        return f"RawResponse(status={self.status}, body=<{len(self.body)} chars>)"


class ClientCore:
    """Auth, rate limiting, retries, error mapping and logging shared by every endpoint method.

    Args:
        settings: Key, URL and default rate.
        session: A requests session to send through (tests mount the emulator adapter); a pooled one
            is created when None.
        rate_limiter: The limiter shared by every call; defaults to one built from the settings.
        timeout: (connect, read) timeouts in seconds.
        max_attempts: Attempts per call, retries included.
        max_retry_seconds: Bound on the total time spent on one call's retries.
        sleep: Sleep function (injectable: tests do not sleep).
        clock: Monotonic clock (injectable).
        rng: Random source of the backoff jitter (injectable for reproducible tests).
    """

    def __init__(
        self,
        settings: ClientSettings,
        *,
        session: requests.Session | None = None,
        rate_limiter: RateLimiter | None = None,
        timeout: tuple[float, float] = (5.0, 30.0),
        max_attempts: int = 6,
        max_retry_seconds: float = 120.0,
        sleep: Callable[[float], None] = time.sleep,
        clock: Callable[[], float] = time.monotonic,
        rng: random.Random | None = None,
    ):
        self.settings = settings
        self.rate_limiter = rate_limiter or RateLimiter(
            settings.rate_limit, settings.rate_burst, clock=clock, sleep=sleep
        )
        self.retry_policy = RetryPolicy(max_attempts=max_attempts, max_retry_seconds=max_retry_seconds)
        self._transport = Transport(session, timeout)
        self._owns_session = session is None
        self._sleep = sleep
        self._clock = clock
        self._rng = rng or random.Random()
        self._lock = threading.Lock()
        self._calls = 0
        self._calls_by_endpoint: Counter[str] = Counter()

    def __repr__(self) -> str:
        key = "'***'" if self.settings.api_key else "None"
        return f"{type(self).__name__}(api_url={self.settings.api_url!r}, api_key={key}, calls={self.calls})"

    def __enter__(self) -> Self:
        return self

    def __exit__(self, *exc_info: object) -> None:
        self.close()

    def close(self) -> None:
        """Release pooled connections (only of a session this client created)."""
        if self._owns_session:
            self._transport.close()

    @property
    def calls(self) -> int:
        """Total HTTP requests handed to the transport, retries included."""
        with self._lock:
            return self._calls

    @property
    def calls_by_endpoint(self) -> Counter[str]:
        """A snapshot of the request count per call label (``"GET server/list"``)."""
        with self._lock:
            return Counter(self._calls_by_endpoint)

    def raw(self, method: str, path: str, params: Mapping[str, str] | None = None) -> RawResponse:
        """Call any v1 endpoint and return its status and body text (for ``vultr-state api``).

        Authenticated, rate-limited and retried like the typed methods; the body is not parsed.

        Args:
            method: ``GET`` or ``POST``.
            path: ``server/list``, ``/v1/server/list``...
            params: Query (GET) or form (POST) parameters.

        Raises:
            ConfigError: bad method or path, an ``api_key`` parameter, or a missing key.
            ApiError: the mapped error of a non-2xx answer or a transport failure.
        """
        verb = method.upper()
        if verb not in ("GET", "POST"):
            raise ConfigError(f"v1 only knows GET and POST, not {method!r}")
        clean_path = path.strip().strip("/").removeprefix("v1/")
        if not _RAW_PATH.fullmatch(clean_path):
            raise ConfigError(f"invalid v1 path {path!r}: expected GROUP/ACTION such as server/list")
        pairs = dict(params or {})
        if any(name.lower() == "api_key" for name in pairs):
            raise ConfigError("the API key is sent in the API-Key header; do not pass it as a parameter")
        return self._call(
            endpoint_for(verb, clean_path), pairs, lambda reply: RawResponse(reply.status, reply.body)
        )

    # -- helpers for the endpoint methods -------------------------------------------------------------

    def _read(self, path: str, params: Mapping[str, ParamValue], shape: Callable[[Any], T]) -> T:
        """GET ``path`` and return ``shape(parsed JSON body)``."""
        return self._json_call("GET", path, params, shape, allow_empty=False)

    def _create(
        self,
        path: str,
        params: Mapping[str, ParamValue],
        shape: Callable[[Any], T],
        *,
        allow_empty: bool = False,
    ) -> T:
        """POST ``path`` and return ``shape(parsed JSON body)``."""
        return self._json_call("POST", path, params, shape, allow_empty=allow_empty)

    def _act(self, path: str, params: Mapping[str, ParamValue]) -> None:
        """POST an action whose answer is an empty body."""
        self._call(endpoint_for("POST", path), params, lambda reply: None)

    def _json_call(
        self,
        method: str,
        path: str,
        params: Mapping[str, ParamValue],
        shape: Callable[[Any], T],
        *,
        allow_empty: bool,
    ) -> T:
        def parse(reply: HttpReply) -> T:
            return shape(parse_json(reply.body, allow_empty=allow_empty))

        return self._call(endpoint_for(method, path), params, parse)

    # -- the pipeline ---------------------------------------------------------------------------------

    def _call(
        self, endpoint: Endpoint, params: Mapping[str, ParamValue], parse: Callable[[HttpReply], T]
    ) -> T:
        """Send one logical call, with retries; return ``parse(reply)`` of the successful attempt."""
        pairs = tuple((name, _wire_value(value)) for name, value in params.items() if value is not None)
        scrub = Scrubber([self.settings.api_key, *(v for n, v in pairs if n.lower() in SENSITIVE_FIELDS)])
        request = HttpRequest(
            method=endpoint.method,
            url=f"{self.settings.api_url}/v1/{endpoint.path}",
            call=endpoint.call,
            params=pairs,
            headers=self._headers(endpoint),
        )
        shown_params = redact_params(pairs)
        first_sent_at = 0.0  # the retry time budget starts at the first send, not in the limiter's queue
        ambiguous_before = False
        attempt = 0
        while True:
            attempt += 1
            self.rate_limiter.acquire()
            with self._lock:
                self._calls += 1
                self._calls_by_endpoint[endpoint.call] += 1
            sent_at = self._clock()
            if attempt == 1:
                first_sent_at = sent_at
            retry_after: str | None = None
            try:
                reply = self._transport.send(request, scrub)
                retry_after = reply.retry_after
                check_response(endpoint.call, reply.status, reply.body, scrub)
                result = _parse(endpoint.call, reply, parse)
            except ApiError as error:
                self._log_attempt(endpoint, shown_params, error.status, sent_at, attempt, error)
                if (
                    isinstance(error, ApiRequestFailed)
                    and ambiguous_before
                    and endpoint.kind is CallKind.DESTROY
                ):
                    raise _outcome_unknown(error, "an earlier attempt may already have done it") from error
                if not may_retry(endpoint.kind, error):
                    if endpoint.kind is CallKind.ONCE and is_ambiguous(error):
                        raise _outcome_unknown(error, "it may have been carried out") from error
                    raise
                wait = self.retry_policy.delay(
                    attempt,
                    self._clock() - first_sent_at,
                    parse_retry_after(retry_after, time.time()),
                    self._rng,
                )
                if wait is None:
                    raise
                if isinstance(error, ApiRateLimited):
                    self.rate_limiter.hold(wait)
                ambiguous_before = ambiguous_before or is_ambiguous(error)
                log.debug("%s: retrying in %.2f s after %s", endpoint.call, wait, type(error).__name__)
                self._sleep(wait)
            else:
                self._log_attempt(endpoint, shown_params, reply.status, sent_at, attempt, None)
                return result

    def _headers(self, endpoint: Endpoint) -> tuple[tuple[str, str], ...]:
        """User-Agent and, where the endpoint takes one, the API-Key header."""
        headers = [("User-Agent", self.settings.user_agent), ("Accept", "application/json, text/plain")]
        key = self.settings.api_key
        if endpoint.auth is Auth.REQUIRED and key is None:
            raise ConfigError(f"{endpoint.call} needs an API key: set VULTR_API_KEY or give an API key file")
        if key is not None and endpoint.auth is not Auth.NONE:
            headers.append(("API-Key", key))
        return tuple(headers)

    def _log_attempt(
        self,
        endpoint: Endpoint,
        shown_params: str,
        status: int | None,
        sent_at: float,
        attempt: int,
        error: ApiError | None,
    ) -> None:
        if not log.isEnabledFor(logging.DEBUG):
            return
        elapsed_ms = (self._clock() - sent_at) * 1000.0
        outcome = str(status) if status is not None else "no response"
        if error is not None:
            outcome += f" {type(error).__name__}: {error.message}"
        log.debug(
            "%s%s -> %s in %.0f ms (attempt %d/%d)",
            endpoint.call,
            f" [{shown_params}]" if shown_params else "",
            outcome,
            elapsed_ms,
            attempt,
            self.retry_policy.max_attempts,
        )


def _wire_value(value: str | int | bool) -> str:
    """Booleans as v1's ``yes``/``no``; numbers and strings as text."""
    if isinstance(value, bool):
        return "yes" if value else "no"
    return str(value)


def _parse(call: str, reply: HttpReply, parse: Callable[[HttpReply], T]) -> T:
    """Run the normaliser, turning a shape mismatch into an ``ApiTransportError`` naming the call."""
    try:
        return parse(reply)
    except ShapeError as exc:
        raise ApiTransportError(call, reply.status, f"unexpected response: {exc}") from exc


def _outcome_unknown(error: ApiError, why: str) -> ApiOutcomeUnknown:
    detail = error.message or type(error).__name__
    return ApiOutcomeUnknown(error.call, error.status, f"{detail}; {why}: look before trying again")
