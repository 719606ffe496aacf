"""Request handlers of the v2 endpoints, one module per resource family.

Each handler takes a ``Call`` (``v2.request``) and returns a ``Reply`` or raises ``ApiError``;
``v2.routes`` maps method and path templates to them; nothing else calls them.
"""
