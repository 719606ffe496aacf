"""Reading what a step needs from a plan action: its spec, its live id, its in-place changes.

Used by ``executor.steps`` and ``executor.server_steps``. A plan that lacks something an action needs
is reported as a ``PlanError`` naming the action, never as an ``AttributeError``.
"""

from __future__ import annotations

from typing import TypeVar

from vultr_state.errors import PlanError
from vultr_state.model.plan import Action, ChangeClass, FieldChange

T = TypeVar("T")


def in_place_changes(action: Action) -> tuple[FieldChange, ...]:
    """The changes of ``action`` that need an API call (registry-only and create-time-only ones do not)."""
    return tuple(c for c in action.changes if c.change_class is ChangeClass.IN_PLACE)


def spec_of(action: Action, spec_type: type[T]) -> T:
    """The action's spec, checked to be of ``spec_type``.

    Raises:
        PlanError: the plan gave no spec (or one of another kind) for an action that needs it.
    """
    if not isinstance(action.spec, spec_type):
        raise PlanError(f"{action.key}: the plan gives no {spec_type.__name__} for this {action.type} action")
    return action.spec


def live_id_of(action: Action) -> str:
    """The live object id the action works on.

    Raises:
        PlanError: the plan did not say which object.
    """
    if not action.live_id:
        raise PlanError(f"{action.key}: the plan gives no live id for this {action.type} action")
    return action.live_id
