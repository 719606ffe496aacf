"""The plan: an ordered tuple of actions, each with classified field changes, plus what was refused.

Built only by ``vultr_state.planner`` (pure); rendered by ``vultr_state.render``; saved and checked by
``vultr_state.planfile``; executed by ``vultr_state.executor``. Field changes never hold a secret:
the planner puts ``sha256:…`` digests in ``old``/``new`` for sensitive fields. Create/update specs may
hold secret bodies (needed to execute) but exclude them from ``repr`` and from saved plan files.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from enum import StrEnum
from typing import Any


class Kind(StrEnum):
    """Resource kinds, in dependency order (keys and scripts before servers, then reverse DNS, then
    snapshots). Destroys run in the reverse order."""

    SSH_KEY = "ssh_key"
    STARTUP_SCRIPT = "startup_script"
    SERVER = "server"
    REVERSE_DNS = "reverse_dns"
    SNAPSHOT = "snapshot"


class ActionType(StrEnum):
    """What an action does. Text symbols: + create, ~ update, -/+ replace, ! reinstall, - destroy/prune,
    = adopt (registry write only)."""

    CREATE = "create"
    UPDATE = "update"
    REINSTALL = "reinstall"
    REPLACE = "replace"
    DESTROY = "destroy"  # the manifest says state: absent
    PRUNE = "prune"  # owned, but no longer in the manifest
    ADOPT = "adopt"  # unowned live object matching a manifest entry: take ownership


class ChangeClass(StrEnum):
    """How a field change is carried out (DESIGN.md section 4)."""

    IN_PLACE = "in-place"  # one call, nothing lost
    REINSTALL = "reinstall"  # disk wiped, address kept
    REPLACE = "replace"  # destroy and create: new address
    CREATE_TIME_ONLY = "create-time-only"  # cannot be changed on a live server; takes effect on replace
    REGISTRY = "registry"  # only the ownership registry changes (e.g. protect)


class Permission(StrEnum):
    """Explicit permissions (CLI flags) that unlock dangerous actions."""

    DESTROY = "allow-destroy"
    PRUNE = "allow-prune"
    REPLACE = "allow-replace"
    REINSTALL = "allow-reinstall"
    FORCE = "force"  # beyond the max_destroy_percent safety valve
    ADOPT_WITH_DAMAGED_REGISTRY = "allow-adopt-with-damaged-registry"  # adopt by identity regardless


@dataclass(frozen=True, slots=True)
class FieldChange:
    """One field that differs. ``old``/``new`` are JSON scalars (digests for sensitive fields)."""

    field: str
    old: Any
    new: Any
    change_class: ChangeClass
    sensitive: bool = False


@dataclass(frozen=True, slots=True)
class SshKeySpec:
    """What to create or update for an SSH key."""

    name: str
    public_key: str = field(repr=False)


@dataclass(frozen=True, slots=True)
class StartupScriptSpec:
    """What to create or update for a startup script."""

    name: str
    type: str
    script: str = field(repr=False)


@dataclass(frozen=True, slots=True)
class ServerSpec:
    """A server as it must be created, with catalog names already resolved to ids.

    ``ssh_keys``, ``startup_script`` and ``snapshot`` are names: the executor resolves them to ids at
    apply time, because they may be created earlier in the same apply.
    """

    label: str
    region_id: str
    plan_id: str
    os_id: str | None  # for a snapshot or ISO boot: the API's placeholder OS, if it has one
    snapshot: str | None = None  # boot from the snapshot with this description
    iso_id: str | None = None  # boot from this ISO
    ssh_keys: tuple[str, ...] = ()
    startup_script: str | None = None
    ipv6: bool = False
    private_network: bool = False
    auto_backups: bool = False
    power: str = "running"
    hostname: str | None = None
    tag: str | None = None
    tags: tuple[str, ...] = ()
    user_data: str | None = field(default=None, repr=False)  # a secret: never rendered or saved
    create_digest: str = ""
    # Display only: the catalog's names of the ids above, for reviewers (None when the catalog has none).
    region_name: str | None = None
    plan_name: str | None = None
    os_name: str | None = None
    iso_name: str | None = None


@dataclass(frozen=True, slots=True)
class ReverseDnsSpec:
    """Reverse DNS names to set on a server (None = leave that address alone)."""

    server: str  # label
    ipv4: str | None = None
    ipv6: str | None = None
    ipv6_extra: tuple[tuple[str, str], ...] = ()


@dataclass(frozen=True, slots=True)
class SnapshotSpec:
    """A snapshot to take of the server labelled ``server``."""

    description: str
    server: str


Spec = SshKeySpec | StartupScriptSpec | ServerSpec | ReverseDnsSpec | SnapshotSpec


@dataclass(frozen=True, slots=True)
class Action:
    """One step of a plan.

    ``key`` (``"<kind>:<name>"``) is unique within a plan; ``depends_on`` lists keys that must finish
    first. ``live_id`` is the existing object's id (None for a create). ``spec`` is the desired object
    for create / update / replace / reinstall (None for destroy, prune and adopt). ``requires`` names
    the permission the action needs, if any.
    """

    key: str
    kind: Kind
    name: str
    type: ActionType
    live_id: str | None = None
    changes: tuple[FieldChange, ...] = ()
    spec: Spec | None = None
    depends_on: tuple[str, ...] = ()
    protect: bool = False
    reason: str = ""
    requires: Permission | None = None

    @property
    def records_only(self) -> bool:
        """True for an update that makes no API call: every change is registry-only or create-time-only
        (recorded in the registry now, in effect when the object is next created)."""
        return (
            self.type is ActionType.UPDATE
            and bool(self.changes)
            and all(c.change_class in _RECORDED_CLASSES for c in self.changes)
        )


_RECORDED_CLASSES = frozenset({ChangeClass.REGISTRY, ChangeClass.CREATE_TIME_ONLY})


@dataclass(frozen=True, slots=True)
class Refusal:
    """Something the plan will not do as asked: a protected object, a missing permission, the
    destroy-share safety valve, an identity clash. ``needs`` says what would unblock it."""

    action_key: str
    message: str
    needs: Permission | None = None


@dataclass(frozen=True, slots=True)
class Plan:
    """The ordered result of comparing a manifest with an account.

    ``fingerprints`` are (``"<kind>:<id>"``, digest) pairs of every live object the plan touches (acts
    on, depends on or could clash with, the registry and the catalog entries it resolves to: see
    ``planner.touches``), used to refuse a stale saved plan; ``unmanaged`` counts live objects per kind
    the project does not own and the manifest does not name; ``registry_digest`` identifies the
    registry content the plan was made against (the executor refuses the plan if another apply changed
    it since).
    """

    project: str
    actions: tuple[Action, ...] = ()
    refusals: tuple[Refusal, ...] = ()
    unmanaged: tuple[tuple[str, int], ...] = ()
    owned_count: int = 0
    fingerprints: tuple[tuple[str, str], ...] = ()
    warnings: tuple[str, ...] = ()
    registry_digest: str = ""  # what the registry recorded when the plan was made (registry_state_digest)
    forget: tuple[tuple[str, str], ...] = ()  # (kind, id) registry entries whose object left the account
    # (server id, names) of managed reverse DNS that already matches: the apply records it in the
    # registry with the names it sets, so that `plan --no-refresh` can compare without reading.
    kept_reverse_dns: tuple[tuple[str, ReverseDnsSpec], ...] = ()
    notes: tuple[str, ...] = ()  # shown under the header: a targeted plan, a plan not refreshed

    @property
    def has_changes(self) -> bool:
        """True when applying the plan would call the API or write the registry."""
        return bool(self.actions)

    def count(self, action_type: ActionType) -> int:
        """How many actions of ``action_type`` the plan holds."""
        return sum(1 for a in self.actions if a.type is action_type)
