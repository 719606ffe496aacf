"""Short digests: of any JSON value (create-time fields, fingerprints) and of what a registry records.

``secret_digest`` shows a secret (plans) and remembers a script body (the executor's result write).
``short_digest`` is used by the codec (the ``gen`` of a write), by ``resources`` (create digests) and by
the planner (fingerprints); ``registry_state_digest`` by the planner (stamped on every plan) and by
``registry.store`` (a plan made before another apply ran is refused).
"""

from __future__ import annotations

import hashlib
import json
from typing import Any

from vultr_state.model.registry import Registry


def secret_digest(value: str | None) -> str | None:
    """``sha256:<12 hex>`` of a secret (None stays None): enough to see that it changed, nothing more.
    How a plan shows a secret, and how the registry remembers a startup script's body."""
    if value is None:
        return None
    return "sha256:" + hashlib.sha256(value.encode()).hexdigest()[:12]


def short_digest(value: Any) -> str:
    """12 hex characters of the sha256 of ``value``'s canonical JSON: compact, stable, not reversible."""
    canonical = json.dumps(value, sort_keys=True, separators=(",", ":"), ensure_ascii=True)
    return hashlib.sha256(canonical.encode()).hexdigest()[:12]


def content(reg: Registry) -> dict[str, Any]:
    """Everything that defines the registry, for the ``gen`` digest (script ids excluded)."""
    owned = sorted(reg.owned, key=lambda o: (o.kind, o.id))
    return {
        "owned": [[o.kind, o.id, o.name, 1 if o.protect else 0, o.create_digest] for o in owned],
        "pending": [
            [p.kind, p.name, p.started_at, list(p.known_ids)]
            for p in sorted(reg.pending, key=lambda p: (p.kind, p.name))
        ],
        "lock": [reg.lock.holder, reg.lock.expires_at] if reg.lock else None,
    }


def registry_state_digest(reg: Registry) -> str:
    """A digest of what the registry records (owned objects and pending creates, not the lock).

    The planner stamps it on every plan; the executor compares it with the registry it finds when it
    takes the lock, so a plan made before another apply ran is refused instead of duplicating objects.
    """
    recorded = content(reg)
    return short_digest({"owned": recorded["owned"], "pending": recorded["pending"]})
