"""The v1 face of the emulator: routes, handlers, views, wire texts and catalog data of the v1 API.

``api.V1Api`` is its entry point, built by ``vultr_state.emulator.app.Emulator``. It depends on
``emulator.core`` only, never on ``emulator.v2``.
"""
