"""Drill harness shared by ``benchmarks/fault_drill.py``, ``benchmarks/crash_drill.py`` and ``tests/drills``.

Modules: ``scenario`` (seeded manifests and mutations), ``world`` (an emulated account on a manual clock
and the plan → apply convergence loop), ``audit`` (duplicates, orphans and ownership checked through the
emulator's inspection helpers), ``fault`` (the seeded fault drill) and ``crash`` (SIGKILL of a
``vultr-state apply`` subprocess at seeded points).
"""
