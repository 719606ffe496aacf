"""Pausing Python's cyclic garbage collector around the passes that only build up data.

``cyclic_gc_paused()`` is a context manager (and decorator). ``manifest.load_manifest``, each provider's
``read`` and ``planner.plan`` run under it. Each of them allocates thousands of small containers one
after another and keeps them (YAML nodes and values, decoded list bodies, frozen model and plan
objects), so the collector's passes over the growing heap find next to nothing to collect (none of
these form reference cycles), yet at 5,000 servers they cost about a tenth of a plan
(``benchmarks/plan_scale.py``). Whatever cycles there are wait for the collector's first pass after
the block. Nested and concurrent blocks are harmless: only the block that found the collector running
turns it back on.
"""

from __future__ import annotations

import contextlib
import gc
from collections.abc import Iterator


@contextlib.contextmanager
def cyclic_gc_paused() -> Iterator[None]:
    """Disable the cyclic collector for the block, if it runs, and turn it back on after."""
    running = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if running:
            gc.enable()
