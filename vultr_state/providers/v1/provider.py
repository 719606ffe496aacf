"""``V1Provider``: the Vultr v1 API behind the provider boundary (``providers.base.Provider``).

Built by the CLI's provider table (and by tests and benchmarks) around a ``VultrClient``. ``read`` makes
one call per list endpoint, in a fixed order (``sshkey/list``, ``startupscript/list``, ``server/list``,
``snapshot/list``, ``regions/list``, ``plans/list``, ``os/list``, then ``iso/list`` only when the scope
asks for ISOs), converts every record (``convert``), and leaves ownership, hiding and the choice of
reverse-DNS reads to ``providers.reading.assemble``, which calls back for ``server/list_ipv4`` and
(for servers with IPv6 whose IPv6 names are wanted) ``server/reverse_list_ipv6``.
"""

from __future__ import annotations

from vultr_state.heap import cyclic_gc_paused
from vultr_state.model.live import Catalog, Live, LiveReverseDns, LiveServer
from vultr_state.providers.base import ReadScope
from vultr_state.providers.reading import Listed, assemble, is_blob_name
from vultr_state.providers.v1 import convert
from vultr_state.providers.v1.capabilities import CAPABILITIES
from vultr_state.providers.v1.client import VultrClient
from vultr_state.providers.v1.operations import V1Blobs, V1Operations


class V1Provider:
    """The v1 API as a ``Provider``.

    Args:
        client: The client every call goes through (its rate limiter is shared by reads, operations
            and registry writes).
    """

    capabilities = CAPABILITIES

    def __init__(self, client: VultrClient):
        self.client = client
        self.operations = V1Operations(client)
        self.blobs = V1Blobs(client)

    def __repr__(self) -> str:
        return f"V1Provider({self.client!r})"

    @property
    def calls(self) -> int:
        """HTTP requests sent so far, retries included."""
        return self.client.calls

    def close(self) -> None:
        """Release the client's pooled connections."""
        self.client.close()

    @cyclic_gc_paused()
    def read(self, scope: ReadScope) -> Live:
        """See ``providers.base.Provider.read``."""
        client = self.client
        keys = client.sshkey_list()
        scripts = client.startupscript_list()
        servers = client.server_list()
        snapshots = client.snapshot_list()
        catalog = Catalog(
            regions=convert.sorted_by_id(convert.region(r) for r in client.regions_list().values()),
            plans=convert.sorted_by_id(convert.plan(p) for p in client.plans_list().values()),
            oses=convert.sorted_by_id(convert.os(o) for o in client.os_list().values()),
            isos=convert.sorted_by_id(convert.iso(i) for i in client.iso_list().values())
            if scope.isos
            else (),
        )
        blob_records = [s for s in scripts.values() if is_blob_name(convert.text(s, "name"))]
        user_scripts = [s for s in scripts.values() if not is_blob_name(convert.text(s, "name"))]
        listed = Listed(
            catalog=catalog,
            ssh_keys=[convert.ssh_key(k) for k in keys.values()],
            scripts=[convert.script(s) for s in user_scripts],
            blobs=[convert.blob(s) for s in blob_records],
            servers=[convert.server(s) for s in servers.values()],
            snapshots=[convert.snapshot(s) for s in snapshots.values()],
            api=CAPABILITIES.api,
        )
        return assemble(scope, listed, self._reverse_dns)

    def _reverse_dns(self, server: LiveServer, with_ipv6: bool) -> LiveReverseDns:
        """``server/list_ipv4`` (public addresses) and, when asked, ``server/reverse_list_ipv6``."""
        ipv4 = tuple(
            (convert.text(e, "ip"), convert.text(e, "reverse"))
            for e in self.client.server_list_ipv4(server.id)
            if e.get("ip") and e.get("type") != "private"
        )
        ipv6: tuple[tuple[str, str], ...] = ()
        if with_ipv6:
            ipv6 = tuple(
                (convert.text(e, "ip"), convert.text(e, "reverse"))
                for e in self.client.server_reverse_list_ipv6(server.id)
                if e.get("ip")
            )
        return LiveReverseDns(server_id=server.id, ipv4=tuple(sorted(ipv4)), ipv6=tuple(sorted(ipv6)))
