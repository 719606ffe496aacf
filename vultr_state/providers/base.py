"""The provider boundary: what every Vultr API (v1, v2) offers to the API-neutral code above it.

Everything above this module (planner, executor, registry, render, planfile, exporter) is written once
and sees only these interfaces and the frozen models of ``vultr_state.model``; everything below it
(``vultr_state.providers.v1``, ``vultr_state.providers.v2``) exists once per API and is the only code that
builds a wire request or reads a wire dict. The shape follows octoDNS providers and Terraform's provider
CRUD: one reader of the whole account, typed create/update/delete operations, and declared capabilities.

A provider is four things::

    Provider
      .capabilities   Capabilities   data for the pure planner (vultr_state.model.capabilities)
      .read(scope)    -> Live        the one reader of account state
      .operations     Operations     typed actions for the executor
      .blobs          BlobStore      the named text records the ownership registry lives in
      .calls, .close()               request counter (tests, benchmarks) and connection cleanup

Conventions every provider keeps:

- Ids are opaque strings (v1 ``"576965"``, v2 UUIDs). Nobody above the boundary parses or orders them
  by meaning; collections in ``Live`` are sorted with ``id_order``.
- Every method may raise the ``ApiError`` tree of ``vultr_state.errors``, with ``call`` naming the wire
  call and ``message`` the API's own (scrubbed) text. Nothing else escapes: no ``KeyError`` from a
  strange body, no ``requests`` exception. A missing API key raises ``ConfigError``.
- Rate limiting and retries are the provider's (through ``vultr_state.http``): one shared limiter per
  provider instance, every method safe to call from several threads at once. GETs and idempotent writes
  are retried on rate limits, 5xx and transport errors; a create is retried only when it provably never
  reached the API.
- A create whose answer is lost (5xx, dropped connection, unreadable body after the request may have
  been processed) raises ``ApiOutcomeUnknown``: the object may exist. The provider never re-sends it;
  the executor lists (``Operations.list_*`` / ``BlobStore.list``) and adopts what appeared.
- "Gone" is the provider's decision, surfaced as ``ObjectGone``: v1 reads it from a 412 text ("Invalid
  server", "already pending destruction"), v2 from a 404. The executor never matches texts.
- Secrets (the API key, script bodies, public keys, user data, default passwords) never appear in a log
  line, an error message or a ``repr``. Server default passwords are dropped at read time.

The table of providers, and the only place that picks one, is the CLI (``vultr_state.cli``): adding an
API is one entry there plus its ``providers/<api>/`` package.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from types import MappingProxyType
from typing import Protocol

from vultr_state.model.capabilities import Capabilities
from vultr_state.model.desired import Desired, Ensure
from vultr_state.model.live import Live, LiveServer, LiveSnapshot, id_order
from vultr_state.model.plan import Kind
from vultr_state.model.registry import Blob
from vultr_state.model.server import BootSource, ServerCreate, ServerUpdate

__all__ = [
    "BlobStore",
    "Capabilities",
    "Operations",
    "Provider",
    "ReadScope",
    "ReverseDnsWanted",
    "id_order",
    "read_live",
]


@dataclass(frozen=True, slots=True)
class ReverseDnsWanted:
    """Which reverse-DNS names of one server a plan compares.

    Attributes:
        ipv6: Also read the IPv6 entries (only done when the server has IPv6).
    """

    ipv6: bool = False


@dataclass(frozen=True, slots=True)
class ReadScope:
    """What ``Provider.read`` must read beyond the list endpoints: the per-object reads a plan needs.

    Build it from a manifest with ``ReadScope.for_manifest``; ``ReadScope(project=...)`` alone reads
    only the lists (what ``show`` and ``export`` need, besides ``hide_other_projects=False``).

    Attributes:
        project: The manifest's project: selects the registry decoded into ``Live.registry``.
        reverse_dns: Label -> what to read, for servers whose manifest entry manages reverse DNS. The
            provider reads the names of each active listed server whose label is here, or whose name
            in the project's registry is here (an owned server whose label drifted). Servers not yet
            active have no addresses: they get no ``LiveReverseDns`` entry.
        script_bodies: Names of startup scripts whose bodies the plan compares; None means all. v1 lists
            carry every body, so it ignores this; v2 lists omit bodies, so it fetches exactly these
            (plus every registry blob, always).
        every_reverse_dns: Read the reverse DNS of every active server, IPv6 included where it has IPv6
            (``export`` writes them all into the manifest).
        isos: Read the account's ISOs into ``Live.catalog.isos`` (only when a manifest boots one).
        hide_other_projects: Leave out objects other projects' registries own (what a plan wants);
            ``show`` and ``export`` see the whole account.
    """

    project: str
    reverse_dns: Mapping[str, ReverseDnsWanted] = field(default_factory=lambda: MappingProxyType({}))
    script_bodies: frozenset[str] | None = None
    every_reverse_dns: bool = False
    isos: bool = False
    hide_other_projects: bool = True

    @classmethod
    def for_manifest(cls, desired: Desired, *, hide_other_projects: bool = True) -> ReadScope:
        """The scope a plan of ``desired`` needs: reverse DNS of the present servers that manage it,
        the bodies of the scripts it names, ISOs when a server boots one (for an entry with
        ``renamed_from``, its old name too: the owned object still carries it until the rename)."""
        reverse_dns = {
            name: ReverseDnsWanted(ipv6=s.reverse_dns.ipv6 is not None or bool(s.reverse_dns.ipv6_extra))
            for s in desired.servers
            if s.state is Ensure.PRESENT and s.reverse_dns is not None
            for name in (s.label, s.renamed_from)
            if name
        }
        return cls(
            project=desired.project,
            reverse_dns=MappingProxyType(reverse_dns),
            script_bodies=frozenset(
                n for s in desired.startup_scripts for n in (s.name, s.renamed_from) if n
            ),
            isos=desired.uses_iso,
            hide_other_projects=hide_other_projects,
        )


class BlobStore(Protocol):
    """Named text records in the account: where the ownership registry lives (v1 and v2: startup
    scripts named ``vultr-state:<project>[:<part>]``, bodies plain on v1, base64 on v2).

    The store is dumb on purpose: no locking, no compare-and-swap (neither API offers one). The registry
    package (``vultr_state.registry``) builds naming, splitting, the advisory lock and the lost-create
    rules on top of it.
    """

    def list(self, prefix: str) -> tuple[Blob, ...]:
        """Every record whose name starts with ``prefix``, bodies decoded, sorted by ``id_order``.

        One list call (v1: ``startupscript/list``; v2: its pages, then one read per record for bodies).
        """
        ...

    def create(self, name: str, body: str) -> str:
        """Create a record; return its id.

        Raises:
            ApiOutcomeUnknown: the answer was lost; the record may exist (look with ``list``).
        """
        ...

    def update(self, blob_id: str, name: str, body: str) -> None:
        """Overwrite the name and body of a record (idempotent; retried by the pipeline)."""
        ...

    def delete(self, blob_id: str) -> None:
        """Delete a record.

        Raises:
            ObjectGone: it was already gone (callers usually count that as done).
        """
        ...

    def modified_dates(self) -> Mapping[str, str]:
        """``date_modified`` of every startup script (records and user scripts alike) as the last
        ``list`` showed it, by id; empty on an API whose lists carry the bodies (v1), where the registry
        need not remember when a script last changed."""
        ...


class Operations(Protocol):
    """The typed actions the executor carries a plan out with. One method per thing a plan does; no wire
    vocabulary in or out. Each method sends the API call(s) it names and returns when the API accepted
    them; waiting for a server or snapshot to become ready is the executor's job (``list_servers`` /
    ``list_snapshots``).

    Idempotency, per method: ``update_*``, ``set_reverse_dns``, ``reset_reverse_dns``, ``update_server``
    and ``power_off`` end in the same state however often they are sent (the provider may retry them).
    ``create_*``, ``power_on`` (v1 restarts a running server), ``reinstall`` and ``snapshot_server`` do
    something again when repeated: after an ambiguous failure they raise ``ApiOutcomeUnknown`` and the
    executor looks before it acts again. ``destroy`` is retried, and raises ``ObjectGone`` when the object
    is already gone (also when a retry after an ambiguous failure finds it gone).
    """

    # -- SSH keys and startup scripts ---------------------------------------------------------------------

    def create_ssh_key(self, name: str, public_key: str) -> str:
        """Store a public key; return the new key's id.

        Raises:
            ApiOutcomeUnknown: the answer was lost; the key may exist.
        """
        ...

    def update_ssh_key(self, key_id: str, *, name: str | None = None, public_key: str | None = None) -> None:
        """Rename a key and/or replace its body (None leaves a field as it is)."""
        ...

    def create_startup_script(self, name: str, script: str, script_type: str) -> str:
        """Store a ``boot`` or ``pxe`` script; return its id.

        Raises:
            ApiOutcomeUnknown: the answer was lost; the script may exist.
        """
        ...

    def update_startup_script(
        self, script_id: str, *, name: str | None = None, script: str | None = None
    ) -> None:
        """Rename a script and/or replace its body (None leaves a field as it is)."""
        ...

    # -- servers ------------------------------------------------------------------------------------------

    def create_server(self, request: ServerCreate) -> str:
        """Order a server; return its id at once (it is then pending: see ``list_servers``).

        Raises:
            ApiOutcomeUnknown: the answer was lost; the server may exist (v1 and v2 both may take a few
                seconds to list it).
        """
        ...

    def update_server(self, server_id: str, update: ServerUpdate) -> None:
        """Change the fields of ``update`` that are not None, in place: label, tag(s), backups, enabling
        IPv6 or (v1) a private network, a plan upgrade (the server reboots; v2 shows ``resizing`` until
        done, so the executor waits for it).

        Raises:
            PlanError: a change this API cannot make in place (a plan it does not offer as an upgrade,
                turning IPv6 off...): the planner should have made it a replace.
        """
        ...

    def plan_available(self, region_id: str, plan_id: str) -> bool:
        """Whether ``plan_id`` can be ordered in ``region_id`` right now (the executor asks before a
        replace destroys the old server; one call)."""
        ...

    def power_on(self, server_id: str) -> None:
        """Start a stopped server (not idempotent on v1: a running server is restarted).

        Raises:
            ApiOutcomeUnknown: the answer was lost; look at ``LiveServer.power`` before sending again.
        """
        ...

    def power_off(self, server_id: str) -> None:
        """Hard power-off (idempotent)."""
        ...

    def reinstall(self, server_id: str, boot: BootSource | None, *, hostname: str | None = None) -> None:
        """Wipe the disk and install ``boot`` (an OS: change/reinstall the OS; a snapshot: restore it;
        an ISO: v1 changes to its custom OS, since it attaches an ISO only at create; None: reinstall
        what is installed). ``hostname`` sets the host name as part of it (v2's only way to change one).
        Addresses are kept.

        Raises:
            ApiOutcomeUnknown: the answer was lost; the install may have started (for an OS, compare
                ``LiveServer.os_id`` before sending again).
        """
        ...

    def set_reverse_dns(self, server_id: str, address: str, name: str) -> None:
        """Set the PTR name of one of the server's addresses (IPv4 or one inside its IPv6 network)."""
        ...

    def reset_reverse_dns(self, server_id: str, address: str) -> None:
        """Stop managing the PTR of one address: IPv4 back to the API's default, IPv6 entry removed."""
        ...

    # -- snapshots ----------------------------------------------------------------------------------------

    def snapshot_server(self, server_id: str, description: str) -> str:
        """Take a snapshot of a server; return the snapshot's id (it is pending until complete).

        Raises:
            ApiOutcomeUnknown: the answer was lost; the snapshot may exist.
        """
        ...

    def rename_snapshot(self, snapshot_id: str, description: str) -> None:
        """Change a snapshot's description (v2 ``PUT /snapshots/{id}``; idempotent).

        Raises:
            PlanError: the API cannot (v1 sets a description only when the snapshot is taken; its
                ``Capabilities`` say so, so the planner never plans it there).
        """
        ...

    # -- every kind ---------------------------------------------------------------------------------------

    def destroy(self, kind: Kind, object_id: str) -> None:
        """Destroy an SSH key, startup script, server or snapshot.

        Raises:
            ObjectGone: it is already gone or being destroyed (the executor counts that as done).
            ApiRequestFailed: the API refused (v1: a server younger than 5 minutes, a locked server).
        """
        ...

    # -- what the waiter and the lost-create look list ----------------------------------------------------

    def list_servers(self) -> tuple[LiveServer, ...]:
        """Every server of the account, converted like ``Provider.read`` does (one list call, or its
        pages). The executor's waiter calls it once per polling round for all pending servers, and the
        lost-create look calls it to find a server by label."""
        ...

    def list_snapshots(self) -> tuple[LiveSnapshot, ...]:
        """Every snapshot of the account (one list call, or its pages); like ``list_servers``."""
        ...

    def list_names(self, kind: Kind) -> tuple[tuple[str, str], ...]:
        """``(id, identity)`` of every object of ``kind`` (name, label or description), one list call:
        what the executor resolves names and adopts lost creates with."""
        ...


class Provider(Protocol):
    """One Vultr API behind the boundary. Built by the CLI from its table of providers.

    Attributes:
        capabilities: What the planner must know about this API.
        operations: The typed actions (all through one rate limiter, shared with ``read`` and ``blobs``).
        blobs: Where the registry lives.
    """

    capabilities: Capabilities
    operations: Operations
    blobs: BlobStore

    def read(self, scope: ReadScope) -> Live:
        """Read everything a plan needs from the account, in a bounded number of calls: one per list
        endpoint (v2: one per page), plus only the per-object reads ``scope`` asks for. Providers do the
        wire half themselves and hand the rest to ``vultr_state.providers.reading.assemble``.

        The result is neutral: wire field names, ``yes``/``no`` flags and states are converted; the
        project's registry is decoded into ``Live.registry`` and its scripts left out of
        ``Live.startup_scripts``, the other projects' registries into ``Live.other_registries``; with
        ``scope.hide_other_projects`` the objects other projects own (and
        their registries) are left out too. Every collection is sorted with ``id_order``.

        Raises:
            ApiError: a call failed.
            PlanError: the project's registry is corrupt or ambiguous.
        """
        ...

    @property
    def calls(self) -> int:
        """HTTP requests sent so far, retries included (tests and benchmarks count them)."""
        ...

    def close(self) -> None:
        """Release pooled connections."""
        ...


def read_live(provider: Provider, desired: Desired, *, hide_other_projects: bool = True) -> Live:
    """``provider.read`` with the scope a plan of ``desired`` needs (``ReadScope.for_manifest``)."""
    return provider.read(ReadScope.for_manifest(desired, hide_other_projects=hide_other_projects))
