"""Per-API-key token bucket: v1 limited keys to "an average of 2/s" with some leeway, v2 to 30/s.

Each face owns one ``RateLimiter`` and asks it for every call that carries a valid key; public calls
without a key are never limited. Each key starts with ``burst`` tokens and regains ``rate`` tokens per
second up to ``burst``; the face answers a call that finds no token in its own dialect (v1: 503 text, v2:
429 JSON). Time comes from the injected clock, so tests step through it without sleeping.
"""

from __future__ import annotations

import threading
from collections.abc import Callable


class RateLimiter:
    """Token buckets keyed by API key.

    Args:
        rate: Tokens regained per second; ``0`` disables limiting.
        burst: Bucket capacity (at least 1).
        clock: Current time in seconds.
    """

    def __init__(self, rate: float, burst: int, clock: Callable[[], float]) -> None:
        self.rate = rate
        self.burst = max(1, burst)
        self._clock = clock
        self._buckets: dict[str, tuple[float, float]] = {}
        self._lock = threading.Lock()

    def allow(self, key: str) -> bool:
        """Take a token for ``key``; False when the bucket is empty."""
        if self.rate <= 0:
            return True
        now = self._clock()
        with self._lock:
            tokens, last = self._buckets.get(key, (float(self.burst), now))
            tokens = min(float(self.burst), tokens + max(0.0, now - last) * self.rate)
            if tokens < 1.0:
                self._buckets[key] = (tokens, now)
                return False
            self._buckets[key] = (tokens - 1.0, now)
            return True

    def reset(self) -> None:
        """Refill every bucket."""
        with self._lock:
            self._buckets.clear()
