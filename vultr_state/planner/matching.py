"""Ownership matching of one kind: which live object each manifest entry means, and what is left over.

Called by the planner once per kind (SSH keys, startup scripts, servers, snapshots). DESIGN.md section 3:

1. an owned object (its id is in the registry) whose recorded name is the entry's identity;
2. otherwise an owned object whose live identity is the entry's (its recorded name is stale);
3. for an entry with ``renamed_from: OLD``: an owned object recorded (or live) as OLD, which the plan
   renames in place. Another live object already holding the new name is an error naming both;
4. otherwise an unowned object with that identity: adopted. When the registry holds a pending create
   for the entry, an object that is not in the create's ``known_ids`` is the lost create and wins.

An entry with nothing live but a pending create carries it in its ``Match`` (``planner.pending`` decides
whether the create is held or sent again).

Two candidates at one step are an identity clash, reported with the ids. Owned objects no entry claims
are prune candidates; unowned ones no entry names are only counted (unmanaged). Registry ids that are
no longer live are returned as stale.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from vultr_state.model.live import id_order
from vultr_state.model.registry import OwnedObject, PendingCreate, Registry
from vultr_state.planner.catalog import CatalogProblem, Subject


@dataclass(frozen=True, slots=True)
class Match:
    """The live object a manifest entry means (``live`` None when there is none)."""

    live: Any | None = None
    owned: OwnedObject | None = None  # the registry entry when the object is already ours
    lost_create: bool = False  # adopted as the result of a create whose answer was lost
    pending: PendingCreate | None = None  # nothing live, but an earlier create's outcome is unknown
    renamed_from: str | None = None  # the owned object was called this: renamed in place


@dataclass(frozen=True, slots=True)
class KindMatches:
    """The result of matching one kind."""

    matches: dict[str, Match]  # by manifest identity
    prune: tuple[tuple[Any, OwnedObject], ...]  # owned live objects no entry claims, by id
    unmanaged: int  # unowned live objects no entry names
    stale: tuple[OwnedObject, ...]  # registry entries whose object is gone


def _plural(kind: str) -> str:
    return {"ssh_key": "SSH keys"}.get(kind, kind.replace("_", " ") + "s")


def _ids(objects: Sequence[Any]) -> str:
    return ", ".join(o.id for o in sorted(objects, key=lambda o: id_order(o.id)))


def match_kind(
    kind: str,
    entries: Sequence[tuple[str, Subject]],
    live: Sequence[Any],
    identity: Callable[[Any], str],
    registry: Registry,
    problems: list[CatalogProblem],
    renamed: Mapping[str, str] | None = None,
    confirms: Callable[[Any], bool] | None = None,
) -> KindMatches:
    """Match manifest entries of one kind with live objects.

    Args:
        kind: The registry kind (``"server"``...).
        entries: (identity, subject for messages) of every manifest entry of the kind, present or absent.
        live: The live objects of the kind.
        identity: The live identity of an object (its label, name or description).
        registry: The project's registry.
        problems: Identity clashes (and renames onto a name another object holds) are appended here.
        renamed: New identity -> the ``renamed_from`` of that entry.
        confirms: Whether an object that appeared under a pending create's identity may be that create
            (v2 servers: it carries the project's owner tag); None: any may. One that may not is matched
            by identity only (shown as an adoption, for review), never taken as the lost create.

    Returns:
        The matches and the leftovers.
    """
    owned = {o.id: o for o in registry.owned if o.kind == kind}
    live_owned = [obj for obj in live if obj.id in owned]
    unowned: dict[str, list[Any]] = {}
    for obj in live:
        if obj.id not in owned:
            unowned.setdefault(identity(obj), []).append(obj)
    by_recorded: dict[str, list[Any]] = {}
    by_live_name: dict[str, list[Any]] = {}
    for obj in live_owned:
        by_recorded.setdefault(owned[obj.id].name, []).append(obj)
        by_live_name.setdefault(identity(obj), []).append(obj)
    pending = {p.name: p for p in registry.pending if p.kind == kind}

    matches: dict[str, Match] = {}
    claimed: set[str] = set()

    def claim(name: str, subject: Subject, candidates: list[Any], what: str) -> bool:
        free = [c for c in candidates if c.id not in claimed]
        if len(free) > 1:
            problems.append(
                CatalogProblem(
                    subject, f"identity clash: {what} {_ids(free)} all match {name!r}", in_account=True
                )
            )
            return True
        if free:
            obj = free[0]
            claimed.add(obj.id)
            matches[name] = Match(live=obj, owned=owned.get(obj.id))
            return True
        return False

    unmatched = []
    for name, subject in entries:
        if not claim(name, subject, by_recorded.get(name, []), f"the registry records {_plural(kind)}"):
            unmatched.append((name, subject))
    still = []
    for name, subject in unmatched:
        if not claim(name, subject, by_live_name.get(name, []), f"owned {_plural(kind)}"):
            still.append((name, subject))
    renamed = renamed or {}
    left = []
    for name, subject in still:
        old = renamed.get(name)
        if old is None or not _rename(kind, name, old, subject, live, identity, owned, by_recorded,
                                      by_live_name, claimed, matches, problems):  # fmt: skip
            left.append((name, subject))
    for name, subject in left:
        candidates = unowned.get(name, [])
        create = pending.get(name)
        if create is not None:
            fresh = [
                c for c in candidates if c.id not in create.known_ids and (confirms is None or confirms(c))
            ]
            if len(fresh) == 1:
                claimed.add(fresh[0].id)
                matches[name] = Match(live=fresh[0], lost_create=True)
                continue
        if len(candidates) > 1:
            problems.append(
                CatalogProblem(
                    subject,
                    f"identity clash: {_plural(kind)} {_ids(candidates)} are all named {name!r} and none is "
                    "owned by this project; rename or delete all but one",
                    in_account=True,
                )
            )
        elif candidates:
            claimed.add(candidates[0].id)
            matches[name] = Match(live=candidates[0])
        else:
            matches[name] = Match(pending=create)

    live_ids = {obj.id for obj in live}
    return KindMatches(
        matches=matches,
        prune=tuple((obj, owned[obj.id]) for obj in live_owned if obj.id not in claimed),
        unmanaged=sum(1 for obj in live if obj.id not in owned and obj.id not in claimed),
        stale=tuple(o for o in sorted(owned.values(), key=lambda o: id_order(o.id)) if o.id not in live_ids),
    )


def _rename(
    kind: str,
    name: str,
    old: str,
    subject: Subject,
    live: Sequence[Any],
    identity: Callable[[Any], str],
    owned: Mapping[str, OwnedObject],
    by_recorded: Mapping[str, list[Any]],
    by_live_name: Mapping[str, list[Any]],
    claimed: set[str],
    matches: dict[str, Match],
    problems: list[CatalogProblem],
) -> bool:
    """Match the entry ``name`` (``renamed_from: old``) with the owned object called ``old``.

    Returns False when the project owns no object of that name (the entry then adopts or creates).
    """
    candidates = [c for c in by_recorded.get(old, []) if c.id not in claimed]
    if not candidates:
        candidates = [c for c in by_live_name.get(old, []) if c.id not in claimed]
    if not candidates:
        return False
    if len(candidates) > 1:
        problems.append(
            CatalogProblem(
                subject,
                f"identity clash: owned {_plural(kind)} {_ids(candidates)} all match renamed_from {old!r}",
                in_account=True,
            )
        )
        return True
    obj = candidates[0]
    holders = [o for o in live if o.id != obj.id and identity(o) == name]
    if holders:
        whose = (
            "owned by this project" if all(h.id in owned for h in holders) else "not owned by this project"
        )
        problems.append(
            CatalogProblem(
                subject,
                f"cannot rename {_noun(kind)} {obj.id} ({old!r}) to {name!r}: {_noun(kind)} {_ids(holders)} "
                f"({whose}) is already called {name!r}; rename or delete that one first, or choose another "
                "name",
                in_account=True,
            )
        )
        return True
    claimed.add(obj.id)
    matches[name] = Match(live=obj, owned=owned[obj.id], renamed_from=old)
    return True


def _noun(kind: str) -> str:
    return {"ssh_key": "SSH key"}.get(kind, kind.replace("_", " "))
