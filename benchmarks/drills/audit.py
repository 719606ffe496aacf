"""The account checked against the manifest after a drill: duplicates, orphans, ownership gaps.

Reads the emulator through its inspection helpers (never through the API, so faults do not apply) and
decodes the project's registry with ``vultr_state.registry``. Called by the fault and crash drills and
their tests. Objects that existed before the drill (``foreign``) must be untouched and never owned.
"""

from __future__ import annotations

import base64
from collections import Counter
from dataclasses import dataclass, field
from typing import Any

from vultr_state.errors import PlanError
from vultr_state.registry import (
    decode_registry,
    is_registry_script,
    parse_registry_script_name,
    registry_script_name,
)

from .scenario import Scenario

# Per kind: the emulator listing's id field and identity field (v1; v2 lists use "id").
FIELDS = {
    "ssh_key": ("SSHKEYID", "name"),
    "startup_script": ("SCRIPTID", "name"),
    "server": ("SUBID", "label"),
    "snapshot": ("SNAPSHOTID", "description"),
}
V2_FIELDS = {kind: ("id", name) for kind, (_id, name) in FIELDS.items()}


def _fields(api: str) -> dict[str, tuple[str, str]]:
    return V2_FIELDS if api == "v2" else FIELDS


def _scripts(emulator: Any, api: str) -> list[tuple[str, str, str]]:
    """(id, name, body) of every startup script of ``api``'s account (v2 bodies decoded)."""
    if api == "v2":
        return [
            (str(s["id"]), str(s["name"]), base64.b64decode(s["script"]).decode())
            for s in emulator.v2.startup_scripts()
        ]
    return [(str(s["SCRIPTID"]), str(s["name"]), str(s["script"])) for s in emulator.startup_scripts()]


@dataclass(frozen=True, slots=True)
class Findings:
    """What is wrong with the account; every tuple empty means the drill left it right.

    Attributes:
        duplicates: ``kind identity ×N`` for every identity held by more than one object.
        orphans: ``kind identity (id)`` for objects the drill made that the manifest does not want.
        missing: ``kind identity`` the manifest wants but the account lacks.
        unowned: ``kind identity (id)`` wanted objects that the registry does not own.
        dangling: ``kind id`` owned in the registry but gone from the account.
        registry: Problems of the registry itself (unreadable, lock or pending entries left).
        foreign: Objects that existed before the drill and were changed, removed or taken over.
        leftovers: Registry intent writes whose create answer was lost and which showed late beside the
            registry (free startup scripts the codec reads past; the next registry write deletes them).
            Reported, not counted as duplicates.
    """

    duplicates: tuple[str, ...] = ()
    orphans: tuple[str, ...] = ()
    missing: tuple[str, ...] = ()
    unowned: tuple[str, ...] = ()
    dangling: tuple[str, ...] = ()
    registry: tuple[str, ...] = ()
    foreign: tuple[str, ...] = field(default=())
    leftovers: tuple[str, ...] = ()

    @property
    def ok(self) -> bool:
        """True when nothing is wrong."""
        return not any(getattr(self, name) for name in self.__slots__ if name != "leftovers")

    def lines(self) -> list[str]:
        """One line per problem, prefixed by its category."""
        return [f"{name}: {item}" for name in self.__slots__ for item in getattr(self, name)]


def listing(emulator: Any, api: str = "v1") -> dict[str, list[dict[str, Any]]]:
    """Every object of ``api``'s account per kind, registry scripts left out."""
    face = emulator.v2 if api == "v2" else emulator
    return {
        "ssh_key": face.ssh_keys(),
        "startup_script": [s for s in face.startup_scripts() if not is_registry_script(str(s["name"]))],
        "server": face.instances() if api == "v2" else face.servers(),
        "snapshot": face.snapshots(),
    }


def snapshot_of(emulator: Any, api: str = "v1") -> dict[str, dict[str, str]]:
    """``kind → {id: identity}`` of everything in the account now (to mark pre-existing objects)."""
    fields = _fields(api)
    return {
        kind: {str(o[fields[kind][0]]): str(o[fields[kind][1]]) for o in objects}
        for kind, objects in listing(emulator, api).items()
    }


