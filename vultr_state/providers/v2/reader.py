"""``read(scope) -> Live`` on v2: every list once (one call per page of 500), then only the per-object
reads the scope asks for.

Called by ``V2Provider.read``. This is the wire half of a read; ownership, hiding other projects' objects,
the choice of reverse-DNS reads and the order are ``providers.reading.assemble``'s, shared with v1. The
calls, for a plan:

- the catalog: ``/regions``, ``/plans``, ``/os`` (and ``/iso`` when a manifest boots one);
- the account: ``/ssh-keys``, ``/startup-scripts``, ``/instances``, ``/snapshots``;
- startup-script bodies, which v2 lists omit: one ``GET /startup-scripts/{id}`` for each registry part
  (of every project: ``show`` names owners with them) and for each visible user script whose name the
  scope lists (``script_bodies``; None means all, for ``export``) — except an owned script whose listed
  ``date_modified`` is the one the registry recorded at the last apply: its body is the one the registry
  has the digest of (``LiveStartupScript.body_digest``), so a plan with nothing changed fetches no body
  and its call count does not grow with the number of scripts (``export``, which writes bodies out,
  always reads them);
- reverse DNS, for the servers ``assemble`` picks: ``GET /instances/{id}/ipv4``, plus
  ``GET /instances/{id}/ipv6/reverse`` when IPv6 names are wanted and the server has IPv6.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import replace

from vultr_state.http.pipeline import Auth
from vultr_state.model.live import Live, LiveReverseDns, LiveServer, LiveStartupScript
from vultr_state.model.registry import Blob, OwnedObject
from vultr_state.providers.base import ReadScope
from vultr_state.providers.reading import Listed, assemble, is_blob_name
from vultr_state.providers.v2 import catalog as v2catalog
from vultr_state.providers.v2 import convert
from vultr_state.providers.v2.api import V2Api
from vultr_state.providers.v2.capabilities import API
from vultr_state.registry.ownership import visible


def read_live(api: V2Api, scope: ReadScope) -> Live:
    """Read what a plan for ``scope`` needs (see the module docstring for the calls).

    Raises:
        ApiError: a call failed.
        PlanError: the project's registry is corrupt or ambiguous.
    """
    catalog = v2catalog.assemble(
        api.list("regions", "regions", v2catalog.region, auth=Auth.OPTIONAL),
        api.list("plans", "plans", v2catalog.plan, auth=Auth.OPTIONAL),
        api.list("os", "os", v2catalog.operating_system, auth=Auth.OPTIONAL),
        api.list("iso", "isos", v2catalog.iso) if scope.isos else (),
    )
    keys = api.list("ssh-keys", "ssh_keys", convert.ssh_key)
    scripts = api.list("startup-scripts", "startup_scripts", convert.startup_script)
    servers = api.list("instances", "instances", convert.server)
    snapshots = api.list("snapshots", "snapshots", convert.snapshot)

    blobs = [Blob(s.id, s.name, read_script_body(api, s.id)) for s in scripts if is_blob_name(s.name)]
    view = visible(scope.project, blobs, hide_other_projects=scope.hide_other_projects, api=API)
    recorded = {o.id: o for o in view.registry.owned if o.kind == "startup_script"}
    user_scripts = [
        _with_body(api, scope, recorded, s)
        for s in scripts
        if not is_blob_name(s.name) and view.shows("startup_script", s.id)
    ]
    listed = Listed(
        catalog=catalog,
        ssh_keys=keys,
        scripts=user_scripts,
        blobs=blobs,
        servers=servers,
        snapshots=snapshots,
        api=API,
    )
    return assemble(scope, listed, lambda server, with_ipv6: _reverse_dns(api, server, with_ipv6))


def read_script_body(api: V2Api, script_id: str) -> str:
    """The decoded body of startup script ``script_id`` (one GET: v2 lists carry no bodies)."""
    return convert.script_body(api.get(f"startup-scripts/{script_id}", "startup_script"))


def _with_body(
    api: V2Api, scope: ReadScope, recorded: Mapping[str, OwnedObject], script: LiveStartupScript
) -> LiveStartupScript:
    """The script with its body when the scope compares it (else left empty): from the registry's
    digest (``recorded``: the registry's startup scripts by id) while the listed ``date_modified`` is
    the recorded one, else fetched."""
    if scope.script_bodies is None:
        return replace(script, script=read_script_body(api, script.id))
    if script.name not in scope.script_bodies:
        return script
    owned = recorded.get(script.id)
    if owned is not None and owned.body_digest and owned.modified and owned.modified == script.date_modified:
        return replace(script, body_digest=owned.body_digest)
    return replace(script, script=read_script_body(api, script.id))


def _reverse_dns(api: V2Api, server: LiveServer, with_ipv6: bool) -> LiveReverseDns:
    """``GET …/ipv4`` and, when asked, ``GET …/ipv6/reverse`` of one instance."""
    ipv4 = api.get_list(f"instances/{server.id}/ipv4", "ipv4s")
    ipv6 = api.get_list(f"instances/{server.id}/ipv6/reverse", "reverse_ipv6s") if with_ipv6 else []
    return convert.reverse_dns(server.id, ipv4, ipv6)
