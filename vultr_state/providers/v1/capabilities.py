"""What the planner must know about v1: ``CAPABILITIES``.

v1 is the seed's API, so the defaults of ``vultr_state.resources`` are v1's facts and nothing is
overridden. Change classes on v1:

==================  ================================================================================
class               fields (and the v1 call)
==================  ================================================================================
in place            label (``server/label_set``), tag (``server/tag_set``), power (``start``/``halt``),
                    reverse DNS, SSH key and script name/body, a plan upgrade (``server/upgrade_plan``
                    to a plan ``upgrade_plan_list`` offers; the server reboots), enabling IPv6
                    (``server/ipv6_enable``), attaching a private network
                    (``server/private_network_enable``), backups on/off (``server/backup_enable`` /
                    ``backup_disable``)
reinstall           OS change (``server/os_change``), restore from snapshot (``restore_snapshot``)
replace             region, a plan downgrade (or a move to another plan family), disabling IPv6 or
                    the private network, script type
create-time only    SSH keys, startup script, hostname, ISO boot, user data (registry digest)
==================  ================================================================================

A v1 server carries one tag (``max_server_tags``): a manifest giving a server several ``tags`` is a plan
problem on v1.

Of the create-time fields, v1 reads back auto backups (``server/list``) and the boot source (``OSID``
164 "Snapshot", 159 "Custom"); SSH keys, startup script, hostname and user data are never listed, so
the registry's digest stands in.
"""

from __future__ import annotations

from vultr_state.model.capabilities import Capabilities
from vultr_state.model.plan import Kind

CAPABILITIES = Capabilities(
    api="v1",
    readable_create_fields=frozenset({(Kind.SERVER, "auto_backups"), (Kind.SERVER, "boot")}),
    max_server_tags=1,  # server/tag_set sets the one tag a v1 server has
)
