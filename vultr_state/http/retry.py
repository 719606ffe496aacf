"""Retry policy: which failed calls may be sent again, and how long to wait before doing so.

Called by ``core.ClientCore`` after every failed attempt. Every endpoint belongs to one ``CallKind``
(the table is ``endpoints.ENDPOINTS``); the kind decides what a failure means:

``READ``  (every GET) and ``IDEMPOTENT`` (POSTs whose repetition leaves the same end state:
    ``server/label_set``, ``server/tag_set``, ``server/reverse_set_ipv4``, ``server/reverse_set_ipv6``,
    ``server/reverse_default_ipv4``, ``sshkey/update``, ``startupscript/update`` and ``server/halt`` - a
    hard power-off of a stopped server changes nothing).
    Retried on 503 (rate limit), other 5xx and transport errors.

``DESTROY`` (``server/destroy``, ``server/destroy_ipv4``, ``server/reverse_delete_ipv6``,
    ``sshkey/destroy``, ``startupscript/destroy``, ``snapshot/destroy``).
    Retried like ``IDEMPOTENT`` - the end state, "gone", is the same however often it is asked for - but
    when a retry that follows an ambiguous failure (5xx, or a transport error after the request may have
    left) is refused with 412 ("Invalid server", "already pending destruction"), the first attempt has
    probably done the work: the client raises ``ApiOutcomeUnknown`` instead of a misleading
    ``ApiRequestFailed``, and the caller re-lists.

``ONCE`` (the creates ``server/create``, ``sshkey/create``, ``startupscript/create``,
    ``snapshot/create``, ``server/create_ipv4``, and actions whose repetition does something again:
    ``server/start`` restarts a running server, ``server/reboot`` reboots twice, ``server/reinstall``,
    ``server/os_change``, ``server/restore_backup``, ``server/restore_snapshot`` and
    ``server/upgrade_plan`` restart an install or a plan change; any unknown POST sent through ``raw``).
    Retried only when the request certainly did nothing: a 503 rate-limit answer, or a connection
    that could not be opened (``ApiConnectError``). After a 5xx, a transport error or an unreadable
    success body, the client raises ``ApiOutcomeUnknown`` so the caller looks before it acts again.

A 400/403/405/412 is never retried. Waits grow exponentially with "full jitter" (a uniform draw between
0 and ``base * 2**(attempt-1)``, capped), honour a ``Retry-After`` header when the answer has one, and
are bounded by ``max_attempts`` and by ``max_retry_seconds`` of total elapsed time.
"""

from __future__ import annotations

import enum
import random
from dataclasses import dataclass
from email.utils import parsedate_to_datetime

from vultr_state.errors import (
    ApiConnectError,
    ApiError,
    ApiRateLimited,
    ApiServerError,
    ApiTransportError,
)


class CallKind(enum.Enum):
    """How safe it is to send a call again; see the module docstring."""

    READ = "read"
    IDEMPOTENT = "idempotent"
    DESTROY = "destroy"
    ONCE = "once"


@dataclass(frozen=True, slots=True)
class RetryPolicy:
    """Bounds and pacing of retries.

    Attributes:
        max_attempts: Attempts per call, the first included (1 = never retry).
        max_retry_seconds: Give up rather than start a wait that would end later than this many seconds
            after the call began.
        base_delay: Upper bound of the first jittered wait, in seconds; doubles on every retry.
        max_delay: Cap of a single jittered wait (a longer ``Retry-After`` is still honoured).
    """

    max_attempts: int = 6
    max_retry_seconds: float = 120.0
    base_delay: float = 0.5
    max_delay: float = 30.0

    def __post_init__(self) -> None:
        if self.max_attempts < 1:
            raise ValueError(f"max_attempts must be >= 1, not {self.max_attempts!r}")
        if not self.max_retry_seconds >= 0:
            raise ValueError(f"max_retry_seconds must be >= 0, not {self.max_retry_seconds!r}")

    def backoff(self, attempt: int, rng: random.Random) -> float:
        """Full-jitter wait after failed attempt number ``attempt`` (1-based)."""
        ceiling = min(self.max_delay, self.base_delay * 2 ** min(attempt - 1, 32))
        return rng.uniform(0.0, ceiling)

    def delay(
        self, attempt: int, elapsed: float, retry_after: float | None, rng: random.Random
    ) -> float | None:
        """The wait before the next attempt, or None when the attempt or time budget is spent.

        Args:
            attempt: Number of the attempt that just failed (1-based).
            elapsed: Seconds since the call began.
            retry_after: The server's ``Retry-After`` in seconds, if it sent one.
            rng: Random source for the jitter.
        """
        if attempt >= self.max_attempts:
            return None
        wait = self.backoff(attempt, rng)
        if retry_after is not None:
            wait = max(wait, retry_after)
        if elapsed + wait > self.max_retry_seconds:
            return None
        return wait


def is_ambiguous(error: ApiError) -> bool:
    """True when the failed request may nevertheless have been carried out by Vultr."""
    if isinstance(error, ApiConnectError):
        return False
    return isinstance(error, ApiTransportError | ApiServerError)


def may_retry(kind: CallKind, error: ApiError) -> bool:
    """Whether a call of this kind may be sent again after this error."""
    if isinstance(error, ApiRateLimited | ApiConnectError):
        return True
    if kind is CallKind.ONCE:
        return False
    return error.retryable


def parse_retry_after(value: str | None, now_epoch: float) -> float | None:
    """Seconds to wait from a ``Retry-After`` header (delta-seconds or HTTP date), or None if unusable.

    Args:
        value: The header value, if any.
        now_epoch: Current wall-clock time (Unix seconds), for the HTTP-date form.
    """
    if not value:
        return None
    value = value.strip()
    try:
        seconds = float(value)
    except ValueError:
        try:
            seconds = parsedate_to_datetime(value).timestamp() - now_epoch
        except (TypeError, ValueError, IndexError, OverflowError):
            return None
    if seconds != seconds or seconds in (float("inf"), float("-inf")):  # NaN or infinite
        return None
    return max(0.0, seconds)
