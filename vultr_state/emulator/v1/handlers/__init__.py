"""Request handlers of the v1 endpoints, one module per resource family.

Each handler takes a ``Call`` (parsed parameters, the backend, the current time) and returns a ``Reply`` or
raises ``ApiFailure``. ``vultr_state.emulator.v1.routes`` maps paths to them; nothing else calls them.
"""
