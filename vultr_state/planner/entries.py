"""Planning one manifest entry against its match, shared by every kind.

Called by ``planner.simple`` and ``planner.servers`` once they have compared an entry with its live
object. Turns (entry, match, changes) into create / adopt / update / replace / reinstall / destroy
actions through the ``Collector``, and leftover owned objects into prunes; a create whose earlier
attempt had an unknown outcome is held back or sent again as ``planner.pending`` says.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass, replace
from typing import Any

from vultr_state.model.plan import Action, ActionType, ChangeClass, FieldChange, Kind, Spec
from vultr_state.model.registry import OwnedObject
from vultr_state.planner.collect import ADOPT_SUFFIX, Collector, action_key, noun, type_for
from vultr_state.planner.matching import Match
from vultr_state.planner.pending import has_aged, hold_refusal, retry_reason
from vultr_state.resources.base import protect_change

_DISRUPTIVE = (ChangeClass.REPLACE, ChangeClass.REINSTALL)


@dataclass(frozen=True, slots=True)
class Entry:
    """A present manifest entry, reduced to what action building needs. ``make_spec`` builds its spec,
    which only an action needs: a plan of thousands of unchanged servers builds none."""

    kind: Kind
    name: str
    protect: bool
    make_spec: Callable[[], Spec]


def plan_present(
    entry: Entry, match: Match, changes: tuple[FieldChange, ...], project: str, out: Collector
) -> ActionType | None:
    """Plan a present entry. Returns the type of its main action (None when nothing changes)."""
    key = action_key(entry.kind, entry.name)
    if match.live is None:
        reason = "not in the account"
        if match.pending is not None and out.hold_pending:
            if not has_aged(match.pending, out.now):
                out.refusals.append(hold_refusal(key, entry.kind, entry.name, match.pending))
                return None
            reason = retry_reason(match.pending)
        out.add(Action(key, entry.kind, entry.name, ActionType.CREATE, spec=entry.make_spec(),
                       protect=entry.protect, reason=reason))  # fmt: skip
        return ActionType.CREATE
    live_id = match.live.id
    if match.owned is None:
        reason = (
            "created by an earlier apply whose answer was lost"
            if match.lost_create
            else f"matches by identity; not yet owned by project {project!r}"
        )
        adopt = Action(key, entry.kind, entry.name, ActionType.ADOPT, live_id=live_id, spec=entry.make_spec(),
                       protect=entry.protect, reason=reason)  # fmt: skip
        by_identity = not match.lost_create
        if type_for(changes) is None:
            out.adopt(adopt, by_identity=by_identity)
            return ActionType.ADOPT
        out.adopt(replace(adopt, key=key + ADOPT_SUFFIX), by_identity=by_identity)
        return _changed(entry, live_id, changes, entry.protect, "after adoption", out, adopt.spec)
    changes = tuple(
        sorted((*changes, *protect_change(match.owned.protect, entry.protect)), key=lambda c: c.field)
    )
    reason = f"renamed from {match.renamed_from!r} (renamed_from)" if match.renamed_from else ""
    return _changed(entry, live_id, changes, match.owned.protect or entry.protect, reason, out)


def _changed(
    entry: Entry,
    live_id: str,
    changes: tuple[FieldChange, ...],
    protected: bool,
    reason: str,
    out: Collector,
    spec: Spec | None = None,
) -> ActionType | None:
    """The update, replace or reinstall ``changes`` call for (None when they call for nothing); ``spec``:
    the entry's spec when the caller already built it."""
    kind = type_for(changes)
    if kind is None:
        return None
    action = Action(action_key(entry.kind, entry.name), entry.kind, entry.name, kind, live_id=live_id,
                    changes=changes, spec=spec or entry.make_spec(), protect=entry.protect,
                    reason=reason)  # fmt: skip
    if kind is ActionType.UPDATE:
        out.add(action)
        return kind
    if out.dangerous(action, protected):
        return kind
    harmless = tuple(c for c in changes if c.change_class not in _DISRUPTIVE)
    if harmless:  # protection refused the disruptive part; the rest can still be done in place
        out.add(replace(action, type=ActionType.UPDATE, changes=harmless))
        return ActionType.UPDATE
    return None


def plan_absent(kind: Kind, name: str, match: Match, entry_protect: bool, out: Collector) -> None:
    """Plan ``state: absent``: destroy the matched object, but only when this project owns it.

    An object that merely shares the entry's identity (a colleague's hand-made server, another tool's
    key) is left alone with a warning; the object of a create whose answer was lost (the registry's
    pending entry identifies it) counts as the project's own. Nothing is planned when there is none.
    """
    if match.live is None:
        return
    if match.owned is None and not match.lost_create:
        out.warnings.append(
            f"{noun(kind)} {name!r} (state: absent): {noun(kind)} {match.live.id} is not owned by this "
            "project: left alone; adopt it first to destroy it"
        )
        return
    protected = entry_protect or (match.owned is not None and match.owned.protect)
    reason = (
        "state: absent"
        if match.owned
        else "state: absent (created by an earlier apply whose answer was lost)"
    )
    out.dangerous(
        Action(action_key(kind, name), kind, name, ActionType.DESTROY, live_id=match.live.id, reason=reason),
        protected,
    )


def plan_prunes(
    kind: Kind, leftovers: Sequence[tuple[Any, OwnedObject]], identity: Callable[[Any], str], out: Collector
) -> None:
    """Plan the prune of every owned object no entry claims (keys made unique with ``#<id>``)."""
    used = {a.key for a in out.actions} | {r.action_key for r in out.refusals}
    for obj, owned in leftovers:
        name = identity(obj) or owned.name
        key = action_key(kind, name)
        if key in used:
            key = f"{key}#{obj.id}"
        used.add(key)
        action = Action(key, kind, name, ActionType.PRUNE, live_id=obj.id, protect=owned.protect,
                        reason="owned, but no longer in the manifest")  # fmt: skip
        out.dangerous(action, owned.protect)
