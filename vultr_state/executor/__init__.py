"""The executor: carries a ``Plan`` out through a provider's typed ``Operations``, in dependency order,
with bounded parallelism. It never sees a wire dict or an API version.

Entry point ``apply`` (``runner``, the composition: the only module here that takes a whole
``Provider``); the CLI's ``apply``/``destroy`` commands and the benchmarks call it. Modules:
``scheduler`` (dependency graph, worker pool), ``steps``/``server_steps`` (one function per kind and
action type), ``creates`` (never create twice, "gone" is done), ``waiter`` (one listing per round for
every pending object), ``ownership`` (what the registry must say; the registry store itself is
``vultr_state.registry.store``), ``progress`` and ``result`` (what the user sees).
"""

from __future__ import annotations

import importlib
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from vultr_state.executor.progress import LiveProgress, PlainProgress, make_progress
    from vultr_state.executor.result import ActionResult, ApplyResult, Status
    from vultr_state.executor.runner import ApplyInterrupted, apply

# Loaded on first use (PEP 562), so that importing a light submodule (``executor.defaults``) does not
# load the whole executor.
_HOME = {
    "LiveProgress": "progress",
    "PlainProgress": "progress",
    "make_progress": "progress",
    "ActionResult": "result",
    "ApplyResult": "result",
    "Status": "result",
    "ApplyInterrupted": "runner",
    "apply": "runner",
}


def __getattr__(name: str) -> Any:
    module = _HOME.get(name)
    if module is None:
        raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
    return getattr(importlib.import_module(f"{__name__}.{module}"), name)


__all__ = [
    "ActionResult",
    "ApplyInterrupted",
    "ApplyResult",
    "LiveProgress",
    "PlainProgress",
    "Status",
    "apply",
    "make_progress",
]
