"""The planner: ``plan(desired, live, options) -> Plan``, pure and deterministic (see ``planner.core``).

Package layout: ``core`` (the entry point), ``matching`` (ownership and identity), ``simple`` and
``servers`` (per-kind planning), ``entries`` and ``collect`` (actions, protection, permissions),
``references`` (dangling names), ``order`` (dependencies and order), ``options`` (permission flags).
"""

from __future__ import annotations

from vultr_state.planner.core import plan
from vultr_state.planner.options import PlanOptions

__all__ = ["PlanOptions", "plan"]
