"""What each face of the emulator (``emulator/v1``, ``emulator/v2``) is built from.

``Backend`` is the account state and the fixed inputs every handler of a face works with (the store, the
face's own catalog type, the config). ``ApiFace`` is the base of ``V1Api`` and ``V2Api``: it holds the
backend, the face's own rate limiter, and the fault gate and per-path call counts the two faces share;
each face adds its request handling (``handle``) and its inspection helpers for tests.
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass
from typing import Generic, TypeVar

from vultr_state.emulator.core.config import EmulatorConfig
from vultr_state.emulator.core.faults import FaultGate
from vultr_state.emulator.core.ratelimit import RateLimiter
from vultr_state.emulator.core.store import Store

CatalogT = TypeVar("CatalogT")


@dataclass(frozen=True)  # not slots: a slotted generic dataclass cannot be built through Backend[X]
class Backend(Generic[CatalogT]):
    """The account state and the fixed inputs every handler works with."""

    store: Store
    catalog: CatalogT
    config: EmulatorConfig


class ApiFace(Generic[CatalogT]):
    """One emulated API over its account.

    Args:
        backend: Its state, catalog and config.
        limiter: Its own request budget (v1 and v2 limit separately).
        faults: The fault gate shared with the other face.
        call_counts: Calls per path, shared with the other face.
    """

    def __init__(
        self,
        backend: Backend[CatalogT],
        limiter: RateLimiter,
        faults: FaultGate,
        call_counts: Counter[str],
    ) -> None:
        self.backend = backend
        self.limiter = limiter
        self._faults = faults
        self._call_counts = call_counts

    @property
    def config(self) -> EmulatorConfig:
        """The face's behaviour settings (its backend's)."""
        return self.backend.config

    def reset(self) -> None:
        """Refill the rate-limit buckets (the store is reset by the owner)."""
        self.limiter.reset()
