"""``V2Provider``: the Vultr v2 API behind the provider boundary.

Built by the CLI from its table of providers (``--api v2``, the default for a real account). One
instance holds one request pipeline (the v2 dialect over ``vultr_state.http``), so its reader,
operations and blob store share one rate limiter — v2's budget is 30 requests per second
(``DEFAULT_RATE_LIMIT``), and a 429 pauses every thread — and one request counter.
"""

from __future__ import annotations

import random
import time
from collections.abc import Callable
from typing import Any

from vultr_state.heap import cyclic_gc_paused
from vultr_state.http.pipeline import Pipeline
from vultr_state.http.ratelimit import RateLimiter
from vultr_state.http.settings import ClientSettings
from vultr_state.model.live import Live
from vultr_state.providers.base import ReadScope
from vultr_state.providers.v2.api import V2Api
from vultr_state.providers.v2.blobs import V2BlobStore
from vultr_state.providers.v2.capabilities import CAPABILITIES
from vultr_state.providers.v2.dialect import V2Dialect
from vultr_state.providers.v2.operations import V2Operations
from vultr_state.providers.v2.reader import read_live

DEFAULT_RATE_LIMIT = 30.0  # requests per second per source IP (reference section 5)


class V2Provider:
    """The v2 ``Provider``.

    Args:
        settings: Key, base URL (``https://api.vultr.com`` or an emulator's), rate.
        session: A ``requests.Session`` to send through (tests mount the emulator adapter), or None
            for a pooled one (only ``http/`` imports requests).
        rate_limiter: The limiter shared by every call; one built from ``settings`` when None.
        project: The project whose ownership tag new servers carry; taken from the first ``read`` when
            not given.
        max_attempts: Attempts per call, retries included.
        lock_wait_seconds: How long a call refused because the server is locked is retried.
        sleep: Sleep function (injectable: tests do not sleep).
        clock: Monotonic clock (injectable).
        rng: Random source of the backoff jitter (injectable).
    """

    def __init__(
        self,
        settings: ClientSettings,
        *,
        session: Any = None,
        rate_limiter: RateLimiter | None = None,
        project: str = "",
        max_attempts: int = 6,
        lock_wait_seconds: float = 600.0,
        sleep: Callable[[float], None] = time.sleep,
        clock: Callable[[], float] = time.monotonic,
        rng: random.Random | None = None,
    ):
        self.pipeline = Pipeline(
            V2Dialect(),
            settings,
            session=session,
            rate_limiter=rate_limiter,
            max_attempts=max_attempts,
            sleep=sleep,
            clock=clock,
            rng=rng,
        )
        self.api = V2Api(self.pipeline)
        self.capabilities = CAPABILITIES
        self.operations = V2Operations(
            self.api, project=project, lock_wait_seconds=lock_wait_seconds, sleep=sleep, clock=clock
        )
        self.blobs = V2BlobStore(self.api)

    def __repr__(self) -> str:
        return f"V2Provider(api_url={self.pipeline.settings.api_url!r}, calls={self.calls})"

    @cyclic_gc_paused()
    def read(self, scope: ReadScope) -> Live:
        """Everything a plan of ``scope`` needs (see ``reader``); remembers the project for creates."""
        if not self.operations.project:
            self.operations.project = scope.project
        return read_live(self.api, scope)

    @property
    def calls(self) -> int:
        """HTTP requests sent so far, retries included."""
        return self.pipeline.calls

    def close(self) -> None:
        """Release pooled connections."""
        self.pipeline.close()
