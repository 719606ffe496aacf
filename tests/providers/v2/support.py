"""Support of the v2 provider's integration tests: an ``Account`` (a v2 emulator served over real HTTP
on an ephemeral 127.0.0.1 port) that builds ``V2Provider``s pointed at it which never sleep for real.

``FakeTime`` is the provider's clock and sleep: a sleep records its length and moves both the
provider's clock and the emulator's ``ManualClock`` on, so a wait for a locked server to unlock or a
429 back-off takes no wall time and the emulator sees the time pass.
"""

from __future__ import annotations

import random
from dataclasses import dataclass, field

from vultr_state.emulator import DEFAULT_API_KEY, Emulator, ManualClock
from vultr_state.http.settings import ClientSettings
from vultr_state.providers.v2.provider import V2Provider

PROVISION_SECONDS = 10.0


@dataclass
class FakeTime:
    """Monotonic clock and sleep for the provider; sleeping advances the emulator's clock too."""

    emulator_clock: ManualClock
    now: float = 1000.0
    slept: list[float] = field(default_factory=list)

    def clock(self) -> float:
        return self.now

    def sleep(self, seconds: float) -> None:
        self.slept.append(seconds)
        self.now += seconds
        self.emulator_clock.advance(seconds)


@dataclass
class Account:
    """A v2 emulator served over HTTP, and the handles a test needs."""

    emulator: Emulator
    clock: ManualClock
    url: str
    time: FakeTime

    def provider(self, **options: object) -> V2Provider:
        """A provider on this account (no client-side rate limit: the tests count calls instead)."""
        settings = ClientSettings(api_key=DEFAULT_API_KEY, api_url=self.url, rate_limit=0)
        made = V2Provider(
            settings,
            sleep=self.time.sleep,
            clock=self.time.clock,
            rng=random.Random(7),
            **options,  # type: ignore[arg-type]
        )
        self._made.append(made)
        return made

    def provision(self) -> None:
        """Let every pending server become active and ``ok`` (pending, then locked and booting for as
        long again)."""
        self.clock.advance(2 * PROVISION_SECONDS + 1)

    _made: list[V2Provider] = field(default_factory=list)

    def close(self) -> None:
        for made in self._made:
            made.close()
