"""Reading and writing the ownership registry during an apply, and its advisory lock, over the
provider's ``BlobStore`` (``vultr_state.providers.base``).

Called by ``executor.runner``:

1. ``acquire`` (intent): re-read the registry, refuse if another apply holds an unexpired lock, then write
   it back with our lock and a pending entry for every create about to be sent (older pending entries
   kept); wait ``settle`` seconds and read it again to confirm the lock is ours (neither API has
   compare-and-swap, so the last writer wins and the loser notices on this re-read).
2. ``renew`` while the apply runs (the runner calls it at step boundaries and while it waits, once a third
   of ``lock_ttl`` has passed since the last write): re-read, check the lock is still ours, push its
   expiry forward. A lost lock raises ``LockError``.
3. ``release`` (result): re-read and check this apply still holds the lock; only then write owned ids,
   protect flags and create digests, pending entries cleared (except creates whose outcome stayed
   unknown), lock released. If another apply took the lock meanwhile nothing is written (``LockError``);
   a registry left owning nothing (after ``destroy``) is deleted instead.

Limits of the protection (also in the README): the lock is advisory and only applies to vultr-state
applies of the same project. Two applies that both read "no lock" and both write within ``settle``
seconds of each other are told apart by the re-read; an apply that is much slower than that between its
read and its write could still interleave. A lock is taken over only once it has expired (a crashed
apply's lock expires ``lock_ttl`` seconds after its last renewal) or with ``--force-unlock`` - never on a
guess from a host name or process id (containers share host names and reuse pids). The holder recorded
in the account is a random token: nothing about the machine or user is kept where every API key of the
account can read it.
"""

from __future__ import annotations

import logging
import secrets
from collections.abc import Callable, Iterable
from dataclasses import replace
from typing import TYPE_CHECKING

from vultr_state.errors import ApiOutcomeUnknown, LockError, ObjectGone, PlanError, StalePlanError
from vultr_state.model.live import id_order
from vultr_state.model.registry import PendingCreate, Registry, RegistryLock
from vultr_state.registry.codec import PREFIX, decode_registry, encode_registry, registry_script_name
from vultr_state.registry.digests import registry_state_digest
from vultr_state.registry.ownership import with_lock, with_pending

if TYPE_CHECKING:  # the interface only: the registry never depends on a provider's code
    from vultr_state.providers.base import BlobStore

log = logging.getLogger(__name__)

DEFAULT_LOCK_TTL = 600.0  # renewed every third of it while the apply runs
DEFAULT_SETTLE = 1.0


def make_holder() -> str:
    """A lock holder name unique to one apply: ``apply-`` and a random token (no host, user or pid)."""
    return f"apply-{secrets.token_hex(6)}"


