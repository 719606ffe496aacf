"""The executor: turns a ``Plan`` into v1 calls, in dependency order, with bounded parallelism.

Entry point ``apply`` (``runner``); the CLI's ``apply``/``destroy`` commands and the benchmarks call it.
Modules: ``scheduler`` (dependency graph, worker pool), ``steps``/``server_steps`` (one function per
kind and action type), ``creates`` (never create twice), ``waiter`` (one poll per round for every
pending object), ``registry_io``/``ownership`` (registry writes and the lock), ``progress`` and
``result`` (what the user sees).
"""

from vultr_state.executor.progress import LiveProgress, PlainProgress, make_progress
from vultr_state.executor.result import ActionResult, ApplyResult, Status
from vultr_state.executor.runner import ApplyInterrupted, apply

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
