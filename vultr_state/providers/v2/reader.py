"""``read(scope) -> Live`` on v2: every list once (one call per page of 500), then only the per-object
reads the scope asks for.

Called by ``V2Provider.read``. The calls, for a plan:

- the catalog: ``/regions``, ``/plans``, ``/os`` (and ``/iso`` when a manifest boots one);
- the account: ``/ssh-keys``, ``/startup-scripts``, ``/instances``, ``/snapshots``;
- startup-script bodies, which v2 lists omit: one ``GET /startup-scripts/{id}`` for each registry script
  (this project's, and the other projects' ones when their objects must be hidden) and for each user
  script whose name the scope lists;
- reverse DNS, only for active servers whose manifest entry manages it (by label, or by the name the
  registry recorded for an owned server whose label drifted): ``GET /instances/{id}/ipv4``, plus
  ``GET /instances/{id}/ipv6/reverse`` when IPv6 names are managed and the server has IPv6.

The registry scripts are decoded into ``Live.registry`` and never appear among the user's scripts;
with ``scope.hide_other_projects`` every object another project's registry owns is left out.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import replace
from typing import Any, Protocol, TypeVar

from vultr_state.http.pipeline import Auth
from vultr_state.model.live import Live, LiveReverseDns, LiveServer, LiveStartupScript
from vultr_state.model.registry import Registry
from vultr_state.providers.base import ReadScope, id_order
from vultr_state.providers.v2 import catalog as v2catalog
from vultr_state.providers.v2 import convert
from vultr_state.providers.v2.api import V2Api
from vultr_state.registry import (
    decode_other_registries,
    decode_registry,
    is_registry_script,
    parse_registry_script_name,
)


class _Identified(Protocol):
    @property
    def id(self) -> str: ...


T = TypeVar("T", bound=_Identified)


def read_live(api: V2Api, scope: ReadScope) -> Live:
    """Read what a plan for ``scope`` needs (see the module docstring for the calls).

    Raises:
        ApiError: a call failed.
        PlanError: the project's registry is corrupt or ambiguous.
    """
    catalog = v2catalog.catalog(
        api.list("regions", "regions", auth=Auth.OPTIONAL),
        api.list("plans", "plans", auth=Auth.OPTIONAL),
        api.list("os", "os", auth=Auth.OPTIONAL),
        api.list("iso", "isos") if scope.isos else (),
    )
    keys = [convert.ssh_key(r) for r in api.list("ssh-keys", "ssh_keys")]
    scripts = [convert.startup_script(r) for r in api.list("startup-scripts", "startup_scripts")]
    servers = [convert.server(r) for r in api.list("instances", "instances")]
    snapshots = [convert.snapshot(r) for r in api.list("snapshots", "snapshots")]

    registry_parts = [
        (script.id, script.name, read_script_body(api, script.id))
        for script in scripts
        if _registry_needed(scope, script.name)
    ]
    registry = decode_registry(scope.project, registry_parts)
    foreign = (
        _owned_elsewhere(scope.project, registry, registry_parts) if scope.hide_other_projects else set()
    )

    def visible(kind: str, objects: Iterable[T]) -> tuple[T, ...]:
        return _sorted(o for o in objects if (kind, o.id) not in foreign)

    shown_servers = visible("server", servers)
    user_scripts = (s for s in scripts if not is_registry_script(s.name))
    return Live(
        catalog=catalog,
        ssh_keys=visible("ssh_key", keys),
        startup_scripts=tuple(_with_body(api, scope, s) for s in visible("startup_script", user_scripts)),
        servers=shown_servers,
        snapshots=visible("snapshot", snapshots),
        reverse_dns=_reverse_dns(api, scope, shown_servers, registry),
        registry=registry,
    )


def read_script_body(api: V2Api, script_id: str) -> str:
    """The decoded body of startup script ``script_id`` (one GET: v2 lists carry no bodies)."""
    return convert.script_body(api.get(f"startup-scripts/{script_id}", "startup_script"))


def _registry_needed(scope: ReadScope, name: str) -> bool:
    """This project's registry parts always; other projects' only when their objects must be hidden."""
    parsed = parse_registry_script_name(name)
    if parsed is None:
        return False
    return parsed[0] == scope.project or scope.hide_other_projects


def _with_body(api: V2Api, scope: ReadScope, script: LiveStartupScript) -> LiveStartupScript:
    """The script with its body, fetched when the scope compares it (else left empty)."""
    if scope.script_bodies is not None and script.name not in scope.script_bodies:
        return script
    return replace(script, script=read_script_body(api, script.id))


def _owned_elsewhere(
    project: str, registry: Registry, registry_parts: list[tuple[str, str, str]]
) -> set[tuple[str, str]]:
    """(kind, id) of objects another project's registry owns and ours does not."""
    ours = {(o.kind, o.id) for o in registry.owned}
    return {
        (o.kind, o.id)
        for other in decode_other_registries(project, registry_parts).values()
        for o in other.owned
        if (o.kind, o.id) not in ours
    }


def _reverse_dns(
    api: V2Api, scope: ReadScope, servers: tuple[LiveServer, ...], registry: Registry
) -> tuple[LiveReverseDns, ...]:
    if not scope.reverse_dns:
        return ()
    owned_names = {o.id: o.name for o in registry.owned if o.kind == "server"}
    found = []
    for server in servers:
        wanted = scope.reverse_dns.get(server.label) or scope.reverse_dns.get(owned_names.get(server.id, ""))
        if wanted is None or not server.install.active:
            continue  # a server without its addresses yet shows every name as to-be-set
        ipv4 = api.get_list(f"instances/{server.id}/ipv4", "ipv4s")
        ipv6: list[Mapping[str, Any]] = []
        if wanted.ipv6 and server.ipv6_enabled:
            ipv6 = api.get_list(f"instances/{server.id}/ipv6/reverse", "reverse_ipv6s")
        found.append(convert.reverse_dns(server.id, ipv4, ipv6))
    return tuple(found)


def _sorted(items: Iterable[T]) -> tuple[T, ...]:
    return tuple(sorted(items, key=lambda item: id_order(item.id)))
