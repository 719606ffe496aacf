"""The permission flags a plan is made with (``--allow-destroy`` and friends, ``--force``), and its
``--target`` selection.

Built by the CLI; read by the planner (which turns a missing permission into a ``Refusal``) and stored
in saved plans by ``vultr_state.planfile``.
"""

from __future__ import annotations

from dataclasses import dataclass

from vultr_state.model.plan import Permission


@dataclass(frozen=True, slots=True)
class PlanOptions:
    """Which dangerous actions the caller allows. Everything is refused by default."""

    allow_destroy: bool = False
    allow_prune: bool = False
    allow_replace: bool = False
    allow_reinstall: bool = False
    force: bool = False
    allow_adopt_with_damaged_registry: bool = False
    targets: tuple[str, ...] = ()  # --target KIND.NAME: plan only these entries and what they depend on

    def grants(self, permission: Permission) -> bool:
        """True when ``permission`` was given."""
        return {
            Permission.DESTROY: self.allow_destroy,
            Permission.PRUNE: self.allow_prune,
            Permission.REPLACE: self.allow_replace,
            Permission.REINSTALL: self.allow_reinstall,
            Permission.FORCE: self.force,
            Permission.ADOPT_WITH_DAMAGED_REGISTRY: self.allow_adopt_with_damaged_registry,
        }[permission]
