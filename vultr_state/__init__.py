"""vultr-state: a declarative reconciler for the Vultr v1 API, with a faithful v1 emulator.

The package is a library first (manifest → live → planner → executor) and a thin CLI second
(``vultr_state.cli``). ``vultr_state.emulator`` is a separate subpackage that serves the v1 wire.
"""

__version__ = "0.1.0"
