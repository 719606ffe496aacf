"""The digest of a loaded manifest's content, by which a saved plan tells that the manifest changed.

``manifest_digest(desired)`` is a sha256 of the ``repr`` of the content as nested tuples (``_content``):
text, numbers, booleans, None and tuples of them, the same in every run. Source locations, the files it
was read from and its warnings are left out, so moving an entry or a comment changes nothing. Called by
``planfile`` when it saves a plan and when it checks a saved plan against the manifest now: a plan that
is only shown never pays for it.
"""

from __future__ import annotations

import hashlib
from collections.abc import Callable
from dataclasses import fields, is_dataclass, replace
from enum import Enum
from functools import cache
from operator import attrgetter
from typing import Any

from vultr_state.model.desired import Desired


def manifest_digest(desired: Desired) -> str:
    """64 hex characters; equal exactly when the desired content is."""
    canonical = repr(_content(replace(desired, sources=(), warnings=())))
    return hashlib.sha256(canonical.encode()).hexdigest()


_SCALARS = frozenset({str, int, float, bool, type(None)})


def _content(value: Any) -> Any:
    """The content of a model value as nested tuples, without source locations: a model object is its
    class name and its content fields' values in declaration order, an enum its value. Only values
    that are not plain scalars are descended into (a server's twenty fields are mostly text)."""
    kind = type(value)
    if kind is tuple:
        return tuple([item if type(item) in _SCALARS else _content(item) for item in value])
    if isinstance(value, Enum):
        return value.value
    getter = _content_getter(kind)
    if getter is None:
        return value
    return (kind.__name__, *[item if type(item) in _SCALARS else _content(item) for item in getter(value)])


@cache
def _content_getter(kind: type) -> Callable[[Any], tuple[Any, ...]] | None:
    """The values of a model class's content fields (all but the source locations), in declaration
    order, as one tuple; None for other classes."""
    if not is_dataclass(kind):
        return None
    names = [f.name for f in fields(kind) if f.name not in ("location", "field_locations")]
    get = attrgetter(*names)
    return get if len(names) > 1 else lambda value: (get(value),)
