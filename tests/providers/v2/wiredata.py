"""Access to the vendored v2 wire bodies in ``wire/`` (provenance in ``wire/SOURCES.md``)."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

WIRE = Path(__file__).parent / "wire"


def body(name: str) -> Any:
    """The parsed JSON of ``wire/<name>``, e.g. ``"instances_list.2021.json"``."""
    return json.loads((WIRE / name).read_text(encoding="utf-8"))


def text(name: str) -> str:
    """The exact text of ``wire/<name>``."""
    return (WIRE / name).read_text(encoding="utf-8")
