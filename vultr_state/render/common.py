"""Vocabulary shared by the plan renderers: action symbols and titles, display names, value formatting,
change-class notes, the summary line and the secret-free views of a spec.

Used by ``render.text``, ``render.markdown`` and ``render.json_doc``; nothing else. Pure functions only.
Secret bodies (an SSH key's ``public_key``, a script's ``script``) are never read here: the spec views
skip those fields by name, so a renderer cannot print them even by accident. Internal bookkeeping
(``create_digest``) is never shown either; catalog ids are shown to people beside their names.
"""

from __future__ import annotations

import dataclasses
import json
from typing import Any

from vultr_state.model.plan import Action, ActionType, ChangeClass, FieldChange, Plan, Refusal, Spec

# Fields of a spec that hold a secret or a full body. Renderers list their names, never their values.
SECRET_SPEC_FIELDS = frozenset({"public_key", "script", "user_data"})
# Fields of a spec kept for the executor and the registry only: no renderer shows them.
INTERNAL_SPEC_FIELDS = frozenset({"create_digest"})
# Catalog id fields of a server spec → (what people call the field, the field holding its display name).
_NAMED_IDS = {
    "region_id": ("region", "region_name"),
    "plan_id": ("plan", "plan_name"),
    "os_id": ("os", "os_name"),
    "iso_id": ("iso", "iso_name"),
}
_DISPLAY_NAME_FIELDS = frozenset(name for _, name in _NAMED_IDS.values())

# How each change class reads next to a field change (``--json`` carries the class itself).
_CLASS_NOTES: dict[ChangeClass, str] = {
    ChangeClass.IN_PLACE: "in-place",
    ChangeClass.REINSTALL: "forces reinstall: disk wiped",
    ChangeClass.REPLACE: "forces replacement",
    ChangeClass.CREATE_TIME_ONLY: "create-time-only: takes effect when next created",
    ChangeClass.REGISTRY: "registry only",
}

# The order of the summary line and of every count table.
SUMMARY_ORDER: tuple[ActionType, ...] = (
    ActionType.CREATE,
    ActionType.UPDATE,
    ActionType.REPLACE,
    ActionType.REINSTALL,
    ActionType.DESTROY,
    ActionType.PRUNE,
    ActionType.ADOPT,
)

SYMBOLS: dict[ActionType, str] = {
    ActionType.CREATE: "+",
    ActionType.UPDATE: "~",
    ActionType.REPLACE: "-/+",
    ActionType.REINSTALL: "!",
    ActionType.DESTROY: "-",
    ActionType.PRUNE: "-",
    ActionType.ADOPT: "=",
}

NO_CHANGES = "No changes. The account matches the manifest."
ONLY_REFUSED = "No changes can be made: the account differs from the manifest only in what is refused above."


def display_name(action: Action) -> str:
    """``server.web-1``: the kind and name of an action, as every renderer shows it."""
    return f"{action.kind.value}.{action.name}"


def key_display(key: str) -> str:
    """``server:web-1`` (an action key) → ``server.web-1`` (how renderers show it)."""
    return key.replace(":", ".", 1)


def action_title(action: Action) -> str:
    """The parenthesised description after an action's name, e.g. ``replace: region, plan``.

    The planner's free-text ``reason`` is not part of it: renderers show it on a line of its own.
    """
    if action.records_only:
        return _recorded_title(action)
    if action.type is ActionType.UPDATE:
        return "update in place"
    if action.type is ActionType.REPLACE:
        return _with_fields("replace", action, ChangeClass.REPLACE)
    if action.type is ActionType.REINSTALL:
        return _with_fields("reinstall", action, ChangeClass.REINSTALL)
    if action.type is ActionType.PRUNE:
        return "prune: removed from manifest"
    return action.type.value


def _recorded_title(action: Action) -> str:
    """The title of an update that calls no API: what is recorded, and when a create-time change bites."""
    if any(c.change_class is ChangeClass.CREATE_TIME_ONLY for c in action.changes):
        return "no API call: takes effect when next created"
    return "registry only: no API call"


def _with_fields(word: str, action: Action, change_class: ChangeClass) -> str:
    fields = [c.field for c in action.changes if c.change_class is change_class]
    return f"{word}: {', '.join(fields)}" if fields else word


def flag(permission_value: str) -> str:
    """The CLI flag for a permission value (``allow-destroy`` → ``--allow-destroy``)."""
    return f"--{permission_value}"


