"""The v2 face of the emulator: routes, handlers, views, wire texts, paging and catalog data of the v2 API.

``api.V2Api`` is its entry point, built by ``vultr_state.emulator.app.Emulator``. It depends on
``emulator.core`` only, never on ``emulator.v1``; its account (kinds ``v2.*`` in the shared store) is
separate from the v1 one.
"""
