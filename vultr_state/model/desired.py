"""The desired state: what a manifest asks for, after loading, validation and reference checks.

Built only by ``vultr_state.manifest`` (the loader); read by the planner, the plan file and the CLI.
Catalog names (region, plan, OS) are kept as written: they are resolved against the live catalog at
plan time. Bodies read from files (public keys, scripts, user data) are already inlined here.
``renamed_from`` (every kind) names the identity an entry had before: the planner renames the owned
object of that name in place instead of creating and pruning.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from enum import StrEnum

from vultr_state.errors import ManifestIssue, SourceLocation


class Ensure(StrEnum):
    """Whether an entry must exist (``present``) or be destroyed (``absent``)."""

    PRESENT = "present"
    ABSENT = "absent"


class Power(StrEnum):
    """The power state a server should be kept in."""

    RUNNING = "running"
    STOPPED = "stopped"


class ScriptType(StrEnum):
    """When Vultr runs a startup script: by the OS on first boot, or by iPXE at start-up."""

    BOOT = "boot"
    PXE = "pxe"


@dataclass(frozen=True, slots=True)
class ReverseDns:
    """Reverse DNS a server manages. ``None`` means "not managed" for that address."""

    ipv4: str | None = None
    ipv6: str | None = None
    ipv6_extra: tuple[tuple[str, str], ...] = ()  # (IPv6 address inside the server's /64, name)


@dataclass(frozen=True, slots=True)
class DesiredSshKey:
    """An SSH key, identified by ``name``. ``public_key`` is None only when ``state`` is absent."""

    name: str
    public_key: str | None
    state: Ensure = Ensure.PRESENT
    protect: bool = False
    location: SourceLocation | None = field(default=None, compare=False)
    renamed_from: str | None = None


@dataclass(frozen=True, slots=True)
class DesiredStartupScript:
    """A startup script, identified by ``name``. ``script`` is a secret: never print it."""

    name: str
    script: str | None = field(repr=False)
    type: ScriptType = ScriptType.BOOT
    state: Ensure = Ensure.PRESENT
    protect: bool = False
    location: SourceLocation | None = field(default=None, compare=False)
    renamed_from: str | None = None


@dataclass(frozen=True, slots=True)
class DesiredServer:
    """A server, identified by ``label``. At most one of os / snapshot / iso names its boot source.

    ``region``, ``plan`` and ``os`` are catalog names or ids exactly as written (after defaults were
    applied). ``snapshot`` is a snapshot description, ``iso`` an ISO filename, ``ssh_keys`` and
    ``startup_script`` are names of manifest (or live) entries. All of them are None/empty when
    ``state`` is absent. ``tag`` is v1's single tag, ``tags`` v2's list (reserved ``vultr-state:`` tags
    are refused by the loader). ``user_data`` is a secret handed to the server at creation: never
    print it.
    """

    label: str
    region: str | None = None
    plan: str | None = None
    os: str | None = None
    snapshot: str | None = None
    iso: str | None = None
    ssh_keys: tuple[str, ...] = ()
    startup_script: str | None = None
    ipv6: bool = False
    private_network: bool = False
    auto_backups: bool = False
    power: Power = Power.RUNNING
    hostname: str | None = None
    tag: str | None = None
    reverse_dns: ReverseDns | None = None
    state: Ensure = Ensure.PRESENT
    protect: bool = False
    location: SourceLocation | None = field(default=None, compare=False)
    tags: tuple[str, ...] = ()
    user_data: str | None = field(default=None, repr=False)
    renamed_from: str | None = None
    # Where region, plan, os and iso were written (the entry, or defaults): catalog problems point there.
    field_locations: tuple[tuple[str, SourceLocation], ...] = field(default=(), compare=False)

    def location_of(self, name: str) -> SourceLocation | None:
        """Where field ``name`` (``region``, ``plan``, ``os``, ``iso``) was written; else the entry's."""
        return dict(self.field_locations).get(name, self.location)


CATALOG_FIELDS = ("region", "plan", "os", "iso")


@dataclass(frozen=True, slots=True)
class DesiredSnapshot:
    """A snapshot, identified by ``description``, taken from the server labelled ``server``."""

    description: str
    server: str | None = None
    state: Ensure = Ensure.PRESENT
    protect: bool = False
    location: SourceLocation | None = field(default=None, compare=False)
    renamed_from: str | None = None


@dataclass(frozen=True, slots=True)
class Safety:
    """Safety valves: a plan that destroys or replaces more than ``max_destroy_percent`` of the owned
    objects is refused without --force, once at least ``min_owned`` objects are owned."""

    max_destroy_percent: int = 30
    min_owned: int = 10


@dataclass(frozen=True, slots=True)
class Desired:
    """A whole manifest (one file or a directory of files), validated.

    ``sources`` are the files it was read from, in load order; ``warnings`` are problems that do not stop
    the manifest from loading (each with its location), for the CLI to show. A saved plan records a
    digest of the rest (``manifest.manifest_digest``).
    """

    project: str
    ssh_keys: tuple[DesiredSshKey, ...] = ()
    startup_scripts: tuple[DesiredStartupScript, ...] = ()
    servers: tuple[DesiredServer, ...] = ()
    snapshots: tuple[DesiredSnapshot, ...] = ()
    safety: Safety = field(default_factory=Safety)
    sources: tuple[str, ...] = ()
    warnings: tuple[ManifestIssue, ...] = field(default=(), compare=False)

    @property
    def uses_iso(self) -> bool:
        """True when some present server boots from an ISO (so the plan must read iso/list)."""
        return any(s.iso for s in self.servers if s.state is Ensure.PRESENT)
