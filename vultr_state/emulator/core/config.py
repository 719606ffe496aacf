"""Configuration value objects of the emulator: ``EmulatorConfig``, ``FaultConfig`` and ``ManualClock``.

Built by callers of the public API (tests, fixtures, the ``emulator serve`` command) and read by both faces
and the core. Nothing here does I/O.
"""

from __future__ import annotations

import threading
import time
from collections.abc import Callable
from dataclasses import dataclass, field

DEFAULT_API_KEY = "EMULATOR-API-KEY"
DEFAULT_RATE_LIMIT = 2.0
DEFAULT_RATE_BURST = 3
DEFAULT_V2_RATE_LIMIT = 30.0
DEFAULT_V2_RATE_BURST = 30
DEFAULT_PROVISION_SECONDS = 5.0
DEFAULT_SNAPSHOT_SECONDS = 5.0


@dataclass(frozen=True, slots=True)
class FaultConfig:
    """Seeded, reproducible fault injection, applied to ``/v1/`` and ``/v2/`` API calls (one stream for both).

    Every API call draws the same number of values from one ``random.Random(seed)`` stream, so a given
    sequence of calls meets the same faults on every run.

    Attributes:
        seed: Seed of the random stream.
        latency_ms: Added delay before each API call is processed.
        latency_jitter_ms: Uniform extra delay in ``[0, latency_jitter_ms]`` on top of ``latency_ms``.
        error_500_rate: Share (0..1) of calls answered 500 before anything is processed.
        burst_503_every: Every this many API calls, a burst of throttle answers starts (0 = never): v1
            answers 503 with its rate-limit text, v2 answers 429 with its rate-limit body.
        burst_503_length: Consecutive throttle answers per burst (the last calls of each period).
        commit_drop_rate: Share of calls that are fully processed (mutation committed) but whose answer is
            never sent: the connection is closed without a response.
        drop_rate: Share of calls whose connection is closed before anything is processed.
        hide_lost_creates_seconds: Objects created by a call whose answer was dropped (commit-then-drop)
            stay invisible in lists and single reads for this many seconds (0 = visible at once), as a real
            service's lists can lag behind a create; any kind of object, on both faces.
    """

    seed: int = 0
    latency_ms: float = 0.0
    latency_jitter_ms: float = 0.0
    error_500_rate: float = 0.0
    burst_503_every: int = 0
    burst_503_length: int = 0
    commit_drop_rate: float = 0.0
    drop_rate: float = 0.0
    hide_lost_creates_seconds: float = 0.0

    @property
    def enabled(self) -> bool:
        """True when at least one kind of fault can happen."""
        return bool(
            self.latency_ms
            or self.latency_jitter_ms
            or self.error_500_rate
            or (self.burst_503_every and self.burst_503_length)
            or self.commit_drop_rate
            or self.drop_rate
        )


class ManualClock:
    """A clock for tests: time stands still until ``advance`` is called. Thread-safe.

    Args:
        start: Initial time in Unix seconds (default 2020-10-15 00:00:00 UTC).
    """

    def __init__(self, start: float = 1_602_720_000.0) -> None:
        self._now = start
        self._lock = threading.Lock()

    def __call__(self) -> float:
        with self._lock:
            return self._now

    def advance(self, seconds: float) -> None:
        """Move the clock forward by ``seconds``."""
        with self._lock:
            self._now += seconds

    def __repr__(self) -> str:
        return f"ManualClock({self()!r})"


@dataclass(frozen=True, slots=True)
class EmulatorConfig:
    """Everything that shapes an emulator instance.

    Attributes:
        api_keys: Keys accepted for authenticated endpoints of both APIs (all keys of a face share its
            account; the v1 and v2 faces hold separate accounts).
        rate_limit: v1: sustained requests per second allowed per API key; ``0`` disables limiting (and,
            unless ``v2_rate_limit`` is given, v2's as well).
        rate_burst: v1: requests a key may send at once before the sustained rate applies.
        v2_rate_limit: v2: requests per second per key; ``None`` means 30 (the real limit), or off when
            ``rate_limit`` is 0. ``0`` disables it.
        v2_rate_burst: v2: requests a key may send at once.
        provision_seconds: Time a new server stays ``pending``; ``server_state`` then spends half of it
            ``locked`` and half ``installingbooting`` before ``ok``. Reinstalls run the last two phases.
        snapshot_seconds: Time a snapshot stays ``pending`` before ``complete``.
        destroy_min_age_seconds: When > 0, destroying a younger server fails with the real
            "cannot be destroyed within 5 minutes" text (the real service used 300).
        refuse_destroy_when_locked: Destroying a server whose ``server_state`` is ``locked`` fails with the
            real "Server is currently locked" text.
        state_file: SQLite file holding the state (survives restarts); ``None`` keeps it in memory.
        seed: Seed for generated values (default passwords, KVM tokens, bandwidth figures).
        faults: Initial fault injection settings (changeable at run time via ``Emulator.faults``).
        clock: Returns the current time in Unix seconds (inject a ``ManualClock`` in tests).
        sleep: Blocks for the given seconds (used for injected latency; inject a fake in tests).
    """

    api_keys: tuple[str, ...] = (DEFAULT_API_KEY,)
    rate_limit: float = DEFAULT_RATE_LIMIT
    rate_burst: int = DEFAULT_RATE_BURST
    v2_rate_limit: float | None = None
    v2_rate_burst: int = DEFAULT_V2_RATE_BURST
    provision_seconds: float = DEFAULT_PROVISION_SECONDS
    snapshot_seconds: float = DEFAULT_SNAPSHOT_SECONDS
    destroy_min_age_seconds: float = 0.0
    refuse_destroy_when_locked: bool = False
    state_file: str | None = None
    seed: int = 0
    faults: FaultConfig = field(default_factory=FaultConfig)
    clock: Callable[[], float] = time.time
    sleep: Callable[[float], None] = time.sleep

    @property
    def effective_v2_rate_limit(self) -> float:
        """The v2 rate in force (see ``v2_rate_limit``)."""
        if self.v2_rate_limit is not None:
            return self.v2_rate_limit
        return 0.0 if self.rate_limit <= 0 else DEFAULT_V2_RATE_LIMIT

    def __repr__(self) -> str:
        # API keys are secrets: never show them.
        return (
            f"EmulatorConfig(api_keys=<{len(self.api_keys)} hidden>, rate_limit={self.rate_limit}, "
            f"rate_burst={self.rate_burst}, v2_rate_limit={self.effective_v2_rate_limit}, "
            f"provision_seconds={self.provision_seconds}, "
            f"snapshot_seconds={self.snapshot_seconds}, state_file={self.state_file!r})"
        )
