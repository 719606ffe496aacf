"""What the planner must know about v1: ``CAPABILITIES``.

v1 is the seed's API, so the defaults of ``vultr_state.resources`` are v1's facts and nothing is
overridden. Of the create-time fields, only ``auto_backups`` is read back (``server/list`` has it);
SSH keys, startup script, hostname and boot source are never listed, so the registry's digest stands in.
"""

from __future__ import annotations

from vultr_state.model.capabilities import Capabilities
from vultr_state.model.plan import Kind

CAPABILITIES = Capabilities(
    api="v1",
    readable_create_fields=frozenset({(Kind.SERVER, "auto_backups")}),
)
