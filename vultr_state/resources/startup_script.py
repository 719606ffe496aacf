"""Startup scripts: identified by name; name and body change in place, a type change needs a replace.

Called by the planner. The body is a secret: it is compared exactly and shown only as a digest. A live
script whose body was not read (v2, unchanged since the last apply: ``LiveStartupScript.body_digest``)
is compared by that digest.
"""

from __future__ import annotations

from dataclasses import replace

from vultr_state.model.desired import DesiredStartupScript
from vultr_state.model.live import LiveStartupScript
from vultr_state.model.plan import ChangeClass, FieldChange, Kind, StartupScriptSpec
from vultr_state.resources.base import FieldRule, ResourceSpec
from vultr_state.resources.diffing import secret_digest

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
    wanted = desired.script or ""
    body = live.script
    if live.body_digest is not None:  # not read: the body with this digest
        body = wanted if secret_digest(wanted) == live.body_digest else f"<{live.body_digest}>"
    changes = SPEC.classify(
        {"name": live.name, "script": body, "type": live.type},
        {"name": desired.name, "script": wanted, "type": desired.type.value},
    )
    if live.body_digest is None:
        return changes
    return tuple(replace(c, old=live.body_digest) if c.field == "script" else c for c in changes)


def to_spec(desired: DesiredStartupScript) -> StartupScriptSpec:
    """What to send to ``startupscript/create`` or ``startupscript/update``."""
    return StartupScriptSpec(name=desired.name, type=desired.type.value, script=desired.script or "")
