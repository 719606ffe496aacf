"""The shared rate limiter: burst then steady pace, hold after a 503, thread safety (with a frozen clock)."""

from __future__ import annotations

import threading

import pytest

from providers.v1.client.support import FakeTime
from vultr_state.providers.v1.client import RateLimiter


def starts_of(limiter: RateLimiter, fake: FakeTime, count: int) -> list[float]:
    """Start time of each of ``count`` sequential acquisitions."""
    starts = []
    for _ in range(count):
        limiter.acquire()
        starts.append(fake.clock())
    return starts


def max_in_window(starts: list[float], window: float) -> int:
    ordered = sorted(starts)
    return max(sum(1 for t in ordered if s <= t < s + window) for s in ordered)


def test_burst_then_steady_rate():
    fake = FakeTime(0.0)
    limiter = RateLimiter(2.0, 3, clock=fake.clock, sleep=fake.sleep)
    starts = starts_of(limiter, fake, 7)
    assert starts == pytest.approx([0.0, 0.0, 0.0, 0.5, 1.0, 1.5, 2.0])


def test_idle_time_refills_the_burst_but_not_beyond_it():
    fake = FakeTime(0.0)
    limiter = RateLimiter(2.0, 2, clock=fake.clock, sleep=fake.sleep)
    starts_of(limiter, fake, 2)
    fake.now += 100.0
    assert starts_of(limiter, fake, 3) == pytest.approx([100.0, 100.0, 100.5])


def test_hold_pauses_everyone_then_resumes_at_the_rate():
    fake = FakeTime(0.0)
    limiter = RateLimiter(2.0, 3, clock=fake.clock, sleep=fake.sleep)
    limiter.hold(5.0)
    assert starts_of(limiter, fake, 3) == pytest.approx([5.0, 5.5, 6.0])


def test_zero_rate_is_unlimited():
    fake = FakeTime(0.0)
    limiter = RateLimiter(0.0, 1, clock=fake.clock, sleep=fake.sleep)
    limiter.hold(10.0)
    assert starts_of(limiter, fake, 50) == [0.0] * 50 and fake.sleeps == []


def test_parallel_callers_never_exceed_the_rate():
    """40 threads with a frozen clock: each reserves a slot; the slots respect burst + rate x window."""
    now = 0.0
    limiter = RateLimiter(2.0, 2, clock=lambda: now, sleep=lambda _s: None)
    slots: list[float] = []
    lock = threading.Lock()
    barrier = threading.Barrier(40)

    def worker() -> None:
        barrier.wait()
        wait = limiter.reserve()
        with lock:
            slots.append(now + wait)

    threads = [threading.Thread(target=worker) for _ in range(40)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert len(slots) == 40
    for window in (0.5, 1.0, 5.0):
        assert max_in_window(slots, window) <= 2 + 2.0 * window
    assert max(slots) == pytest.approx((40 - 2) * 0.5)


@pytest.mark.parametrize("rate, burst", [(-1.0, 1), (1.0, 0)])
def test_invalid_arguments(rate, burst):
    with pytest.raises(ValueError):
        RateLimiter(rate, burst)
