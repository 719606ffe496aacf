"""What the renderers say about changes that call no API and create-time-only fields whose old value the
API never reads back."""

from __future__ import annotations

from vultr_state.model.plan import Action, ActionType, ChangeClass, FieldChange, Kind, Plan
from vultr_state.render import render_markdown, render_text


def _update(*changes: FieldChange) -> Plan:
    action = Action("server:a", Kind.SERVER, "a", ActionType.UPDATE, live_id="1", changes=changes)
    return Plan(project="p", actions=(action,))


PROTECT = FieldChange("protect", False, True, ChangeClass.REGISTRY)
KEYS = FieldChange("ssh_keys", None, ("deploy", "ops"), ChangeClass.CREATE_TIME_ONLY)
LABEL = FieldChange("label", "b", "a", ChangeClass.IN_PLACE)


def test_registry_only_and_create_time_only_updates_say_no_api_call():
    assert "  ~ server.a (registry only: no API call)  [id 1]\n" in render_text(_update(PROTECT))
    assert "  ~ server.a (no API call: takes effect when next created)  [id 1]\n" in render_text(
        _update(KEYS, PROTECT)
    )
    assert "  ~ server.a (update in place)  [id 1]\n" in render_text(_update(KEYS, LABEL))


def test_an_unknown_old_value_of_a_create_time_field_is_set_at_creation():
    text = render_text(_update(KEYS))
    assert '        ssh_keys = (set at creation) → ["deploy", "ops"]  (create-time-only' in text
    markdown = render_markdown(_update(KEYS))
    assert '| ssh_keys | (set at creation) | <code>["deploy", "ops"]</code> |' in markdown
    # A known old value of a create-time-only field (auto backups, read from server/list) is shown.
    backups = FieldChange("auto_backups", False, True, ChangeClass.CREATE_TIME_ONLY)
    assert "auto_backups = false → true" in render_text(_update(backups))
