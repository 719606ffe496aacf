"""Fingerprints: short digests of what a plan read, so a saved plan can be refused once it is stale.

Called by ``planner.core`` (``Plan.fingerprints``) and by ``vultr_state.planfile`` (the staleness check
compares the pairs of a fresh read with the saved ones). Secrets are only ever hashed.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from vultr_state.model.live import (
    Catalog,
    Live,
    LiveReverseDns,
    LiveServer,
    LiveSnapshot,
    LiveSshKey,
    LiveStartupScript,
)
from vultr_state.model.registry import Registry
from vultr_state.registry.digests import short_digest

# The fields whose change makes a saved plan stale. Progress fields that move on their own while a
# server installs or a snapshot completes (install state, snapshot state, size, dates) are left out.
_FINGERPRINT_FIELDS: dict[type, tuple[str, ...]] = {
    LiveSshKey: ("id", "name", "public_key"),
    LiveStartupScript: ("id", "name", "type", "script"),
    LiveServer: (
        "id",
        "label",
        "region_id",
        "plan_id",
        "os_id",
        "power",
        "main_ip",
        "v6_main_ip",
        "v6_network",
        "internal_ip",
        "auto_backups",
        "tag",
        "tags",
        "hostname",
    ),
    LiveSnapshot: ("id", "description", "os_id"),
    LiveReverseDns: ("server_id", "ipv4", "ipv6"),
}


def fingerprint(
    obj: LiveSshKey | LiveStartupScript | LiveServer | LiveSnapshot | LiveReverseDns | Registry,
) -> str:
    """A short digest of what a plan depends on in one live object (secrets are only hashed).

    Args:
        obj: A live object, reverse-DNS record or the registry.

    Returns:
        12 hex characters; equal for objects the planner cannot tell apart.
    """
    if isinstance(obj, Registry):
        owned = [[o.kind, o.id, o.name, o.protect, o.create_digest] for o in obj.owned]
        pending = [[p.kind, p.name, list(p.known_ids)] for p in obj.pending]
        return short_digest([owned, pending])
    fields = _FINGERPRINT_FIELDS[type(obj)]
    return short_digest([getattr(obj, name) for name in fields])


def catalog_fingerprint(catalog: Catalog) -> str:
    """A short digest of the catalog entries a plan resolves names against."""
    return short_digest(
        [
            [[r.id, r.name, r.code] for r in catalog.regions],
            [[p.id, p.name, list(p.available_locations)] for p in catalog.plans],
            [[o.id, o.name] for o in catalog.oses],
            [[i.id, i.filename] for i in catalog.isos],
        ]
    )


def live_fingerprints(live: Live) -> tuple[tuple[str, str], ...]:
    """``("<kind>:<id>", digest)`` for every object in ``live``, in a stable order.

    Used by the planner (``Plan.fingerprints``) and by the saved-plan staleness check, which compares
    the pairs of a fresh read with the saved ones.
    """
    pairs: list[tuple[str, str]] = [("catalog:all", catalog_fingerprint(live.catalog))]
    pairs += [(f"ssh_key:{k.id}", fingerprint(k)) for k in live.ssh_keys]
    pairs += [(f"startup_script:{s.id}", fingerprint(s)) for s in live.startup_scripts]
    pairs += [(f"server:{s.id}", fingerprint(s)) for s in live.servers]
    pairs += [(f"reverse_dns:{r.server_id}", fingerprint(r)) for r in live.reverse_dns]
    pairs += [(f"snapshot:{s.id}", fingerprint(s)) for s in live.snapshots]
    pairs.append((f"registry:{live.registry.project}", fingerprint(live.registry)))
    return tuple(pairs)


def fingerprints_of(live: Live, keys: Iterable[str]) -> list[tuple[str, str]]:
    """The pairs of ``live_fingerprints`` for ``keys`` alone (those ``live`` holds), in ``keys`` order.

    Only those objects are digested: a plan touching a few objects of a large account (or none) does
    not pay for digesting them all.
    """
    objects: dict[str, Any] = {"catalog:all": live.catalog}
    objects.update((f"ssh_key:{k.id}", k) for k in live.ssh_keys)
    objects.update((f"startup_script:{s.id}", s) for s in live.startup_scripts)
    objects.update((f"server:{s.id}", s) for s in live.servers)
    objects.update((f"reverse_dns:{r.server_id}", r) for r in live.reverse_dns)
    objects.update((f"snapshot:{s.id}", s) for s in live.snapshots)
    objects[f"registry:{live.registry.project}"] = live.registry
    return [
        (key, catalog_fingerprint(found) if isinstance(found, Catalog) else fingerprint(found))
        for key in keys
        if (found := objects.get(key)) is not None
    ]
