"""The executor: carries a ``Plan`` out through a provider's typed ``Operations``, in dependency order,
with bounded parallelism. It never sees a wire dict or an API version.

Entry point ``apply`` (``runner``, the composition: the only module here that takes a whole
``Provider``); the CLI's ``apply``/``destroy`` commands and the benchmarks call it. Modules:
``scheduler`` (dependency graph, worker pool), ``steps``/``server_steps`` (one function per kind and
action type), ``creates`` (never create twice, "gone" is done), ``waiter`` (one listing per round for
every pending object), ``ownership`` (what the registry must say; the registry store itself is
``vultr_state.registry.store``), ``progress`` and ``result`` (what the user sees).
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
