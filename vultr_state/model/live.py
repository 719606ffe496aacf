"""The live state: what the account holds, read once per plan through the provider's list endpoints.

Built only by a provider's ``read`` (``vultr_state.providers.base.Provider``), which converts its wire
records into these API-neutral objects; read by the planner, the plan file (fingerprints), ``show`` and
``export``. Ids are opaque strings; states are the neutral ``InstallState``/``PowerState``/
``SnapshotState`` and a server's boot source kind is a ``BootKind`` (``vultr_state.model.server``).
Server-side secrets that the API returns (default passwords) are dropped before they get here;
startup-script bodies are kept (the planner compares digests of them) but are excluded from ``repr``.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from vultr_state.model.registry import Registry
from vultr_state.model.server import BootKind, InstallState, PowerState, SnapshotState

_DIGITS = re.compile(r"[0-9]+")


def id_order(object_id: str) -> tuple[int, int, str]:
    """The one sort key of ids: numeric ids (v1) in numeric order, the others (v2 UUIDs) after them,
    alphabetically. Every collection of ``Live`` is sorted with it, so plans are deterministic."""
    if _DIGITS.fullmatch(object_id):
        return (0, len(object_id), object_id)
    return (1, 0, object_id)


@dataclass(frozen=True, slots=True)
class CatalogRegion:
    """A region of the catalog."""

    id: str
    name: str
    code: str = ""
    country: str = ""


@dataclass(frozen=True, slots=True)
class CatalogPlan:
    """A plan of the catalog, with the ids of the regions where it can be ordered, its monthly price in
    USD (None when the catalog does not give one), its family (v1 ``plan_type`` such as "SSD", v2
    ``type`` such as "vc2"; "" when unknown) and its disk size in GB (None when unknown). The planner
    tells an in-place upgrade from a downgrade with the last three (``resources.server.is_upgrade``)."""

    id: str
    name: str
    available_locations: tuple[str, ...] = ()
    monthly_cost: float | None = None
    family: str = ""
    disk_gb: int | None = None


@dataclass(frozen=True, slots=True)
class CatalogOs:
    """An operating system of the catalog. ``boot`` is ``OS`` for a real system; an API whose servers
    booted from a snapshot or ISO report a placeholder entry (v1: "Snapshot", "Custom") marks it with
    that boot kind, so the planner can name it without knowing the API's ids."""

    id: str
    name: str
    family: str = ""
    boot: BootKind = BootKind.OS


@dataclass(frozen=True, slots=True)
class CatalogIso:
    """An ISO image of the account."""

    id: str
    filename: str
    status: str = ""


@dataclass(frozen=True, slots=True)
class Catalog:
    """The public catalog a manifest's region/plan/os names are resolved against."""

    regions: tuple[CatalogRegion, ...] = ()
    plans: tuple[CatalogPlan, ...] = ()
    oses: tuple[CatalogOs, ...] = ()
    isos: tuple[CatalogIso, ...] = ()

    def placeholder_os(self, boot: BootKind) -> str | None:
        """The id of the OS entry servers booted from ``boot`` report, if the catalog has one."""
        return next((o.id for o in self.oses if o.boot is boot), None)


@dataclass(frozen=True, slots=True)
class LiveSshKey:
    """An SSH key in the account."""

    id: str
    name: str
    public_key: str = field(repr=False)
    date_created: str | None = None


@dataclass(frozen=True, slots=True)
class LiveStartupScript:
    """A startup script in the account. ``script`` is a secret: never print it.

    ``body_digest`` is set instead of ``script`` when the body was not read because the registry knows
    it (v2: the listed ``date_modified`` is the one recorded at the last apply): ``script`` is then
    empty and the body is the one with this digest."""

    id: str
    name: str
    type: str
    script: str = field(repr=False)
    date_created: str | None = None
    date_modified: str | None = None
    body_digest: str | None = None


@dataclass(frozen=True, slots=True)
class LiveServer:
    """A server in the account. Addresses are None until assigned.

    ``os_id`` is the catalog OS the API reports (for a server booted from a snapshot or ISO that is the
    API's placeholder entry, whose catalog name reads e.g. "Snapshot"); ``boot`` says which kind of
    source it was installed from (v2 cannot always tell: its capabilities say the boot source is not
    read back, and the planner trusts the registry's create digest instead). ``tag`` is v1's single
    tag (on v2 the first user tag); ``tags`` the user tags (v2's list, v1's tag as a one-tuple), the
    reserved ``vultr-state:<project>`` tags already left out; ``hostname`` is None where the API does
    not read it back (v1).
    """

    id: str
    label: str
    region_id: str
    plan_id: str
    os_id: str
    os_name: str
    boot: BootKind
    install: InstallState
    power: PowerState
    main_ip: str | None
    v6_main_ip: str | None
    v6_network: str | None
    internal_ip: str | None
    auto_backups: bool
    tag: str = ""
    date_created: str | None = None
    owners: tuple[str, ...] = ()  # projects whose owner tag the server carries (v2): a hint, no authority
    tags: tuple[str, ...] = ()
    hostname: str | None = None

    @property
    def ipv6_enabled(self) -> bool:
        """True when the server has an IPv6 network."""
        return self.v6_network is not None or self.v6_main_ip is not None

    @property
    def ready(self) -> bool:
        """True when the server is active with a real main IPv4 address."""
        return self.install.active and self.main_ip is not None


@dataclass(frozen=True, slots=True)
class LiveReverseDns:
    """Reverse DNS entries of one server: (address, name) pairs for IPv4 and IPv6."""

    server_id: str
    ipv4: tuple[tuple[str, str], ...] = ()
    ipv6: tuple[tuple[str, str], ...] = ()


@dataclass(frozen=True, slots=True)
class LiveSnapshot:
    """A snapshot in the account."""

    id: str
    description: str
    state: SnapshotState
    size: str = "0"
    os_id: str = ""
    date_created: str | None = None


@dataclass(frozen=True, slots=True)
class UnreadableRegistry:
    """Another project's registry that could not be decoded: which project, and what is wrong with it.

    While one exists, that project's objects look unowned to every other project, so the planner warns
    and refuses adoption by identity (they could be that project's objects).
    """

    project: str
    problem: str


@dataclass(frozen=True, slots=True)
class Live:
    """Everything one plan read from the account.

    ``startup_scripts`` excludes the registry script(s); ``registry`` is the parsed ownership
    registry of the manifest's project (empty when none exists yet) and ``other_registries`` those of
    the other projects in the account, by project name (``show`` and ``export`` name owners with them);
    ``unreadable_registries`` the other projects' registries found damaged (sorted by project);
    ``reverse_dns`` holds entries only for the servers whose manifest entry manages reverse DNS.
    """

    catalog: Catalog = field(default_factory=Catalog)
    ssh_keys: tuple[LiveSshKey, ...] = ()
    startup_scripts: tuple[LiveStartupScript, ...] = ()
    servers: tuple[LiveServer, ...] = ()
    snapshots: tuple[LiveSnapshot, ...] = ()
    reverse_dns: tuple[LiveReverseDns, ...] = ()
    registry: Registry = field(default_factory=lambda: Registry(project=""))
    other_registries: tuple[Registry, ...] = ()
    unreadable_registries: tuple[UnreadableRegistry, ...] = ()
