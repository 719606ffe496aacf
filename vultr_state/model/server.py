"""API-neutral vocabulary of a server: where it boots from, where it is in its life, its power, and the
typed requests that create or change one.

Used by every layer: the executor builds a ``BootSource`` and a ``ServerCreate`` from each plan's
``ServerSpec``; the providers turn their
wire states into ``InstallState``/``PowerState`` when they read (v1 ``status`` + ``server_state``, v2
``status`` + ``server_status``) and turn ``ServerCreate``/``ServerUpdate``/``BootSource`` into their own
calls (each API has its own way of naming an OS, a snapshot or an ISO to boot). Nothing
above ``vultr_state.providers`` knows how an API spells any of these.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from enum import StrEnum


class BootKind(StrEnum):
    """What a server is installed from."""

    OS = "os"  # an operating system of the catalog
    SNAPSHOT = "snapshot"  # a snapshot of the account
    ISO = "iso"  # an ISO image of the account (or an iPXE chain)


@dataclass(frozen=True, slots=True)
class BootSource:
    """What to install a server from: an OS, snapshot or ISO, by the API's id of it.

    Build one with ``BootSource.os(id)``, ``BootSource.snapshot(id)`` or ``BootSource.iso(id)``.
    """

    kind: BootKind
    id: str

    @classmethod
    def os(cls, os_id: str) -> BootSource:
        """Install the catalog OS ``os_id``."""
        return cls(BootKind.OS, os_id)

    @classmethod
    def snapshot(cls, snapshot_id: str) -> BootSource:
        """Restore the account's snapshot ``snapshot_id``."""
        return cls(BootKind.SNAPSHOT, snapshot_id)

    @classmethod
    def iso(cls, iso_id: str) -> BootSource:
        """Boot the account's ISO ``iso_id``."""
        return cls(BootKind.ISO, iso_id)


class InstallState(StrEnum):
    """Where a server is in its life, in words that mean the same on every API.

    ``PENDING``: ordered, still being provisioned (no usable address yet). ``INSTALLING``: provisioned
    but locked while an install or reinstall runs. ``BOOTING``: installed, not yet fully booted.
    ``READY``: installed and booted. ``RESIZING``: a plan change is in progress (v2). ``SUSPENDED``:
    suspended by Vultr. ``UNKNOWN``: a state the provider does not know (treated as not ready).
    """

    PENDING = "pending"
    INSTALLING = "installing"
    BOOTING = "booting"
    READY = "ready"
    RESIZING = "resizing"
    SUSPENDED = "suspended"
    UNKNOWN = "unknown"

    @property
    def active(self) -> bool:
        """True once provisioning is over (the server has its addresses): installing, booting or ready."""
        return self in (InstallState.INSTALLING, InstallState.BOOTING, InstallState.READY)

    @property
    def phase(self) -> str:
        """The coarse phase users see in ``show`` and messages: pending, active, suspended or unknown."""
        return "active" if self.active else self.value


class PowerState(StrEnum):
    """Whether a server runs. The values are those both APIs use, so fingerprints stay stable."""

    RUNNING = "running"
    STOPPED = "stopped"
    UNKNOWN = ""


class SnapshotState(StrEnum):
    """Whether a snapshot can be used yet."""

    PENDING = "pending"
    COMPLETE = "complete"
    UNKNOWN = ""


@dataclass(frozen=True, slots=True)
class ServerCreate:
    """Everything a server is created with, names already resolved to the API's ids.

    Built by the executor from a plan's ``ServerSpec`` once the SSH keys, startup script and snapshot it
    names exist; consumed by ``Operations.create_server``.

    Attributes:
        label: The server's identity.
        region_id: The catalog region id.
        plan_id: The catalog plan id.
        boot: What to install.
        ssh_key_ids: Keys to install (create-time only).
        startup_script_id: Script to run (create-time only), or None.
        ipv6: Assign an IPv6 network.
        private_network: Attach a private network.
        auto_backups: Enable automatic backups.
        hostname: Hostname set on the server, or None for the API's default.
        tag: Tag of the server, or None for none (v1's single tag).
        tags: Tags of the server (v2; the provider adds its reserved owner tag).
        user_data: Cloud-init user data as plain text (a secret: never logged; the provider
            base64-encodes it on the wire), or None for none.
    """

    label: str
    region_id: str
    plan_id: str
    boot: BootSource
    ssh_key_ids: tuple[str, ...] = ()
    startup_script_id: str | None = None
    ipv6: bool = False
    private_network: bool = False
    auto_backups: bool = False
    hostname: str | None = field(default=None)
    tag: str | None = None
    tags: tuple[str, ...] = ()
    user_data: str | None = field(default=None, repr=False)


@dataclass(frozen=True, slots=True)
class ServerUpdate:
    """In-place changes of a live server; a None field is left as it is.

    Attributes:
        label: The new label.
        tag: The new tag ("" clears it).
        tags: The new user tags (v2; the provider keeps its reserved owner tag).
        plan_id: A bigger plan to move to (v1 ``server/upgrade_plan``, v2 ``PATCH plan``; an upgrade
            only: a downgrade is a replace). The server reboots and, on v2, is ``resizing`` for a while.
        enable_ipv6: True assigns an IPv6 network (neither API can take it away in place).
        private_network: True attaches a private network (v1 only; a replace elsewhere).
        auto_backups: True enables automatic backups, False disables them.
    """

    label: str | None = None
    tag: str | None = None
    tags: tuple[str, ...] | None = None
    plan_id: str | None = None
    enable_ipv6: bool | None = None
    private_network: bool | None = None
    auto_backups: bool | None = None

    @property
    def empty(self) -> bool:
        """True when nothing would change."""
        return all(getattr(self, name) is None for name in self.__slots__)
