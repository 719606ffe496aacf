"""Write a manifest document (plain dicts) as YAML text that the loader reads back unchanged.

Called by ``vultr_state.cli.exporter``; keeps the YAML library inside the manifest package.
"""

from __future__ import annotations

from typing import Any

import yaml


def dump_manifest(document: dict[str, Any]) -> str:
    """YAML text for ``document``, keys in the given order, long strings kept on one line."""
    return yaml.safe_dump(document, sort_keys=False, allow_unicode=True, width=100_000)
