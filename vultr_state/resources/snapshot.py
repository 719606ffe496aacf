"""Snapshots: identified by description. Nothing about a snapshot can change; its source server is
create-time only (kept as a digest in the registry, since ``snapshot/list`` does not say it).

Called by the planner.
"""

from __future__ import annotations

from vultr_state.model.desired import DesiredSnapshot
from vultr_state.model.plan import ChangeClass, FieldChange, SnapshotSpec
from vultr_state.model.registry import OwnedObject
from vultr_state.resources.base import part_digest


def create_digest(desired: DesiredSnapshot) -> str:
    """The digest of the snapshot's source server label."""
    return part_digest(desired.server or "")


def compare(desired: DesiredSnapshot, recorded: OwnedObject | None) -> tuple[FieldChange, ...]:
    """A create-time-only change of the source server, when the registry recorded a different one."""
    if recorded is None or not recorded.create_digest or recorded.create_digest == create_digest(desired):
        return ()
    return (FieldChange("server", None, desired.server, ChangeClass.CREATE_TIME_ONLY),)


def to_spec(desired: DesiredSnapshot) -> SnapshotSpec:
    """What ``snapshot/create`` needs (the server is a label, resolved at apply time)."""
    return SnapshotSpec(description=desired.description, server=desired.server or "")
