"""The apply lock holds for as long as the apply runs (issue 12), on both APIs, with the executor
against the in-process emulator on a manual clock.

A server wait far longer than the lock's lifetime keeps the lock renewed (no moment of fake time at
which it has lapsed); a lock taken over while the apply runs stops it, and its final registry write
writes nothing and says what the apply did; a holder is never taken over on a host/pid guess.
"""

from __future__ import annotations

import itertools

import pytest
from executor.support import APIS, make_world, plan_of, server_create

from vultr_state.errors import ApplyError, LockError
from vultr_state.model.registry import Registry, RegistryLock
from vultr_state.registry import decode_registry, encode_registry, registry_script_name

TTL = 600.0


class WatchedBlobs:
    """The provider's blob store, noting the registry lock at every write (and, once, letting
    ``intrude`` act when the apply first lists the registry after ``after`` fake seconds)."""

    def __init__(self, blobs, clock, project="web"):
        self.blobs, self.clock, self.project = blobs, clock, project
        self.locks: list[tuple[float, RegistryLock | None]] = []
        self.intrude = None
        self.after = float("inf")

    def list(self, prefix):
        if self.intrude is not None and self.clock() >= self.after:
            intrude, self.intrude = self.intrude, None
            intrude(self.blobs)
        return self.blobs.list(prefix)

    def _note(self, name, body):
        if name == registry_script_name(self.project):
            self.locks.append((self.clock(), decode_registry(self.project, [("x", name, body)]).lock))

    def create(self, name, body):
        self._note(name, body)
        return self.blobs.create(name, body)

    def update(self, blob_id, name, body):
        self._note(name, body)
        self.blobs.update(blob_id, name, body)

    def delete(self, blob_id):
        self.blobs.delete(blob_id)

    def __getattr__(self, name):  # everything else as the provider's store does it
        return getattr(self.blobs, name)


@pytest.fixture(params=("v1", "v2"))
def world(request):
    world = make_world(provision_seconds=3 * 3600.0, api=APIS[request.param])  # a 3-hour server wait
    world.provider.blobs = WatchedBlobs(world.provider.blobs, world.clock)
    return world


def test_a_long_wait_keeps_the_lock_renewed(world):
    start = world.clock()
    result = world.apply(plan_of(server_create("web-1", api=world.api)), lock_ttl=TTL, wait_timeout=4 * 3600)
    assert result.ok
    locks = world.provider.blobs.locks
    held = [(at, lock) for at, lock in locks if lock is not None]
    assert len(held) >= (3 * 3600) // TTL  # renewed all along, not once
    # At every moment of the apply some written lock was still in force.
    for (at, lock), (next_at, _next) in itertools.pairwise(held):
        assert lock.expires_at > next_at, (at, next_at)
    assert held[-1][1].expires_at > locks[-1][0] and locks[-1][1] is None  # released at the end
    assert world.clock() - start >= 3 * 3600


def test_a_lock_taken_over_midway_stops_the_apply_and_writes_nothing(world):
    blobs = world.provider.blobs

    def take_over(inner):
        (script,) = [b for b in inner.list("vultr-state:") if b.name == registry_script_name("web")]
        other = Registry("web", lock=RegistryLock("apply-other", world.clock() + TTL))
        inner.update(script.id, script.name, encode_registry(other)[0])

    blobs.intrude, blobs.after = take_over, world.clock() + TTL  # after the first renewal is due
    with pytest.raises(ApplyError) as caught:
        world.apply(
            plan_of(
                server_create("web-1", api=world.api),
                server_create("web-2", api=world.api, depends_on=("server:web-1",)),
            ),
            lock_ttl=TTL,
            wait_timeout=4 * 3600,
            parallelism=1,
        )
    message = str(caught.value)
    assert "no longer holds the registry lock" in message and "held by apply-other" in message
    assert "the registry was NOT written" in message and "What it did:" in message
    registry = decode_registry("web", [(b.id, b.name, b.body) for b in blobs.blobs.list("vultr-state:")])
    assert registry.lock is not None and registry.lock.holder == "apply-other"  # theirs, untouched
    assert registry.owned == ()
    assert world.labels() == ["web-1"]  # web-2 was never started once the lock was lost


def test_an_unexpired_lock_is_refused_whoever_holds_it(world):
    world.provider.blobs.create(
        registry_script_name("web"),
        encode_registry(Registry("web", lock=RegistryLock("apply-elsewhere", world.clock() + 60)))[0],
    )
    with pytest.raises(LockError, match="lock held by apply-elsewhere"):
        world.apply(plan_of(server_create("web-1", api=world.api)))
    world.clock.advance(61)  # expired: taken over without any flag
    assert world.apply(plan_of(server_create("web-1", api=world.api)), wait_timeout=4 * 3600).ok
