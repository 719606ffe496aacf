"""The v1 dialect of the shared request pipeline: URL shape, ``API-Key`` header, form bodies, errors.

Plugged into ``vultr_state.http.pipeline.Pipeline`` by ``core.ClientCore``. v1 URLs are
``<base>/v1/<group>/<action>``; GET parameters go in the query and POST parameters in a form body; the
key travels in the ``API-Key`` header (never as the ``api_key`` parameter the old docs show); errors are
plain-text bodies mapped by ``check``; v1 lists are never paged.
"""

from __future__ import annotations

from collections.abc import Callable

from vultr_state.errors import ApiError, ApiTransportError
from vultr_state.http.pipeline import Auth, Call, base_headers
from vultr_state.http.settings import ClientSettings
from vultr_state.http.transport import HttpRequest
from vultr_state.providers.v1.client.check import error_class, error_message

ACCEPT = "application/json, text/plain"


class V1Dialect:
    """The hooks that make the pipeline speak v1."""

    def build_request(self, call: Call, settings: ClientSettings) -> HttpRequest:
        """``<base>/v1/<path>``; query for GET, form for POST; ``API-Key`` unless the call is public."""
        headers = base_headers(settings, ACCEPT)
        if settings.api_key is not None and call.auth is not Auth.NONE:
            headers.append(("API-Key", settings.api_key))
        is_get = call.method == "GET"
        return HttpRequest(
            method=call.method,
            url=f"{settings.api_url}/v1/{call.path}",
            call=call.label,
            query=call.params if is_get else (),
            form=() if is_get else call.params,
            headers=tuple(headers),
        )

    def map_error(self, call: Call, status: int, body: str, scrub: Callable[[str], str]) -> ApiError:
        """The ``ApiError`` of a non-2xx v1 answer (see ``check``)."""
        return error_class(status)(call.label, status, error_message(body, status, scrub))

    def next_page(self, call: Call, cursor: str) -> Call:
        """v1 lists come whole; a cursor is never expected."""
        raise ApiTransportError(call.label, None, "v1 answers are never paged")
