"""A canonical JSON view of a ``Plan`` for golden files (test-only; the product's JSON is the renderer's).

Enums become their values, tuples lists, dataclasses dicts with fields in declaration order. Secret spec
fields (``public_key``, ``script``) are replaced by their digest so goldens hold no bodies; fingerprints
are listed by key only (their digests are covered by the live-reader tests).
"""

from __future__ import annotations

import dataclasses
import json
from enum import Enum
from typing import Any

from vultr_state.model.plan import Plan
from vultr_state.resources.diffing import secret_digest

_SECRET_FIELDS = {"public_key", "script"}


def _value(value: Any) -> Any:
    if isinstance(value, Enum):
        return value.value
    if dataclasses.is_dataclass(value) and not isinstance(value, type):
        out = {}
        for f in dataclasses.fields(value):
            item = getattr(value, f.name)
            out[f.name] = secret_digest(item) if f.name in _SECRET_FIELDS else _value(item)
        return out
    if isinstance(value, tuple | list):
        return [_value(v) for v in value]
    return value


def plan_view(plan: Plan) -> dict[str, Any]:
    """The plan as a JSON-ready dict."""
    view = _value(plan)
    view["fingerprints"] = [key for key, _ in plan.fingerprints]
    return view


def canonical_json(view: Any) -> str:
    """Stable, reviewable JSON text."""
    return json.dumps(view, indent=2, ensure_ascii=False) + "\n"
