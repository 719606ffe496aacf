"""What the registry must say before and after an apply: pure functions, no I/O.

Called by ``executor.runner``: ``intent_pending`` lists the creates about to be sent (the registry store
adds them to its older pending entries in the intent write); ``result_registry`` folds the action results
into the registry (the result write). An object that exists because of this apply is recorded as owned even
when its action failed later (a server created but not yet active when the apply stopped), so nothing the
apply made is ever left unowned.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import replace

from vultr_state.executor.result import ActionResult, Status
from vultr_state.model.plan import (
    Action,
    ActionType,
    ChangeClass,
    Kind,
    ReverseDnsSpec,
    ServerSpec,
    StartupScriptSpec,
)
from vultr_state.model.registry import (
    PENDING_CREATE_WINDOW,
    OwnedObject,
    PendingCreate,
    RecordedReverseDns,
    Registry,
)
from vultr_state.registry import with_owned, without_lock, without_owned
from vultr_state.registry.digests import secret_digest

_CREATING = {ActionType.CREATE, ActionType.REPLACE}
_REMOVING = {ActionType.DESTROY, ActionType.PRUNE}
_OWNABLE = {Kind.SSH_KEY, Kind.STARTUP_SCRIPT, Kind.SERVER, Kind.SNAPSHOT}
_DIGESTED = {"ssh_keys", "startup_script", "snapshot"}  # create-time fields that name other objects


def intent_pending(
    actions: Iterable[Action], now: float, known: Mapping[tuple[str, str], tuple[str, ...]] | None = None
) -> tuple[PendingCreate, ...]:
    """One pending entry per create (and replace) of an ownable kind.

    ``known`` maps ``(kind, name)`` to the ids of same-identity objects listed before the create is sent
    (``ApplyContext.look_before_creating``; for a replace it includes the object being replaced): the
    next plan never adopts one of them as the lost create.
    """
    known = known or {}
    return tuple(
        PendingCreate(
            kind=a.kind.value, name=a.name, started_at=now, known_ids=known.get((a.kind.value, a.name), ())
        )
        for a in actions
        if a.type in _CREATING and a.kind in _OWNABLE
    )


def _digest(action: Action, fallback: str = "") -> str:
    spec = action.spec
    return spec.create_digest if isinstance(spec, ServerSpec) and spec.create_digest else fallback


def _with_body(obj: OwnedObject, action: Action) -> OwnedObject:
    """A startup script's entry with the digest of the body it has now (the manifest's: this apply wrote
    it, or found it equal); its ``modified`` date is left for the registry store to take from the list
    it reads before the result write. Entries of other kinds, and adoptions that still change the body,
    are returned as they are."""
    spec = action.spec
    if not isinstance(spec, StartupScriptSpec) or (
        action.type is ActionType.ADOPT and any(c.field == "script" for c in action.changes)
    ):
        return obj
    return replace(obj, body_digest=secret_digest(spec.script) or "", modified="")


def result_registry(
    base: Registry,
    results: Iterable[ActionResult],
    unresolved: frozenset[tuple[str, str]],
    forget: Iterable[tuple[str, str]] = (),
    now: float | None = None,
    kept_reverse_dns: Iterable[tuple[str, ReverseDnsSpec]] = (),
) -> Registry:
    """The registry after an apply.

    Args:
        base: The registry as written by the intent write.
        results: Every action's result.
        unresolved: (kind, name) of creates whose outcome stayed unknown; their pending entries stay so
            the next plan can adopt the object if it appears. Pending entries of earlier applies stay
            too, unless this apply adopted their object or sent their create again, or they are older
            than ``PENDING_CREATE_WINDOW`` at ``now`` (past it, a plan creates again anyway).
        forget: (kind, id) of owned objects the plan found gone from the account (destroyed behind
            vultr-state's back, or by an apply that died before recording it); v1 never reuses ids.
        kept_reverse_dns: (server id, names) of managed reverse DNS the plan found already set; with
            the names each done reverse-DNS action set, recorded for ``plan --no-refresh``.

    Returns:
        The new registry, lock released.
    """
    reg = base
    for kind, object_id in forget:
        reg = without_owned(reg, kind, [object_id])
    for result in results:
        action = result.action
        if action.kind not in _OWNABLE or result.status is Status.NOT_STARTED:
            continue
        kind = action.kind.value
        done = result.status is Status.DONE
        if action.type in _CREATING and result.object_id:
            if action.type is ActionType.REPLACE and action.live_id:
                reg = without_owned(reg, kind, [action.live_id])
            created = OwnedObject(kind, result.object_id, action.name, action.protect, _digest(action))
            reg = with_owned(reg, [_with_body(created, action)])
        elif action.type in _REMOVING and done and action.live_id:
            reg = without_owned(reg, kind, [action.live_id])
        elif action.type is ActionType.ADOPT and done and action.live_id:
            adopted = OwnedObject(kind, action.live_id, action.name, action.protect, _digest(action))
            reg = with_owned(reg, [_with_body(adopted, action)])
        elif action.type in (ActionType.UPDATE, ActionType.REINSTALL) and done and action.live_id:
            existing = reg.find(kind, action.live_id) or OwnedObject(kind, action.live_id, action.name)
            # A reinstall re-runs the install with the new boot source; a create-time-only change is
            # acknowledged by the apply (it takes effect when the server is next replaced), so the next
            # plan no longer reports it.
            # A registry-only change of a create-time field follows a declared rename of a key or script.
            acknowledges = action.type is ActionType.REINSTALL or any(
                c.change_class is ChangeClass.CREATE_TIME_ONLY
                or (c.change_class is ChangeClass.REGISTRY and c.field in _DIGESTED)
                for c in action.changes
            )
            digest = _digest(action, existing.create_digest) if acknowledges else None
            updated = replace(
                existing,
                name=action.name,
                protect=action.protect,
                create_digest=existing.create_digest if digest is None else digest,
            )
            reg = with_owned(reg, [_with_body(updated, action)])
    ours = {(a.kind.value, a.name) for a in (r.action for r in results) if a.type in _CREATING}
    resolved = {
        (r.action.kind.value, r.action.name)
        for r in results
        if r.action.type is ActionType.ADOPT and r.status is Status.DONE
    }
    young = [p for p in reg.pending if now is None or now - p.started_at < PENDING_CREATE_WINDOW]
    pending = tuple(
        p
        for p in reg.pending
        if (p.kind, p.name) in unresolved
        or ((p.kind, p.name) not in ours and (p.kind, p.name) not in resolved and p in young)
    )
    return without_lock(
        replace(reg, pending=pending, reverse_dns=_reverse_dns(reg, results, kept_reverse_dns))
    )


def _reverse_dns(
    reg: Registry, results: Iterable[ActionResult], kept: Iterable[tuple[str, ReverseDnsSpec]]
) -> tuple[RecordedReverseDns, ...]:
    """The reverse DNS to record: earlier records, then what the plan found set, then what this apply
    set; a failed action's server loses its record (its names are unknown); only owned servers stay."""
    records = {r.server_id: r for r in reg.reverse_dns}

    def record(server_id: str, spec: ReverseDnsSpec) -> None:
        records[server_id] = RecordedReverseDns(server_id, spec.ipv4, spec.ipv6, spec.ipv6_extra)

    for server_id, spec in kept:
        record(server_id, spec)
    for result in results:
        action = result.action
        if action.kind is not Kind.REVERSE_DNS or not isinstance(action.spec, ReverseDnsSpec):
            continue
        if result.status is Status.DONE and result.object_id:
            record(result.object_id, action.spec)
        elif result.status is not Status.NOT_STARTED and result.object_id:
            records.pop(result.object_id, None)
    servers = reg.owned_ids(Kind.SERVER.value)
    return tuple(r for server_id, r in sorted(records.items()) if server_id in servers)
