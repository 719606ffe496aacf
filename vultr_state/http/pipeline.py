"""The request pipeline every API call of every provider goes through: auth, rate limit, send, map
errors, parse, retry, follow pages.

One ``Pipeline`` per provider instance. What differs between Vultr's APIs is a ``Dialect`` (v1: URL
``/v1/<group>/<action>``, ``API-Key`` header, form bodies, plain-text errors with 412/503; v2:
``/v2/<collection>``, ``Authorization: Bearer``, JSON bodies, JSON errors with 404/429, cursor pages).
The provider describes each request as a ``Call``; the dialect's hooks turn it into an ``HttpRequest``
(``build_request``), turn a non-2xx answer into the right ``ApiError`` (``map_error``) and say which call
fetches the next page (``next_page``).

One attempt is: wait for the shared ``RateLimiter``, send through the ``Transport``, map the status,
parse the body. A failed attempt is retried or not according to ``retry`` (the call's ``CallKind``), and
a non-idempotent call that may have happened raises ``ApiOutcomeUnknown``. Every attempt is logged at
DEBUG on ``vultr_state.client`` with secrets masked; counters of sent requests are kept for tests,
benchmarks and the CLI.
"""

from __future__ import annotations

import enum
import logging
import random
import threading
import time
from collections import Counter
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field
from typing import Generic, Protocol, TypedDict, TypeVar

from vultr_state.errors import (
    ApiError,
    ApiOutcomeUnknown,
    ApiRateLimited,
    ApiRequestFailed,
    ApiTransportError,
    ConfigError,
)
from vultr_state.http.ratelimit import RateLimiter
from vultr_state.http.redact import SENSITIVE_FIELDS, Scrubber, redact_params
from vultr_state.http.retry import CallKind, RetryPolicy, is_ambiguous, may_retry, parse_retry_after
from vultr_state.http.settings import ClientSettings
from vultr_state.http.transport import HttpReply, HttpRequest, Session, Transport

# The API traffic logger keeps the name users filter on (`-v` output shows it) whatever the provider.
log = logging.getLogger("vultr_state.client")

T = TypeVar("T")
U = TypeVar("U")

# A paged listing that never ends (a cursor that repeats, or an account far beyond any real one) is
# stopped rather than followed forever.
MAX_PAGES = 1000


class Auth(enum.Enum):
    """Whether a call needs the API key."""

    REQUIRED = "required"
    OPTIONAL = "optional"  # sent when configured (v1 regions/availability shows special plans with it)
    NONE = "none"  # public: the key is not sent (Vultr asked clients not to send it needlessly)


@dataclass(frozen=True, slots=True)
class Call:
    """One logical API call, as a provider describes it to its dialect.

    Attributes:
        method: The HTTP method.
        path: The API-relative path (v1 ``server/list``; v2 ``instances/<id>``).
        label: Shown in logs, counters and errors (``"POST server/create"``); defaults to
            ``"<method> <path>"``.
        kind: What a retry of this call may do (see ``retry``).
        auth: Whether the key is sent.
        params: Query (GET) or form (v1 POST) parameters, already as text.
        json: A JSON-able document for the request body (v2 writes), or None.
        secrets: Values to scrub from every log line and message of this call (besides the key and the
            values of ``SENSITIVE_FIELDS`` parameters, which are always scrubbed).
    """

    method: str
    path: str
    kind: CallKind = CallKind.READ
    auth: Auth = Auth.REQUIRED
    params: tuple[tuple[str, str], ...] = ()
    json: object = field(default=None, repr=False)
    secrets: tuple[str, ...] = field(default=(), repr=False)
    label: str = ""

    def __post_init__(self) -> None:
        if not self.label:
            object.__setattr__(self, "label", f"{self.method} {self.path}")


@dataclass(frozen=True, slots=True)
class Page(Generic[T]):
    """One page of a listing: its items and the cursor of the next page (None on the last one)."""

    items: tuple[T, ...]
    cursor: str | None = None


class Dialect(Protocol):
    """The per-API hooks of the pipeline. Implemented once per provider (``providers/v1``, ``v2``)."""

    def build_request(self, call: Call, settings: ClientSettings) -> HttpRequest:
        """The HTTP request of one attempt: URL, auth and content headers, query/form/JSON body."""
        ...

    def map_error(self, call: Call, status: int, body: str, scrub: Callable[[str], str]) -> ApiError:
        """The ``ApiError`` for a non-2xx answer (its message scrubbed with ``scrub``)."""
        ...

    def next_page(self, call: Call, cursor: str) -> Call:
        """The call that fetches the page after the one ``call`` fetched, given that page's cursor."""
        ...


class PipelineOptions(TypedDict, total=False):
    """The keyword arguments of ``Pipeline`` besides its dialect and settings, for clients built over
    it (``VultrClient``) to take and pass through unchanged; each is described on ``Pipeline``."""

    session: Session | None
    rate_limiter: RateLimiter | None
    timeout: tuple[float, float]
    max_attempts: int
    max_retry_seconds: float
    sleep: Callable[[float], None]
    clock: Callable[[], float]
    rng: random.Random | None


