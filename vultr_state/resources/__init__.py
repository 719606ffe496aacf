"""One module per resource kind: identity, compared fields and how each change is classified.

``SPECS`` maps each kind with a field table to its ``ResourceSpec`` explicitly (no name-built dispatch);
the planner calls the kind modules' ``compare`` and ``to_spec`` functions directly.
"""

from __future__ import annotations

from vultr_state.model.plan import Kind
from vultr_state.resources import server, ssh_key, startup_script
from vultr_state.resources.base import ResourceSpec

SPECS: dict[Kind, ResourceSpec] = {
    Kind.SSH_KEY: ssh_key.SPEC,
    Kind.STARTUP_SCRIPT: startup_script.SPEC,
    Kind.SERVER: server.SPEC,
}
