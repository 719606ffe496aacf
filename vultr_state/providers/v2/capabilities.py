"""What v2 can do, as data for the pure planner: ``CAPABILITIES``.

Read by the CLI, which hands it to the planner with the live state ``V2Provider.read`` returned. The
default change class of every field is in ``vultr_state.resources`` (rule names as there); this lists
where v2 differs. Change classes on v2 (issue 15), each carried out by ``V2Operations``:

==================  ===============================================================================
class               fields (and the v2 call)
==================  ===============================================================================
in place            label, tags (``PATCH label`` / ``tags``, the owner tag kept), power (``POST
                    …/start`` / ``…/halt``), reverse DNS, SSH key and script name/body, a plan upgrade
                    (``PATCH plan`` to a bigger plan of the same family; the instance is ``resizing``
                    until done), enabling IPv6 (``PATCH enable_ipv6``), backups on/off (``PATCH
                    backups: "enabled"|"disabled"``), a snapshot's description (``PUT /snapshots/{id}``)
reinstall           OS change (``PATCH os_id``), restore from snapshot (``POST …/restore``), hostname
                    change of a server installed from an OS (``POST …/reinstall {hostname}``; for a
                    server booted from a snapshot or ISO a reinstall would lose it: create-time only)
replace             region, a plan downgrade (or another family), script type, disabling IPv6,
                    attaching or detaching a private network (v2 attaches a VPC by its id only)
create-time only    SSH keys, startup script, boot source, user data (registry digest)
==================  ===============================================================================

What v2 reads back of the create-time fields: auto backups (``features``), IPv6 (``features`` and the
addresses), the hostname (``hostname``) and the tags (``tags``, reserved ``vultr-state:`` tags split
off). It never reads back the SSH keys, the startup script, the user data or (reliably) the boot source:
an instance restored from a snapshot reports the snapshot's OS and, before 2025, no ``snapshot_id``, so
the registry's create digest decides whether a snapshot-booted server still boots what the manifest
names.
"""

from __future__ import annotations

from types import MappingProxyType

from vultr_state.model.capabilities import Capabilities
from vultr_state.model.plan import ChangeClass, Kind

API = "v2"

CAPABILITIES = Capabilities(
    api=API,
    change_classes=MappingProxyType(
        {
            # A snapshot's description is renamed in place (``PUT /snapshots/{id}``); v1 sets it only
            # at creation.
            (Kind.SNAPSHOT, "description"): ChangeClass.IN_PLACE,
            (Kind.SERVER, "hostname"): ChangeClass.REINSTALL,
            (Kind.SERVER, "private_network"): ChangeClass.REPLACE,
        }
    ),
    readable_create_fields=frozenset({(Kind.SERVER, "auto_backups"), (Kind.SERVER, "hostname")}),
    owner_tagged_servers=True,
)