def refusal_hint(refusal: Refusal) -> str:
    """What unblocks a refusal, as a short sentence fragment (empty when no flag can)."""
    if refusal.needs is None or flag(refusal.needs.value) in refusal.message:
        return ""  # no flag lifts it, or the message already names the flag
    return f"rerun with {flag(refusal.needs.value)}"


def refused_keys(plan: Plan) -> frozenset[str]:
    """The keys of the actions the plan refuses."""
    return frozenset(r.action_key for r in plan.refusals)


def counts(plan: Plan) -> tuple[tuple[ActionType, int], ...]:
    """(action type, count) pairs in summary order."""
    return tuple((t, plan.count(t)) for t in SUMMARY_ORDER)


def summary_line(plan: Plan) -> str:
    """``Plan: 2 to create, 1 to update, ...`` or the no-changes sentence."""
    if not plan.has_changes:
        return ONLY_REFUSED if plan.refusals else NO_CHANGES
    parts = ", ".join(f"{n} to {t.value}" for t, n in counts(plan))
    return f"Plan: {parts}."


def format_value(value: Any) -> str:
    """A field value for humans: strings quoted, ``None`` as ``(none)``, lists as JSON."""
    if value is None:
        return "(none)"
    return json.dumps(to_json_value(value), ensure_ascii=False)


SET_AT_CREATION = "(set at creation)"


def old_value(change: FieldChange) -> str:
    """A change's old value for humans. A create-time-only field the API never reads back has no known
    old value: it shows as ``(set at creation)``, not as a false ``(none)``."""
    if change.old is None and change.change_class is ChangeClass.CREATE_TIME_ONLY:
        return SET_AT_CREATION
    return format_value(change.old)


def to_json_value(value: Any) -> Any:
    """Turn tuples (and nested tuples) into lists; leave JSON scalars (and str enums) alone."""
    if isinstance(value, tuple | list):
        return [to_json_value(v) for v in value]
    if isinstance(value, dict):
        return {str(k): to_json_value(v) for k, v in value.items()}
    return value


def change_note(change: FieldChange) -> str:
    """The class of a change as people read it, e.g. ``forces reinstall: disk wiped, sensitive``."""
    return _CLASS_NOTES[change.change_class] + (", sensitive" if change.sensitive else "")


def spec_view(spec: Spec | None) -> tuple[tuple[str, Any], ...]:
    """The non-secret fields of a spec as (name, JSON value) pairs for machines, skipping empty ones.

    Catalog ids and their display names come as separate fields (``region_id``, ``region_name``).
    Secret fields are skipped by name without being read (``secret_fields`` lists which ones a spec
    has); internal ones are left out.
    """
    if spec is None:
        return ()
    shown = []
    for f in dataclasses.fields(spec):
        if f.name in SECRET_SPEC_FIELDS or f.name in INTERNAL_SPEC_FIELDS:
            continue
        value = getattr(spec, f.name)
        if value is None or value == "" or value == ():
            continue
        shown.append((f.name, to_json_value(value)))
    return tuple(shown)


def spec_lines(spec: Spec | None) -> tuple[tuple[str, str], ...]:
    """A spec for people: (field, shown value) pairs, secrets last as ``(sensitive)``.

    A catalog id is one line with its name: ``region`` → ``"New Jersey" (1)``, or ``id 1`` when the
    catalog had no name for it.
    """
    fields = dict(spec_view(spec))
    lines = []
    for name, value in fields.items():
        if name in _DISPLAY_NAME_FIELDS:
            continue
        if name in _NAMED_IDS:
            label, name_field = _NAMED_IDS[name]
            display = fields.get(name_field)
            lines.append((label, f"{format_value(display)} ({value})" if display else f"id {value}"))
        else:
            lines.append((name, format_value(value)))
    lines.extend((name, "(sensitive)") for name in secret_fields(spec))
    return tuple(lines)


def secret_fields(spec: Spec | None) -> tuple[str, ...]:
    """The names of the secret fields a spec carries (their values are never shown: only whether one is
    set is looked at, so a server without user data has none)."""
    if spec is None:
        return ()
    return tuple(
        f.name
        for f in dataclasses.fields(spec)
        if f.name in SECRET_SPEC_FIELDS and getattr(spec, f.name) not in (None, "")
    )


def plural(count: int, word: str) -> str:
    """``1 server`` / ``3 servers``."""
    return f"{count} {word}{'' if count == 1 else 's'}"
