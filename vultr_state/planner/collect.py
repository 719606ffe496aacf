"""The plan under construction: actions, refusals, warnings, and the rules for dangerous actions.

Used by the per-kind planning modules of this package. ``dangerous`` (and ``adopt``, for adoptions
while another project's registry is unreadable) is where protection and permissions are enforced: a
protected object gets a ``Refusal`` instead of the action; an action whose permission flag is missing
stays in the plan (so the reviewer sees it) with a ``Refusal`` next to it.
"""

from __future__ import annotations

from dataclasses import dataclass, field, replace

from vultr_state.model.plan import Action, ActionType, ChangeClass, FieldChange, Kind, Permission, Refusal
from vultr_state.planner.options import PlanOptions

PERMISSION = {
    ActionType.DESTROY: Permission.DESTROY,
    ActionType.PRUNE: Permission.PRUNE,
    ActionType.REPLACE: Permission.REPLACE,
    ActionType.REINSTALL: Permission.REINSTALL,
}
_VERB = {
    ActionType.DESTROY: "destroy",
    ActionType.PRUNE: "prune",
    ActionType.REPLACE: "replace",
    ActionType.REINSTALL: "reinstall",
}
ADOPT_SUFFIX = "@adopt"


def action_key(kind: Kind, name: str) -> str:
    """``<kind>:<name>``: the key of the main action of one object."""
    return f"{kind.value}:{name}"


def noun(kind: Kind) -> str:
    """``ssh key``, ``startup script``, ``server``... for messages."""
    return kind.value.replace("_", " ")


def type_for(changes: tuple[FieldChange, ...]) -> ActionType | None:
    """The action a set of changes needs: the most disruptive class wins; None when nothing changes."""
    classes = {c.change_class for c in changes}
    if ChangeClass.REPLACE in classes:
        return ActionType.REPLACE
    if ChangeClass.REINSTALL in classes:
        return ActionType.REINSTALL
    return ActionType.UPDATE if changes else None


@dataclass(slots=True)
class Collector:
    """Accumulates one plan's actions, refusals and warnings."""

    options: PlanOptions
    unreadable_registries: tuple[str, ...] = ()  # projects whose registry could not be decoded
    now: float | None = None  # the caller's clock reading (ages pending creates); None: unknown
    hold_pending: bool = True  # hold creates of unknown outcome (not while another apply holds the lock)
    actions: list[Action] = field(default_factory=list)
    refusals: list[Refusal] = field(default_factory=list)
    warnings: list[str] = field(default_factory=list)

    def add(self, action: Action) -> None:
        """Add a harmless action (create, update, adopt)."""
        self.actions.append(action)

    def adopt(self, action: Action, *, by_identity: bool) -> None:
        """Add an adoption. One made only because the names match is refused (unless allowed) while
        another project's registry is unreadable: the object could be that project's, and adopting it
        would let a later prune destroy it. Adopting a lost create (the registry's pending entry says it
        is ours) is always allowed."""
        if not (by_identity and self.unreadable_registries):
            self.actions.append(action)
            return
        permission = Permission.ADOPT_WITH_DAMAGED_REGISTRY
        self.actions.append(replace(action, requires=permission))
        if self.options.grants(permission):
            return
        projects = ", ".join(repr(p) for p in self.unreadable_registries)
        self.refusals.append(
            Refusal(
                action.key,
                f"adopting {noun(action.kind)} {action.name!r} by identity is refused while the registry of "
                f"project {projects} is unreadable (the object may be that project's); repair or delete "
                f"that registry, or allow it with --{permission.value}",
                needs=permission,
            )
        )

    def dangerous(self, action: Action, protected: bool) -> bool:
        """Add a destroy, prune, replace or reinstall, unless its object is protected.

        Args:
            action: The action (``requires`` is filled in here).
            protected: Whether the object is protected (by its entry or by the registry).

        Returns:
            True when the action was added (possibly with a refusal for a missing permission); False
            when protection refused it outright.
        """
        verb = _VERB[action.type]
        what = f"{noun(action.kind)} {action.name!r}"
        if protected:
            how = (
                "add its entry back with protect: false"
                if action.type is ActionType.PRUNE
                else "set protect: false on its entry"
            )
            self.refusals.append(
                Refusal(
                    action.key,
                    f"{what} is protected: refusing to {verb} it{_fields(action)}; to release it, {how} "
                    "and apply that first",
                )
            )
            return False
        permission = PERMISSION[action.type]
        self.actions.append(replace(action, requires=permission))
        if not self.options.grants(permission):
            self.refusals.append(
                Refusal(action.key, f"{verb} of {what} needs --{permission.value}", needs=permission)
            )
        return True


def _fields(action: Action) -> str:
    disruptive = [
        c.field for c in action.changes if c.change_class in (ChangeClass.REPLACE, ChangeClass.REINSTALL)
    ]
    return f" (changes: {', '.join(disruptive)})" if disruptive else ""
