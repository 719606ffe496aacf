"""The machine-readable rendering of a plan: ``plan_to_dict`` and ``render_json``.

Called by ``vultr-state plan --json`` and by ``vultr_state.planfile`` (a saved plan stores its actions
in exactly this shape). The document is described by ``schemas/plan.schema.json`` and carries a
``format_version``; keys come out in a fixed order so the same plan gives the same bytes. Secret spec
fields are left out by name, never read, and the document carries no digest of the manifest (whose
content holds script bodies and user data: a bare hash of it would let anyone test a guessed secret;
a saved plan keeps its own salted one).
"""

from __future__ import annotations

import json
from typing import Any

from vultr_state.model.cost import PlanCost
from vultr_state.model.plan import Action, FieldChange, Plan, Refusal
from vultr_state.render.common import counts, refused_keys, secret_fields, spec_view, to_json_value
from vultr_state.render.cost import cost_to_dict

FORMAT_VERSION = 1


def plan_to_dict(plan: Plan, cost: PlanCost | None = None) -> dict[str, Any]:
    """The plan as a JSON-ready dict (the shape documented by ``schemas/plan.schema.json``).

    Args:
        plan: The plan to convert.
        cost: What the plan does to the monthly bill; the ``cost`` key is present only when given
            (``plan --json`` always gives it; saved plan files leave it out).

    Returns:
        A dict of JSON types only; it holds no secret body and no hash of one.
    """
    refused = refused_keys(plan)
    document = {
        "format_version": FORMAT_VERSION,
        "project": plan.project,
        "has_changes": plan.has_changes,
        "summary": {action_type.value: n for action_type, n in counts(plan)},
        "owned_count": plan.owned_count,
        "unmanaged": {kind: n for kind, n in plan.unmanaged},
        "actions": [action_to_dict(a, a.key in refused) for a in plan.actions],
        "refusals": [_refusal_to_dict(r) for r in plan.refusals],
        "warnings": list(plan.warnings),
    }
    if plan.notes:
        document["notes"] = list(plan.notes)
    if cost is not None:
        document["cost"] = cost_to_dict(cost)
    return document


def action_to_dict(action: Action, refused: bool) -> dict[str, Any]:
    """One action as a JSON-ready dict: identity, type, changes and the secret-free spec."""
    spec = None
    if action.spec is not None:
        spec = {
            "fields": dict(spec_view(action.spec)),
            "sensitive_fields": list(secret_fields(action.spec)),
        }
    return {
        "key": action.key,
        "kind": action.kind.value,
        "name": action.name,
        "type": action.type.value,
        "live_id": action.live_id,
        "protect": action.protect,
        "reason": action.reason,
        "requires": action.requires.value if action.requires else None,
        "refused": refused,
        "depends_on": list(action.depends_on),
        "changes": [_change_to_dict(c) for c in action.changes],
        "spec": spec,
    }


def _change_to_dict(change: FieldChange) -> dict[str, Any]:
    return {
        "field": change.field,
        "old": to_json_value(change.old),
        "new": to_json_value(change.new),
        "class": change.change_class.value,
        "sensitive": change.sensitive,
    }


def _refusal_to_dict(refusal: Refusal) -> dict[str, Any]:
    return {
        "action_key": refusal.action_key,
        "message": refusal.message,
        "needs": refusal.needs.value if refusal.needs else None,
    }


def render_json(plan: Plan, cost: PlanCost | None = None) -> str:
    """The plan (and its cost, when given) as an indented JSON document ending with a newline
    (byte-stable for a given plan)."""
    return json.dumps(plan_to_dict(plan, cost), indent=2, ensure_ascii=False) + "\n"
