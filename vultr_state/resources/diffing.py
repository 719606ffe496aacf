"""Field-by-field comparison of two flat views of one object; the only module that imports deepdiff.

Called by the resource modules (``vultr_state.resources``), which build a desired and a live view of an
object as ``{field: JSON value}`` and turn the differing fields into classified ``FieldChange``s. deepdiff's
own result types never leave this module. Also re-exports ``secret_digest`` (``registry.digests``), the
one way a secret value (script body, public key) is shown in a plan.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from deepdiff import DeepDiff

from vultr_state.registry.digests import secret_digest

__all__ = ["changed_fields", "secret_digest"]


def changed_fields(old: Mapping[str, Any], new: Mapping[str, Any]) -> tuple[tuple[str, Any, Any], ...]:
    """The top-level fields whose values differ between ``old`` and ``new``.

    Fields present on one side only count as changed (the missing side reads None). Nested values
    (lists, tuples, dicts) are compared deeply, order included.

    Args:
        old: The live view (``{field: value}``).
        new: The desired view.

    Returns:
        ``(field, old value, new value)`` per changed field, sorted by field name: ready to become a
        ``FieldChange`` once classified.
    """
    if old == new:  # the common case; skips deepdiff's heavier machinery entirely
        return ()
    diff = DeepDiff(dict(old), dict(new), view="tree", ignore_order=False)
    fields: set[str] = set()
    for items in diff.values():
        for item in items:
            path = item.path(output_format="list")
            if path:
                fields.add(str(path[0]))
    return tuple((name, old.get(name), new.get(name)) for name in sorted(fields))