class RegistryStore:
    """The registry of one project in the account, as seen by one apply.

    Args:
        blobs: The provider's blob store.
        project: The manifest's project.
        holder: This apply's lock holder name (see ``make_holder``).
        clock: Wall clock in epoch seconds (lock expiry).
        sleep: Sleep function (the settle pause).
        lock_ttl: Seconds until our lock expires if we never release it (a crash).
        settle: Seconds to wait between writing the lock and reading it back.
        api: The API of ``blobs`` (``"v1"``, ``"v2"``): recorded in the registry, and a registry written
            through the other API is refused; "" accepts any and records nothing new.
    """

    def __init__(
        self,
        blobs: BlobStore,
        project: str,
        holder: str,
        *,
        clock: Callable[[], float],
        sleep: Callable[[float], None],
        lock_ttl: float = DEFAULT_LOCK_TTL,
        settle: float = DEFAULT_SETTLE,
        api: str = "",
    ):
        self._blobs = blobs
        self.api = api
        self.project = project
        self.holder = holder
        self._clock = clock
        self._sleep = sleep
        self._ttl = lock_ttl
        self._settle = settle
        self._created: set[str] = set()  # registry scripts this store created (the race tie-break)

    def _scripts(self) -> list[tuple[str, str, str]]:
        """(id, name, body) of every registry record in the account (one list call)."""
        return [(b.id, b.name, b.body) for b in self._blobs.list(PREFIX)]

    def read(self) -> Registry:
        """The registry as it is in the account now (one list call)."""
        return decode_registry(self.project, self._scripts(), api=self.api)

    def _settle_duplicates(
        self, scripts: list[tuple[str, str, str]], written: tuple[str, ...]
    ) -> list[tuple[str, str, str]]:
        """Break the tie when two applies created the registry at the same moment.

        Both created a script with the same name. The one whose lock was taken first (earliest expiry;
        then the lowest id) wins: the loser deletes its script and backs off, the winner deletes the other
        (whichever runs first; a second delete of the same script is harmless). Lock time, not id, comes
        first because v2 ids are random: an apply that confirmed its lock before the other's script
        appeared must stay the winner. Only scripts this store created count as ours: a script it updated is
        the registry itself, never deleted here (a same-name script that shows up beside it is a lost
        intent of an earlier apply, which the codec reads past and the next write removes).

        Raises:
            LockError: we lost.
        """
        names = {registry_script_name(self.project, i) for i in range(len(written))}
        mine = tuple(i for i in written if i in self._created)
        kept = list(scripts)
        for name in sorted(names):
            same = sorted((e for e in scripts if e[1] == name), key=self._taken_first)
            ours = [e for e in same if e[0] in mine]
            if len(same) < 2 or not ours:
                continue
            winner, losers = same[0], same[1:]
            if winner[0] not in mine:
                for entry in ours:
                    self._delete(entry[0])
                raise LockError(_race_message(self.project, "another apply"))
            for entry in losers:
                self._delete(entry[0])
                kept.remove(entry)
        return kept

    def _taken_first(self, entry: tuple[str, str, str]) -> tuple[float, tuple[int, int, str]]:
        try:
            lock = (
                decode_registry(self.project, [entry]).lock
                if entry[1] == registry_script_name(self.project)
                else None
            )
        except PlanError:
            lock = None
        return (lock.expires_at if lock is not None else float("inf"), id_order(entry[0]))

    def acquire(
        self,
        pending: tuple[PendingCreate, ...],
        *,
        expected_digest: str = "",
        force_unlock: bool = False,
    ) -> Registry:
        """Take the lock and record the pending creates (the intent write).

        Args:
            pending: The creates about to be sent.
            expected_digest: ``registry_state_digest`` of the registry the plan was made against; when
                given and the registry now records something else (another apply ran since the plan was
                made), the plan is refused before anything is written.
            force_unlock: Take the lock even from a live, unexpired holder.

        Returns:
            The registry as written (with the script ids that hold it).

        Raises:
            LockError: another apply holds the lock, or took it at the same moment.
            StalePlanError: the registry changed since the plan was made.
        """
        current = self.read()
        now = self._clock()
        lock = current.lock
        if lock is not None and lock.holder != self.holder and lock.expires_at > now:
            if not force_unlock:
                raise LockError(_held_message(self.project, lock, now))
            log.warning("apply: --force-unlock: taking over the registry lock of %s", lock.holder)
        if expected_digest and registry_state_digest(current) != expected_digest:
            raise StalePlanError(
                f"the registry of project {self.project!r} changed since this plan was made (another "
                "apply ran in between); nothing was changed. Run plan and apply again."
            )
        intent = with_lock(with_pending(current, pending), self.holder, now + self._ttl)
        written = self.write(intent)
        self._sleep(self._settle)
        scripts = self._settle_duplicates(self._scripts(), written.script_ids)
        confirmed = decode_registry(self.project, scripts, api=self.api)
        if confirmed.lock is None or confirmed.lock.holder != self.holder:
            raise LockError(
                _race_message(self.project, confirmed.lock.holder if confirmed.lock else "nobody")
            )
        return replace(written, script_ids=confirmed.script_ids)

    def write(self, registry: Registry) -> Registry:
        """Write ``registry`` to its script(s): update existing parts, create missing ones, delete extras.

        A registry that owns nothing, waits for no create and holds no lock (what ``destroy`` leaves) is
        no registry at all: its scripts are deleted rather than left behind empty.

        Returns:
            ``registry`` with the ids of the scripts now holding it.
        """
        ids = list(registry.script_ids)
        if not registry.owned and not registry.pending and registry.lock is None:
            for script_id in ids:
                self._delete(script_id)
            return replace(registry, script_ids=())
        bodies = encode_registry(registry)
        new_ids: list[str] = []
        # Overflow parts first and part 0 last, so that part 0 never announces parts not yet written.
        for index in reversed(range(len(bodies))):
            name = registry_script_name(self.project, index)
            if index < len(ids):
                self._blobs.update(ids[index], name, bodies[index])
                new_ids.append(ids[index])
            else:
                new_ids.append(self._create(name, bodies[index], ids))
        for extra in ids[len(bodies) :]:
            self._delete(extra)
        return replace(registry, script_ids=tuple(reversed(new_ids)))

    def _create(self, name: str, body: str, known: Iterable[str]) -> str:
        """Create a registry part once: after a lost answer, a new record with that name (not in
        ``known``) that the listing shows is taken as the result; when none shows, the write fails
        without sending the create again (the next apply finds the part if it appears).

        Raises:
            ApiOutcomeUnknown: the answer was lost and nothing shows yet.
        """
        known_ids = frozenset(known)
        try:
            created = self._blobs.create(name, body)
            self._created.add(created)
            return created
        except ApiOutcomeUnknown as exc:
            log.warning("apply: registry part %s: create outcome unknown (%s); looking", name, exc)
            cause = exc
        found = sorted(
            (b.id for b in self._blobs.list(name) if b.name == name and b.id not in known_ids), key=id_order
        )
        if found:
            self._created.add(found[0])
            return found[0]
        raise cause

    def renew(self) -> Registry:
        """Push our lock's expiry ``lock_ttl`` seconds past now (the apply is still running).

        Re-reads the registry first: when the lock is no longer ours (another apply took it over with
        ``--force-unlock``, or after it expired), nothing is written.

        Returns:
            The registry as written now.

        Raises:
            LockError: the lock is no longer ours.
        """
        return self.write(with_lock(self._ours_now(), self.holder, self._clock() + self._ttl))

    def release(self, registry: Registry) -> Registry:
        """The result write: re-read, check this apply still holds the lock, then write ``registry``
        (whose lock is already released), each owned startup script whose body digest is recorded
        without a date given the ``date_modified`` that re-read listed (after every write of this
        apply: the date the next plan will see while nobody edits the script).

        Raises:
            LockError: another apply holds the lock now (or nobody does): nothing was written.
        """
        current = self._ours_now()
        dates = self._blobs.modified_dates()
        owned = tuple(
            replace(o, modified=dates.get(o.id, ""))
            if o.kind == "startup_script" and o.body_digest and not o.modified
            else o
            for o in registry.owned
        )
        return self.write(replace(registry, owned=owned, script_ids=current.script_ids, api=current.api))

    def _ours_now(self) -> Registry:
        """The registry as it is now, provided this apply still holds its lock.

        Raises:
            LockError: it does not.
        """
        current = self.read()
        lock = current.lock
        if lock is None or lock.holder != self.holder:
            other = f"held by {lock.holder}" if lock is not None else "released by someone else"
            raise LockError(
                f"this apply no longer holds the registry lock of project {self.project!r} (it is now "
                f"{other}, e.g. taken over with --force-unlock or after it expired)"
            )
        return current

    def _delete(self, blob_id: str) -> None:
        try:
            self._blobs.delete(blob_id)
        except ObjectGone:
            log.debug("apply: registry record %s was already gone", blob_id)


def _race_message(project: str, other: str) -> str:
    return (
        f"another apply of project {project!r} ({other}) took the registry lock at the same moment; nothing "
        "was changed. Wait for it to finish, then run plan and apply again."
    )


def _held_message(project: str, lock: RegistryLock, now: float) -> str:
    minutes = max(1, round((lock.expires_at - now) / 60))
    return (
        f"another apply of project {project!r} is running (lock held by {lock.holder}, expires in about "
        f"{minutes} min). Wait for it to finish; if it crashed, wait for the lock to expire or rerun "
        "with --force-unlock."
    )
