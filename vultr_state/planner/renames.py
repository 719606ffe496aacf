"""The "looks like a rename" hint: a create and a prune of one kind that are probably one object renamed.

Called by ``planner.core`` once every kind is planned. Without ``renamed_from``, a renamed manifest entry
plans a create of the new name and a prune of the owned object of the old one; when exactly one pruned
object of the kind matches the new entry's other fields (a key's body, a script's type and body where
the API listed it, a server's region, plan and OS, a snapshot's recorded source server), both actions
say so: "looks like a rename of 'OLD': add `renamed_from: OLD` to rename in place". The plan itself is
unchanged: the hint is advice to the reviewer.

Also here, called by ``planner.servers``: ``follow_renames``, which keeps a declared rename of an SSH key,
startup script or snapshot from showing as a change (create-time, or a reinstall) of every server that
names it.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from dataclasses import replace
from typing import Any

from vultr_state.model.desired import DesiredServer
from vultr_state.model.live import Live
from vultr_state.model.plan import (
    Action,
    ActionType,
    ChangeClass,
    FieldChange,
    Kind,
    ServerSpec,
    SnapshotSpec,
    SshKeySpec,
    StartupScriptSpec,
)
from vultr_state.model.registry import OwnedObject
from vultr_state.resources.base import part_digest
from vultr_state.resources.server import digest_parts


def _key_like(spec: Any, obj: Any, _live: Live) -> bool:
    return isinstance(spec, SshKeySpec) and " ".join(spec.public_key.split()) == " ".join(
        obj.public_key.split()
    )


def _script_like(spec: Any, obj: Any, _live: Live) -> bool:
    if not isinstance(spec, StartupScriptSpec) or spec.type != obj.type:
        return False
    return not obj.script or obj.script == spec.script  # v2 lists no bodies: the type has to do


def _server_like(spec: Any, obj: Any, _live: Live) -> bool:
    if not isinstance(spec, ServerSpec) or (spec.region_id, spec.plan_id) != (obj.region_id, obj.plan_id):
        return False
    return bool(spec.snapshot or spec.iso_id) or spec.os_id == obj.os_id


def _snapshot_like(spec: Any, obj: Any, live: Live) -> bool:
    if not isinstance(spec, SnapshotSpec):
        return False
    recorded = live.registry.find(Kind.SNAPSHOT.value, obj.id)
    return recorded is not None and recorded.create_digest == part_digest(spec.server or "")


_LIKE: dict[Kind, tuple[Callable[[Live], Sequence[Any]], Callable[[Any, Any, Live], bool]]] = {
    Kind.SSH_KEY: (lambda live: live.ssh_keys, _key_like),
    Kind.STARTUP_SCRIPT: (lambda live: live.startup_scripts, _script_like),
    Kind.SERVER: (lambda live: live.servers, _server_like),
    Kind.SNAPSHOT: (lambda live: live.snapshots, _snapshot_like),
}


def rename_hints(actions: Sequence[Action], live: Live) -> list[Action]:
    """``actions`` with the hint added to the reason of each create/prune pair that looks like a rename."""
    by_key = {a.key: a for a in actions}
    for kind, (objects, like) in _LIKE.items():
        by_id = {o.id: o for o in objects(live)}
        prunes = [a for a in actions if a.kind is kind and a.type is ActionType.PRUNE and a.live_id in by_id]
        creates = [a for a in actions if a.kind is kind and a.type is ActionType.CREATE]
        for create in creates:
            similar = [p for p in prunes if like(create.spec, by_id[p.live_id], live)]
            if len(similar) != 1:
                continue
            prune = similar[0]
            if sum(1 for c in creates if like(c.spec, by_id[prune.live_id], live)) != 1:
                continue  # two new entries look like the same old object: no guess
            hint = (
                f"looks like a rename of {prune.name!r}: add `renamed_from: {prune.name}` to rename in place"
            )
            by_key[create.key] = replace(create, reason=f"{create.reason}; {hint}" if create.reason else hint)
            by_key[prune.key] = replace(
                prune, reason=f"{prune.reason}; looks renamed to {create.name!r} (see its create)"
            )
    return [by_key[a.key] for a in actions]


def follow_renames(
    changes: tuple[FieldChange, ...],
    desired: DesiredServer,
    recorded: OwnedObject | None,
    renamed: Mapping[tuple[Kind, str], str],
) -> tuple[FieldChange, ...]:
    """A server's create-time changes that only follow a declared rename of what it names.

    The registry's digest of a server records the names of its keys, script and boot snapshot at
    creation. When the manifest renames one of them (``renamed_from``) and the server now names it by its
    new name, the digest of the old names still matches: nothing about the server changed, so the change
    is registry-only (the apply records the new names' digest) instead of a false "set at creation"
    change or, for the boot snapshot, a reinstall.

    Args:
        changes: The server's classified changes.
        desired: The manifest entry.
        recorded: Its registry entry (None: nothing was recorded).
        renamed: (kind, new name) -> old name of every declared rename of a key, script or snapshot.
    """
    if not renamed or recorded is None:
        return changes
    recorded_parts = digest_parts(recorded.create_digest)
    if not recorded_parts:
        return changes
    old_keys = sorted(renamed.get((Kind.SSH_KEY, n), n) for n in desired.ssh_keys)
    script = desired.startup_script
    old_script = renamed.get((Kind.STARTUP_SCRIPT, script), script) if script else None
    snapshot = desired.snapshot
    old_snapshot = renamed.get((Kind.SNAPSHOT, snapshot), snapshot) if snapshot else None
    old_values = {  # field -> (recorded part it must match, its digest under the old names, old value)
        "ssh_keys": ("ssh_keys", part_digest(old_keys), old_keys),
        "startup_script": ("startup_script", part_digest(old_script or ""), old_script),
        "snapshot": ("boot", part_digest(["snapshot", old_snapshot or ""]), old_snapshot),
    }
    result = []
    for change in changes:
        old = old_values.get(change.field)
        follows = old is not None and recorded_parts[old[0]] == old[1] and old[2] != change.new
        if follows and change.change_class in (ChangeClass.CREATE_TIME_ONLY, ChangeClass.REINSTALL):
            change = replace(change, old=old[2], change_class=ChangeClass.REGISTRY)
        result.append(change)
    return tuple(result)
