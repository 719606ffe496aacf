"""The public v2 catalog: regions, plans, operating systems and applications, with the rules built on them.

Loaded once from ``emulator/v2/data/``: regions, plans and OS list as recorded from the live API in
2021-09 (``fixtures/v2/regions_list``, ``plans_list``, ``os_list``, recorded by apache/libcloud), plus
Ubuntu 22.04 (OS id 1743, a real id quoted in terraform-provider-vultr#440) and Debian 12 (2136, the id
and name v1 listed, released after the recording) which newer manifests use; the
applications are the two of the official OpenAPI example. Read by the catalog handlers and by instance
creation, resizing and reinstall.

Availability follows each plan's ``locations``, except where a region's availability was recorded
(``data/availability.json``: ``/regions/ams/availability``, 2021-09, which disagrees with the plans'
``locations`` recorded the same month: two more vhf plans, one vdc plan fewer); the recording wins.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from importlib import resources
from typing import Any

OS_CUSTOM, OS_SNAPSHOT, OS_BACKUP, OS_APPLICATION = 159, 164, 180, 186
PSEUDO_OS_IDS = frozenset({OS_CUSTOM, OS_SNAPSHOT, OS_BACKUP, OS_APPLICATION})


def _load(name: str) -> Any:
    text = resources.files("vultr_state.emulator.v2").joinpath("data", name).read_text(encoding="utf-8")
    return json.loads(text)


def short_os_name(name: str) -> str:
    """The name an instance shows for an OS: the ``/os`` name without its parenthesised code name
    (``Debian 11 x64 (bullseye)`` → ``Debian 11 x64``), as recorded."""
    head, _, _ = name.partition(" (")
    return head


@dataclass(frozen=True, slots=True)
class Catalog:
    """Regions, plans, OSes and applications keyed by id, each list in its recorded order."""

    regions: dict[str, dict[str, Any]]
    plans: dict[str, dict[str, Any]]
    oses: dict[int, dict[str, Any]]
    apps: dict[int, dict[str, Any]]
    recorded_availability: dict[str, tuple[str, ...]]

    @classmethod
    def load(cls) -> Catalog:
        """The catalog from the package data."""
        return cls(
            regions={r["id"]: r for r in _load("regions.json")},
            plans={p["id"]: p for p in _load("plans.json")},
            oses={o["id"]: o for o in _load("os.json")},
            apps={a["id"]: a for a in _load("applications.json")},
            recorded_availability={
                region: tuple(plans) for region, plans in _load("availability.json").items()
            },
        )

    def plans_of_type(self, plan_type: str) -> list[dict[str, Any]]:
        """Plans filtered by a ``type`` query value (``""`` or ``all``: every plan)."""
        wanted = plan_type.lower()
        return [p for p in self.plans.values() if wanted in ("", "all") or p["type"] == wanted]

    def available(self, region: str, plan_type: str = "") -> list[str]:
        """Plan ids orderable in a region now."""
        recorded = self.recorded_availability.get(region)
        return [
            p["id"]
            for p in self.plans_of_type(plan_type)
            if (p["id"] in recorded if recorded is not None else region in p["locations"])
        ]

    def app_by_image(self, image_id: str) -> dict[str, Any] | None:
        """The marketplace application deployed through ``image_id``, or ``None``."""
        return next((a for a in self.apps.values() if image_id and a["image_id"] == image_id), None)

    def upgrade_plans(self, plan_id: str, region: str) -> list[str]:
        """Plans an instance may be resized to: same type, orderable in its region, bigger disk and dearer."""
        current = self.plans.get(plan_id)
        if current is None:
            return []
        return [
            pid
            for pid in self.available(region, current["type"])
            if self.plans[pid]["monthly_cost"] > current["monthly_cost"]
            and self.plans[pid]["disk"] >= current["disk"]
        ]

    def reinstall_oses(self) -> list[dict[str, Any]]:
        """Operating systems an instance may switch to (every real OS, no pseudo ids)."""
        return [o for oid, o in self.oses.items() if oid not in PSEUDO_OS_IDS]