def audit(
    emulator: Any, scenario: Scenario, foreign: dict[str, dict[str, str]] | None = None, api: str = "v1"
) -> Findings:
    """Check the account against ``scenario`` once the drill has converged.

    Args:
        emulator: The emulator holding the account.
        scenario: The manifest the account must match.
        foreign: ``snapshot_of`` the account before the drill: these objects must still be there, with the
            same identity, and never owned by the project.
        api: Which face's account to check (``v1`` or ``v2``).

    Returns:
        The findings.
    """
    before = foreign or {}
    objects = listing(emulator, api)
    wanted = scenario.identities()
    duplicates, orphans, missing, unowned, dangling, changed = [], [], [], [], [], []
    leftovers: list[str] = []
    registry_problems: list[str] = []
    scripts = _scripts(emulator, api)
    names = Counter(name for _, name, _ in scripts if is_registry_script(name))
    for name, n in sorted(names.items()):
        if n > 1 and _lost_intents(scripts, name) == n - 1:
            leftovers.append(f"registry script {name}: {n - 1} lost intent write(s) beside it")
        elif n > 1:
            duplicates.append(f"registry script {name} ×{n}")
    try:
        registry = decode_registry(scenario.project, scripts)
    except PlanError as exc:
        registry, registry_problems = None, [f"unreadable: {exc}"]
    if registry is not None:
        if registry.lock is not None:
            registry_problems.append(f"lock left by {registry.lock.holder}")
        registry_problems += [f"pending {p.kind} {p.name}" for p in registry.pending]
        if registry_script_name(scenario.project) not in names and registry.owned:
            registry_problems.append("owned objects without a registry script")
    for kind, (id_field, name_field) in _fields(api).items():
        present = {str(o[id_field]): str(o[name_field]) for o in objects[kind]}
        mine = {oid: name for oid, name in present.items() if oid not in before.get(kind, {})}
        counts = Counter(mine.values())
        duplicates += [f"{kind} {name} ×{n}" for name, n in sorted(counts.items()) if n > 1]
        orphans += [
            f"{kind} {name} ({oid})" for oid, name in sorted(mine.items()) if name not in wanted[kind]
        ]
        missing += [f"{kind} {name}" for name in sorted(wanted[kind] - set(mine.values()))]
        owned = registry.owned_ids(kind) if registry is not None else frozenset()
        unowned += [
            f"{kind} {name} ({oid})"
            for oid, name in sorted(mine.items())
            if name in wanted[kind] and oid not in owned
        ]
        dangling += [f"{kind} {oid}" for oid in sorted(owned - set(present))]
        for oid, name in sorted(before.get(kind, {}).items()):
            if present.get(oid) != name:
                changed.append(f"{kind} {name} ({oid}) changed or removed")
            elif oid in owned:
                changed.append(f"{kind} {name} ({oid}) taken over by the project")
    return Findings(
        tuple(duplicates),
        tuple(orphans),
        tuple(missing),
        tuple(unowned),
        tuple(dangling),
        tuple(registry_problems),
        tuple(changed),
        tuple(leftovers),
    )


def _lost_intents(scripts: list[tuple[str, str, str]], name: str) -> int:
    """How many of the registry scripts called ``name`` own nothing while another one does: intent
    writes whose create answer was lost and which showed only after the registry was written anew (the
    codec reads past them; the next registry write deletes them)."""
    parsed = parse_registry_script_name(name)
    if parsed is None or parsed[1] != 0:
        return 0
    owning = 0
    for script_id, script_name, body in scripts:
        if script_name == name:
            try:
                owning += bool(decode_registry(parsed[0], [(script_id, name, body)]).owned)
            except PlanError:
                return 0
    total = sum(1 for _, script_name, _ in scripts if script_name == name)
    return total - owning if owning == 1 else 0
