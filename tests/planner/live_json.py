"""Model-level live state as JSON: the planner goldens' ``live.json`` files, read back into ``Live``.

The goldens test the pure planner, so their input is the neutral model (``vultr_state.model.live``), not
any API's wire: ``to_json`` writes a frozen model object as plain JSON (enums by value, tuples as lists,
fields left at their default omitted, so a field added to the model later keeps old files valid) and
``from_json`` rebuilds it from the dataclass's own type hints. Used by ``test_goldens.py``; the v1
reader's test (``tests/providers/v1/live/test_golden_reads.py``) checks that the recorded v1 bodies each
case came from still read into exactly this state.
"""

from __future__ import annotations

import dataclasses
import enum
import json
import types
import typing
from functools import cache
from pathlib import Path
from typing import Any

from vultr_state.model.live import Catalog, Live

CATALOG_FILE = Path(__file__).with_name("catalog.json")


def to_json(value: Any) -> Any:
    """A model object (or a tuple/enum/scalar inside one) as plain JSON data."""
    if dataclasses.is_dataclass(value) and not isinstance(value, type):
        out = {}
        for f in dataclasses.fields(value):
            item = getattr(value, f.name)
            if _is_default(f, item):
                continue
            out[f.name] = to_json(item)
        return out
    if isinstance(value, enum.Enum):
        return value.value
    if isinstance(value, tuple | list):
        return [to_json(item) for item in value]
    if isinstance(value, frozenset | set):
        return sorted(to_json(item) for item in value)
    return value


def _is_default(f: dataclasses.Field, item: Any) -> bool:
    if f.default is not dataclasses.MISSING:
        return item == f.default
    if f.default_factory is not dataclasses.MISSING:
        return item == f.default_factory()
    return False


@cache
def _hints(cls: type) -> dict[str, Any]:
    return typing.get_type_hints(cls)


def from_json(hint: Any, data: Any) -> Any:
    """Rebuild a value of type ``hint`` (a model dataclass, or a type inside one) from ``to_json`` data."""
    origin = typing.get_origin(hint)
    if origin in (types.UnionType, typing.Union):
        if data is None:
            return None
        (inner,) = [arg for arg in typing.get_args(hint) if arg is not type(None)]
        return from_json(inner, data)
    if origin is tuple:
        args = typing.get_args(hint)
        if len(args) == 2 and args[1] is Ellipsis:
            return tuple(from_json(args[0], item) for item in data)
        return tuple(from_json(arg, item) for arg, item in zip(args, data, strict=True))
    if origin is frozenset:
        (inner,) = typing.get_args(hint)
        return frozenset(from_json(inner, item) for item in data)
    if isinstance(hint, type) and dataclasses.is_dataclass(hint):
        hints = _hints(hint)
        unknown = set(data) - set(hints)
        if unknown:
            raise ValueError(f"{hint.__name__} has no field(s) {sorted(unknown)}")
        return hint(**{name: from_json(hints[name], item) for name, item in data.items()})
    if isinstance(hint, type) and issubclass(hint, enum.Enum):
        return hint(data)
    if hint is float and isinstance(data, int):
        return float(data)
    return data


def shared_catalog() -> Catalog:
    """The catalog every case shares unless its ``live.json`` brings its own."""
    return from_json(Catalog, json.loads(CATALOG_FILE.read_text(encoding="utf-8")))


def load_live(path: Path) -> Live:
    """A case's live state: its ``live.json`` (an empty account when missing) over the shared catalog."""
    data = json.loads(path.read_text(encoding="utf-8")) if path.exists() else {}
    live: Live = from_json(Live, data)
    if "catalog" not in data:
        live = dataclasses.replace(live, catalog=shared_catalog())
    return live


def dump_live(live: Live) -> str:
    """``live`` as a case's ``live.json`` text; the catalog is left out when it is the shared one."""
    data = to_json(live)
    if live.catalog == shared_catalog():
        data.pop("catalog", None)
    return json.dumps(data, indent=2, sort_keys=True, ensure_ascii=False) + "\n"
