"""What v2 can do, as data for the pure planner: ``CAPABILITIES``.

Read by the CLI, which hands it to the planner with the live state ``V2Provider.read`` returned. The
default change class of every field is in ``vultr_state.resources``; this lists only where v2 differs
*and* the executor can already carry the difference out through ``Operations``. Change classes on v2
(issue 15), and where each stands:

==================  =====================================================  ==============================
class               fields                                                 on v2 today
==================  =====================================================  ==============================
in place            label, tag(s), power, reverse DNS, SSH key and script  as the defaults
                    name/body
in place            plan upgrade (``PATCH plan``, ``resizing``), enabling  waits for ``ServerUpdate`` to
                    IPv6 (``PATCH enable_ipv6``), backups on/off (``PATCH  carry them and the planner to
                    backups``)                                             tell an upgrade from a
                                                                           downgrade (default: replace /
                                                                           create-time only)
reinstall           OS change (``PATCH os_id``), restore from snapshot     as the defaults
                    (``POST …/restore``)
reinstall           hostname change (``POST …/reinstall {hostname}``)      waits for ``reinstall`` to take
                                                                           a hostname (default: create-
                                                                           time only)
replace             region, plan downgrade, script type, disabling IPv6    as the defaults
create-time only    SSH keys, startup script, boot source, user data       registry digest (never read
                                                                           back by v2)
==================  =====================================================  ==============================

What v2 reads back of the create-time fields: auto backups (``features``), IPv6 (``features`` and the
addresses), the hostname (``hostname``, not yet in ``LiveServer``) and the tags. It never reads back
the SSH keys, the startup script, the user data or (reliably) the boot source.
"""

from __future__ import annotations

from types import MappingProxyType

from vultr_state.model.capabilities import Capabilities
from vultr_state.model.plan import ChangeClass, Kind

API = "v2"

CAPABILITIES = Capabilities(
    api=API,
    # A snapshot's description is renamed in place (``PUT /snapshots/{id}``); v1 sets it only at creation.
    change_classes=MappingProxyType({(Kind.SNAPSHOT, "description"): ChangeClass.IN_PLACE}),
    readable_create_fields=frozenset({(Kind.SERVER, "auto_backups")}),
    owner_tagged_servers=True,
)
