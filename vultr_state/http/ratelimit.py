"""The one rate limiter shared by every call of a run, so a parallel apply never trips v1's 503.

``VultrClient`` calls ``acquire()`` before every HTTP attempt (retries included) and ``hold()`` after a
503 so that every thread backs off, not only the one that was refused. One limiter may be shared by
several clients. The algorithm is GCRA (a token bucket expressed as a "theoretical arrival time"):
each caller reserves the next free send slot under a lock, then sleeps outside the lock until that slot,
so waiting callers are served in arrival order and the lock is never held while sleeping. In any
window of ``W`` seconds at most ``burst + rate * W`` requests start.
"""

from __future__ import annotations

import threading
import time
from collections.abc import Callable


class RateLimiter:
    """Thread-safe GCRA limiter: ``rate`` requests per second with a burst allowance.

    Args:
        rate: Requests per second; 0 means unlimited.
        burst: How many requests may start back to back (at least 1).
        clock: Monotonic clock in seconds (injectable for tests).
        sleep: Sleep function (injectable for tests).
    """

    def __init__(
        self,
        rate: float = 2.0,
        burst: int = 1,
        *,
        clock: Callable[[], float] = time.monotonic,
        sleep: Callable[[float], None] = time.sleep,
    ):
        if not rate >= 0:
            raise ValueError(f"rate must be >= 0, not {rate!r}")
        if burst < 1:
            raise ValueError(f"burst must be >= 1, not {burst!r}")
        self.rate = float(rate)
        self.burst = int(burst)
        self._clock = clock
        self._sleep = sleep
        self._lock = threading.Lock()
        self._interval = 1.0 / rate if rate else 0.0
        self._tolerance = (self.burst - 1) * self._interval
        self._tat = float("-inf")  # theoretical arrival time of the next request

    def __repr__(self) -> str:
        return f"RateLimiter(rate={self.rate!r}, burst={self.burst!r})"

    def reserve(self) -> float:
        """Reserve the next send slot without sleeping.

        Returns:
            Seconds the caller must wait before sending (0.0 when it may send now).
        """
        if not self.rate:
            return 0.0
        with self._lock:
            now = self._clock()
            tat = max(self._tat, now)
            start = max(now, tat - self._tolerance)
            self._tat = tat + self._interval
        return start - now

    def acquire(self) -> float:
        """Block until the caller may send one request.

        Returns:
            The number of seconds waited.
        """
        wait = self.reserve()
        if wait > 0:
            self._sleep(wait)
        return wait

    def hold(self, seconds: float) -> None:
        """Let no request start for ``seconds`` from now (after a 503), then resume at the normal rate.

        A no-op for an unlimited limiter: the refused caller still waits its own retry delay.
        """
        if seconds <= 0 or not self.rate:
            return
        with self._lock:
            # The next start is max(now, tat - tolerance): push tat so that it is at least now + seconds.
            self._tat = max(self._tat, self._clock() + seconds + self._tolerance)
