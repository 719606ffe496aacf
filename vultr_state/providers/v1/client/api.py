"""``VultrClient``: the one object through which vultr-state talks to the Vultr v1 API.

Assembled from the request pipeline (``core``) and the endpoint methods (``servers``, ``resources``).
Used by the live-state reader, the executor and the ``vultr-state api`` command; tests give it a
session with the emulator's adapter mounted, or point it at an ``EmulatorServer``.
"""

from __future__ import annotations

from vultr_state.providers.v1.client.resources import ResourceEndpoints
from vultr_state.providers.v1.client.servers import ServerEndpoints


class VultrClient(ServerEndpoints, ResourceEndpoints):
    """Every v1 endpoint as a typed method, behind one shared rate limiter and a safe retry policy.

    ::

        settings = ClientSettings.resolve(env=os.environ)
        client = VultrClient(settings)
        servers = client.server_list()               # {"576965": {...}}, {} when none
        subid = client.server_create(1, 201, 387, label="web-1")

    Constructor arguments are those of ``ClientCore``. Errors (``vultr_state.errors``): 400/405 (and
    other unexpected statuses) ``ApiUsageError``, 401/403 ``ApiAuthError``, 412 ``ApiRequestFailed``, 503
    ``ApiRateLimited``, other 5xx ``ApiServerError``, no usable answer ``ApiTransportError`` (connection
    never opened: ``ApiConnectError``), and ``ApiOutcomeUnknown`` when a call that must not be repeated
    may have been carried out (see ``vultr_state.http.retry``). A missing key raises ``ConfigError``
    when an authenticated call is attempted.
    """
