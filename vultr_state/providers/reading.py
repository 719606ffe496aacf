"""The API-neutral half of every provider's ``read``: ownership, hiding, reverse-DNS selection, order.

A provider's ``read(scope)`` lists the account and converts each record to the model (its own, wire-
specific half), then hands the results to ``assemble``, which:

1. decodes the project's registry (and the other projects') from the blobs (``registry.ownership``),
   refusing one written through the other API;
2. leaves out the registry scripts, and with ``scope.hide_other_projects`` the objects other projects own;
3. picks the servers whose reverse DNS the scope asks for (by label, or by the name the registry recorded
   for an owned server whose label drifted; only active servers, which have addresses) and calls the
   provider's per-server reader for each, in id order;
4. sorts every collection with ``id_order``.

So v1 and v2 read the same things in the same order and differ only in how they list and convert.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass

from vultr_state.model.live import (
    Catalog,
    Live,
    LiveReverseDns,
    LiveServer,
    LiveSnapshot,
    LiveSshKey,
    LiveStartupScript,
    id_order,
)
from vultr_state.model.registry import Blob
from vultr_state.providers.base import ReadScope, ReverseDnsWanted
from vultr_state.registry.codec import is_registry_script
from vultr_state.registry.ownership import visible

# Reads one server's reverse DNS: (server, read IPv6 too) -> its entries.
ReverseDnsReader = Callable[[LiveServer, bool], LiveReverseDns]


@dataclass(frozen=True, slots=True)
class Listed:
    """What a provider listed and converted, before ownership is applied.

    ``scripts`` holds the user scripts and ``blobs`` the registry records (a provider sorts its
    startup scripts into the two with ``is_registry_script`` on the name); ``api`` names the provider's
    API, which the registries must record (or not record at all).
    """

    catalog: Catalog
    ssh_keys: Sequence[LiveSshKey]
    scripts: Sequence[LiveStartupScript]
    blobs: Sequence[Blob]
    servers: Sequence[LiveServer]
    snapshots: Sequence[LiveSnapshot]
    api: str = ""


def is_blob_name(name: str) -> bool:
    """True when a startup script of this name holds a registry part (of any project)."""
    return is_registry_script(name)


def assemble(scope: ReadScope, listed: Listed, read_reverse_dns: ReverseDnsReader) -> Live:
    """The ``Live`` a provider's ``read(scope)`` returns (see the module docstring).

    Raises:
        PlanError: the project's registry is corrupt or ambiguous.
        ApiError: from ``read_reverse_dns``.
    """
    view = visible(scope.project, listed.blobs, hide_other_projects=scope.hide_other_projects, api=listed.api)
    servers = _sorted(s for s in listed.servers if view.shows("server", s.id))
    owned_names = {o.id: o.name for o in view.registry.owned if o.kind == "server"}
    reverse_dns = []
    for server in servers:
        wanted = scope.reverse_dns.get(server.label) or scope.reverse_dns.get(owned_names.get(server.id, ""))
        if scope.every_reverse_dns:
            wanted = ReverseDnsWanted(ipv6=True)
        if wanted is None or not server.install.active:
            continue  # addresses exist only once a server is active; a pending one shows as to-be-set
        reverse_dns.append(read_reverse_dns(server, wanted.ipv6 and server.ipv6_enabled))
    return Live(
        catalog=listed.catalog,
        ssh_keys=_sorted(k for k in listed.ssh_keys if view.shows("ssh_key", k.id)),
        startup_scripts=_sorted(s for s in listed.scripts if view.shows("startup_script", s.id)),
        servers=servers,
        snapshots=_sorted(s for s in listed.snapshots if view.shows("snapshot", s.id)),
        reverse_dns=tuple(reverse_dns),
        registry=view.registry,
        other_registries=view.others,
        unreadable_registries=view.unreadable,
    )


def _sorted(items: Iterable) -> tuple:
    return tuple(sorted(items, key=lambda item: id_order(item.id)))
