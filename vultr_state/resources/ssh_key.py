"""SSH keys: identified by name; name and body change in place (``sshkey/update``).

Called by the planner to compare a manifest key with a live one and to build the create/update spec.
The body is compared with whitespace folded (the API may trim it) and shown only as a digest.
"""

from __future__ import annotations

from vultr_state.model.desired import DesiredSshKey
from vultr_state.model.live import LiveSshKey
from vultr_state.model.plan import ChangeClass, FieldChange, Kind, SshKeySpec
from vultr_state.resources.base import FieldRule, ResourceSpec

SPEC = ResourceSpec(
    kind=Kind.SSH_KEY,
    identity="name",
    rules={
        "name": FieldRule(ChangeClass.IN_PLACE),
        "public_key": FieldRule(ChangeClass.IN_PLACE, sensitive=True),
    },
)


def _folded(public_key: str | None) -> str:
    return " ".join((public_key or "").split())


def compare(desired: DesiredSshKey, live: LiveSshKey) -> tuple[FieldChange, ...]:
    """The changes that turn ``live`` into ``desired`` (all in place)."""
    return SPEC.classify(
        {"name": live.name, "public_key": _folded(live.public_key)},
        {"name": desired.name, "public_key": _folded(desired.public_key)},
    )


def to_spec(desired: DesiredSshKey) -> SshKeySpec:
    """What to send to ``sshkey/create`` or ``sshkey/update``."""
    return SshKeySpec(name=desired.name, public_key=(desired.public_key or "").strip())
