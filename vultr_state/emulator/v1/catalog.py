"""The public catalog the emulator serves: regions, plans, operating systems, ISOs and applications.

Loaded once from the package data under ``emulator/data/`` (regions and plans as recorded from the live API
in October 2020, the 2020 OS list plus the newer images the product's examples use). Read by the catalog
handlers and by server creation (validation and the names shown in ``server/list``).
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from importlib import resources
from typing import Any

OS_CUSTOM = 159
OS_SNAPSHOT = 164
OS_BACKUP = 180
OS_APPLICATION = 186
SPECIAL_OSIDS = frozenset({OS_CUSTOM, OS_SNAPSHOT, OS_BACKUP, OS_APPLICATION})
WINDOWS_SURCHARGE = "16.00"
WINDOWS_MIN_RAM_MB = 2048

# plans/list ``type`` filter values → plan_type.
PLAN_TYPE_FILTERS = {
    "vc2": "SSD",
    "ssd": "SSD",
    "vdc2": "DEDICATED",
    "dedicated": "DEDICATED",
    "vc2z": "HIGHFREQUENCY",
    "highfrequency": "HIGHFREQUENCY",
}


def _load(name: str) -> list[dict[str, Any]]:
    text = resources.files("vultr_state.emulator.v1").joinpath("data", name).read_text(encoding="utf-8")
    return json.loads(text)


@dataclass(frozen=True, slots=True)
class Catalog:
    """The immutable public catalog, each table keyed by its id and kept in the service's order."""

    regions: dict[int, dict[str, Any]]
    plans: dict[int, dict[str, Any]]
    oses: dict[int, dict[str, Any]]
    isos: dict[int, dict[str, Any]]
    apps: dict[int, dict[str, Any]]

    @classmethod
    def load(cls) -> Catalog:
        """Read the catalog from the package data."""
        return cls(
            regions={int(r["DCID"]): r for r in _load("regions.json")},
            plans={int(p["VPSPLANID"]): p for p in _load("plans.json")},
            oses={int(o["OSID"]): o for o in _load("os.json")},
            isos={int(i["ISOID"]): i for i in _load("isos.json")},
            apps={int(a["APPID"]): a for a in _load("apps.json")},
        )

    def plans_of_type(self, plan_type: str | None) -> dict[int, dict[str, Any]]:
        """Plans filtered by a ``plans/list`` ``type`` value (``None``, ``all`` or unknown: every plan)."""
        wanted = PLAN_TYPE_FILTERS.get((plan_type or "").lower())
        if wanted is None:
            return self.plans
        return {pid: p for pid, p in self.plans.items() if p["plan_type"] == wanted}

    def available_plans(self, dcid: int, plan_type: str | None = None) -> list[int]:
        """VPSPLANIDs orderable in a region (``regions/availability``)."""
        return [pid for pid, p in self.plans_of_type(plan_type).items() if dcid in p["available_locations"]]

    def os_change_targets(self, plan_id: int) -> dict[int, dict[str, Any]]:
        """Operating systems a server of this plan may switch to, with their ``surcharge`` string.

        Special images (Custom, Snapshot, Backup, Application) are never targets; Windows is offered only
        on plans with at least 2 GB of memory (an emulator rule: the real matrix was never published).
        """
        plan = self.plans.get(plan_id)
        ram = int(plan["ram"]) if plan else 0
        targets = {}
        for osid, entry in self.oses.items():
            if osid in SPECIAL_OSIDS or (entry["windows"] and ram < WINDOWS_MIN_RAM_MB):
                continue
            targets[osid] = {**entry, "surcharge": WINDOWS_SURCHARGE if entry["windows"] else "0.00"}
        return targets

    def upgrade_targets(self, plan_id: int, dcid: int) -> list[int]:
        """Plans a server can be upgraded to: same type, available in its region, dearer than its own."""
        current = self.plans.get(plan_id)
        if current is None:
            return []
        price = float(current["price_per_month"])
        return [
            pid
            for pid, p in self.plans.items()
            if p["plan_type"] == current["plan_type"]
            and dcid in p["available_locations"]
            and float(p["price_per_month"]) > price
        ]
