"""Startup scripts: identified by name; name and body change in place, a type change needs a replace.

Called by the planner. The body is a secret: it is compared exactly and shown only as a digest.
"""

from __future__ import annotations

from vultr_state.model.desired import DesiredStartupScript
from vultr_state.model.live import LiveStartupScript
from vultr_state.model.plan import ChangeClass, FieldChange, Kind, StartupScriptSpec
from vultr_state.resources.base import FieldRule, ResourceSpec

SPEC = ResourceSpec(
    kind=Kind.STARTUP_SCRIPT,
    identity="name",
    rules={
        "name": FieldRule(ChangeClass.IN_PLACE),
        "script": FieldRule(ChangeClass.IN_PLACE, sensitive=True),
        "type": FieldRule(ChangeClass.REPLACE),  # startupscript/update cannot change it
    },
)


def compare(desired: DesiredStartupScript, live: LiveStartupScript) -> tuple[FieldChange, ...]:
    """The changes that turn ``live`` into ``desired``."""
    return SPEC.classify(
        {"name": live.name, "script": live.script, "type": live.type},
        {"name": desired.name, "script": desired.script or "", "type": desired.type.value},
    )


def to_spec(desired: DesiredStartupScript) -> StartupScriptSpec:
    """What to send to ``startupscript/create`` or ``startupscript/update``."""
    return StartupScriptSpec(name=desired.name, type=desired.type.value, script=desired.script or "")
