"""Shared state of one apply: the provider's operations, the waiter, and the names → ids resolved so far.

Built by ``executor.runner``; used by every step (``executor.steps``, ``executor.creates``) from worker
threads, so every method is thread-safe. Names are resolved to ids at apply time: from objects this
apply created or adopted, from ids the plan carried (``Action.live_id``), and as a last resort from one
list call per kind (cached for the rest of the apply), preferring the object the registry says is ours.
"""

from __future__ import annotations

import threading
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass
from typing import TYPE_CHECKING

from vultr_state.errors import PlanError
from vultr_state.executor.waiter import Waiter
from vultr_state.model.live import LiveServer, id_order
from vultr_state.model.plan import Action, ActionType, Kind, ReverseDnsSpec

if TYPE_CHECKING:  # the interface only: steps never see a provider's code
    from vultr_state.providers.base import Operations

# The kinds whose objects have ids the executor resolves names to.
ID_KINDS = (Kind.SSH_KEY, Kind.STARTUP_SCRIPT, Kind.SERVER, Kind.SNAPSHOT)

_KEEPS_LIVE_ID = {ActionType.UPDATE, ActionType.REINSTALL, ActionType.ADOPT}


@dataclass(frozen=True, slots=True)
class Timing:
    """Time sources and limits of one apply."""

    clock: Callable[[], float]
    sleep: Callable[[float], None]
    wait_timeout: float


