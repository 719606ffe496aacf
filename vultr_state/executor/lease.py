"""Keeping the registry lock for as long as an apply runs.

Built by ``executor.runner`` after the intent write and ticked by the scheduler's loop (between steps) and
after every pause of the waiter's polling (while servers and snapshots are waited for), on the apply's own
clock, so tests with a fake clock renew on fake time. Once a third of the lock's lifetime has passed since
the last write, ``tick`` renews it through ``RegistryStore.renew``. A renewal that finds the lock taken
over stops the apply: no new step starts, and the final registry write is refused by
``RegistryStore.release`` too. A renewal that fails for another reason (the API is briefly unavailable) is
tried again a minute later, well within the lock's remaining lifetime.
"""

from __future__ import annotations

import logging
import threading
from collections.abc import Callable

from vultr_state.errors import LockError, VultrStateError
from vultr_state.registry.store import RegistryStore

log = logging.getLogger(__name__)

RETRY_AFTER = 60.0  # seconds before a failed renewal is tried again


class LockLease:
    """The apply's hold on the registry lock.

    Args:
        store: The registry store that took the lock.
        clock: The apply's clock (epoch seconds).
        ttl: The lock's lifetime; it is renewed every ``ttl / 3`` seconds.
    """

    def __init__(self, store: RegistryStore, clock: Callable[[], float], ttl: float):
        self._store = store
        self._clock = clock
        self._every = ttl / 3
        self._due = clock() + self._every
        self.renewals = 0
        self.lost: LockError | None = None
        self._busy = threading.Lock()

    def tick(self) -> bool:
        """Renew the lock when due. Returns False once the lock is lost (the apply must stop).

        Thread-safe: the scheduler's loop and the waiter's polling thread both tick; a tick that finds
        a renewal under way returns at once."""
        if self.lost is not None:
            return False
        if not self._busy.acquire(blocking=False):
            return True
        try:
            return self._tick()
        finally:
            self._busy.release()

    def _tick(self) -> bool:
        now = self._clock()
        if now < self._due:
            return True
        try:
            self._store.renew()
        except LockError as exc:
            log.error("apply: %s; stopping", exc)
            self.lost = exc
            return False
        except VultrStateError as exc:
            log.warning("apply: renewing the registry lock failed (%s); trying again shortly", exc)
            self._due = now + RETRY_AFTER
            return True
        self.renewals += 1
        self._due = self._clock() + self._every
        return True