class Pipeline:
    """Auth, rate limiting, retries, error mapping, paging and logging shared by every call.

    Args:
        dialect: The API's hooks.
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
        dialect: Dialect,
        settings: ClientSettings,
        *,
        session: Session | None = None,
        rate_limiter: RateLimiter | None = None,
        timeout: tuple[float, float] = (5.0, 30.0),
        max_attempts: int = 6,
        max_retry_seconds: float = 120.0,
        sleep: Callable[[float], None] = time.sleep,
        clock: Callable[[], float] = time.monotonic,
        rng: random.Random | None = None,
    ):
        self.dialect = dialect
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

    def close(self) -> None:
        """Release pooled connections (only of a session this pipeline created)."""
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

    def pages(
        self,
        call: Call,
        parse: Callable[[HttpReply], Page[T]],
        convert: Callable[[Sequence[T]], Iterable[U]],
    ) -> list[U]:
        """Send ``call`` and every follow-up page call the dialect names; return all items, converted
        page by page with ``convert``, in order.

        Raises:
            ApiTransportError: a cursor repeated, or more than ``MAX_PAGES`` pages were offered.
            ApiError: as ``send``, or from ``convert``.
        """
        items: list[U] = []
        seen: set[str] = set()
        current = call
        for _ in range(MAX_PAGES):
            page = self.send(current, parse)
            items.extend(convert(page.items))
            if not page.cursor:
                return items
            if page.cursor in seen:
                raise _paging_error(call, "the API repeated a page cursor")
            seen.add(page.cursor)
            current = self.dialect.next_page(call, page.cursor)
        raise _paging_error(call, f"more than {MAX_PAGES} pages")

    def send(self, call: Call, parse: Callable[[HttpReply], T]) -> T:
        """Send one logical call, with retries; return ``parse(reply)`` of the successful attempt.

        ``parse`` may raise ``ApiError`` (an unreadable success body): it counts as a failed attempt.

        Raises:
            ConfigError: the call needs a key and none is configured.
            ApiError: the mapped error of the last attempt, or ``ApiOutcomeUnknown`` when a call that must
                not be repeated may have been carried out.
        """
        if call.auth is Auth.REQUIRED and self.settings.api_key is None:
            raise ConfigError(f"{call.label} needs an API key: set VULTR_API_KEY or give an API key file")
        sensitive = (v for n, v in call.params if n.lower() in SENSITIVE_FIELDS)
        scrub = Scrubber([self.settings.api_key, *sensitive, *call.secrets])
        request = self.dialect.build_request(call, self.settings)
        shown_params = redact_params(call.params)
        first_sent_at = 0.0  # the retry time budget starts at the first send, not in the limiter's queue
        ambiguous_before = False
        attempt = 0
        while True:
            attempt += 1
            self.rate_limiter.acquire()
            with self._lock:
                self._calls += 1
                self._calls_by_endpoint[call.label] += 1
            sent_at = self._clock()
            if attempt == 1:
                first_sent_at = sent_at
            retry_after: str | None = None
            try:
                reply = self._transport.send(request, scrub)
                retry_after = reply.retry_after
                if not 200 <= reply.status < 300:
                    raise self.dialect.map_error(call, reply.status, reply.body, scrub)
                result = parse(reply)
            except ApiError as error:
                self._log_attempt(call, shown_params, error.status, sent_at, attempt, error)
                if isinstance(error, ApiRequestFailed) and ambiguous_before and call.kind is CallKind.DESTROY:
                    raise _outcome_unknown(error, "an earlier attempt may already have done it") from error
                if not may_retry(call.kind, error):
                    if call.kind is CallKind.ONCE and is_ambiguous(error):
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
                log.debug("%s: retrying in %.2f s after %s", call.label, wait, type(error).__name__)
                self._sleep(wait)
            else:
                self._log_attempt(call, shown_params, reply.status, sent_at, attempt, None)
                return result

    def _log_attempt(
        self,
        call: Call,
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
            call.label,
            f" [{shown_params}]" if shown_params else "",
            outcome,
            elapsed_ms,
            attempt,
            self.retry_policy.max_attempts,
        )


def base_headers(settings: ClientSettings, accept: str) -> list[tuple[str, str]]:
    """The headers every dialect sends: ``User-Agent`` and ``Accept``."""
    return [("User-Agent", settings.user_agent), ("Accept", accept)]


def _outcome_unknown(error: ApiError, why: str) -> ApiOutcomeUnknown:
    detail = error.message or type(error).__name__
    return ApiOutcomeUnknown(error.call, error.status, f"{detail}; {why}: look before trying again")


def _paging_error(call: Call, why: str) -> ApiError:
    return ApiTransportError(call.label, None, f"stopped following pages: {why}")