class ApplyContext:
    """Everything the steps share during one apply.

    Args:
        ops: The provider's operations (every call goes through its shared rate limiter).
        waiter: The shared poller for servers and snapshots.
        timing: Clock, sleep and wait timeout.
    """

    def __init__(
        self, ops: Operations, waiter: Waiter, timing: Timing, *, project: str = "", owner_tags: bool = False
    ):
        self.ops = ops
        self.waiter = waiter
        self.timing = timing
        self.project = project
        self._owner_tags = owner_tags
        self._known_before: dict[tuple[Kind, str], frozenset[str]] = {}
        self._owned: dict[str, frozenset[str]] = {}
        self._lock = threading.Lock()
        self._ids: dict[tuple[Kind, str], str] = {}
        self._listings: dict[Kind, dict[str, str]] = {}
        self._list_locks = {kind: threading.Lock() for kind in ID_KINDS}
        self._servers: dict[str, LiveServer] = {}
        self._latest: dict[str, LiveServer] = {}  # the last server listing, as listed
        self._unresolved: set[tuple[str, str]] = set()

    def set_owned(self, owned_ids: Mapping[str, frozenset[str]]) -> None:
        """Per kind, the ids the registry says the project owns (they win name ties in ``resolve``)."""
        with self._lock:
            self._owned = dict(owned_ids)

    def seed(self, actions: Iterable[Action]) -> None:
        """Record the live ids the plan already knows: objects updated, reinstalled or adopted, and the
        servers of reverse-DNS actions (unless this apply creates or replaces that server)."""
        actions = list(actions)
        new_servers = {
            a.name
            for a in actions
            if a.kind is Kind.SERVER and a.type in (ActionType.CREATE, ActionType.REPLACE)
        }
        for action in actions:
            if action.live_id and action.type in _KEEPS_LIVE_ID and action.kind in ID_KINDS:
                self.record(action.kind, action.name, action.live_id)
            elif (
                action.kind is Kind.REVERSE_DNS
                and action.live_id
                and isinstance(action.spec, ReverseDnsSpec)
                and action.spec.server not in new_servers
            ):
                self.record(Kind.SERVER, action.spec.server, action.live_id)

    def record(self, kind: Kind, name: str, object_id: str) -> None:
        """Remember that ``name`` of ``kind`` is ``object_id`` from now on."""
        with self._lock:
            self._ids[(kind, name)] = object_id

    def look_before_creating(self, actions: Iterable[Action]) -> dict[tuple[str, str], tuple[str, ...]]:
        """List each kind this apply creates (one call per kind, before anything is sent) and remember,
        per create, the same-identity objects already there: a stranger's, another project's, the one a
        replace destroys. None of them is ever taken as the result of a lost create.

        Returns:
            ``(kind, name) -> ids`` for every create and replace of an ownable kind (for the pending
            entries of the intent write).
        """
        creates = [
            a for a in actions if a.type in (ActionType.CREATE, ActionType.REPLACE) and a.kind in ID_KINDS
        ]
        known: dict[tuple[str, str], tuple[str, ...]] = {}
        for kind in [k for k in ID_KINDS if any(a.kind is k for a in creates)]:
            listing = self.listing(kind, fresh=True)
            for action in (a for a in creates if a.kind is kind):
                ids = {oid for oid, identity in listing.items() if identity == action.name}
                if action.type is ActionType.REPLACE and action.live_id:
                    ids.add(action.live_id)
                frozen = frozenset(ids)
                with self._lock:
                    self._known_before[(kind, action.name)] = frozen
                known[(kind.value, action.name)] = tuple(sorted(frozen, key=id_order))
        return known

    def known_before(self, kind: Kind, name: str) -> frozenset[str]:
        """The ids of ``kind`` named ``name`` listed before this apply sent anything."""
        with self._lock:
            return self._known_before.get((kind, name), frozenset())

    def tag_confirms(self, server_id: str) -> bool:
        """Whether the latest listing of ``server_id`` may be this project's lost create: on an API that
        tags owned servers (v2) it must carry this project's owner tag (a hint, never the authority);
        elsewhere any server qualifies."""
        if not self._owner_tags:
            return True
        with self._lock:
            server = self._latest.get(server_id)
        return server is not None and self.project in server.owners

    def mark_unresolved(self, kind: Kind, name: str) -> None:
        """Note that a create of ``kind``/``name`` may have happened without us learning its id."""
        with self._lock:
            self._unresolved.add((kind.value, name))

    @property
    def unresolved(self) -> frozenset[tuple[str, str]]:
        """(kind, name) of creates whose outcome stayed unknown: their pending entries must be kept."""
        with self._lock:
            return frozenset(self._unresolved)

    def resolve(self, kind: Kind, name: str) -> str:
        """The id of the object of ``kind`` called ``name``.

        Raises:
            PlanError: no such object exists, or several do and none is owned by the project.
        """
        with self._lock:
            known = self._ids.get((kind, name))
        if known is not None:
            return known
        listing = self.listing(kind)
        matches = sorted(oid for oid, identity in listing.items() if identity == name)
        owned = [oid for oid in matches if oid in self._owned.get(kind.value, frozenset())]
        if len(owned) == 1 or len(matches) == 1:
            found = owned[0] if len(owned) == 1 else matches[0]
            self.record(kind, name, found)
            return found
        if not matches:
            raise PlanError(f"no {kind.value.replace('_', ' ')} named {name!r} exists in the account")
        raise PlanError(
            f"several {kind.value.replace('_', ' ')}s are named {name!r} ({', '.join(matches)}) and none "
            "is owned by this project"
        )

    def listing(self, kind: Kind, *, fresh: bool = False) -> dict[str, str]:
        """``id -> identity`` of the account's objects of ``kind`` (one list call, cached unless
        ``fresh``)."""
        with self._list_locks[kind]:
            if fresh or kind not in self._listings:
                if kind is Kind.SERVER:
                    servers = self.ops.list_servers()
                    self.remember_servers(servers)
                    with self._lock:
                        self._latest = {s.id: s for s in servers}
                    self._listings[kind] = {s.id: s.label for s in servers}
                else:
                    self._listings[kind] = dict(self.ops.list_names(kind))
            return self._listings[kind]

    def remember_servers(self, servers: Iterable[LiveServer]) -> None:
        """Keep the latest listed record of these servers (addresses for reverse DNS)."""
        with self._lock:
            for server in servers:
                self._servers[server.id] = server

    def server_record(self, server_id: str) -> LiveServer:
        """The latest listed record of server ``server_id`` (lists servers once if none is known yet).

        Raises:
            PlanError: the server is not in the account.
        """
        with self._lock:
            known = self._servers.get(server_id)
        if known is None:
            self.listing(Kind.SERVER)
            with self._lock:
                known = self._latest.get(server_id)
        if known is None:
            raise PlanError(f"server {server_id} is not in the account")
        return known

    def relisted_server(self, server_id: str) -> LiveServer | None:
        """Server ``server_id`` as a fresh ``list_servers`` shows it (None when it is not listed): how a
        step looks before repeating an action whose answer was lost."""
        self.listing(Kind.SERVER, fresh=True)
        with self._lock:
            return self._latest.get(server_id)
