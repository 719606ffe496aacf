"""The v2 dialect of the shared request pipeline: URL shape, Bearer auth, JSON bodies, errors, pages.

Plugged into ``vultr_state.http.pipeline.Pipeline`` by ``api.V2Api``. v2 URLs are
``<base>/v2/<collection>[/<id>[/<sub>]]``; the key travels as ``Authorization: Bearer <key>`` (on the
public catalog endpoints too, as every v2 client does); every request says ``Content-Type:
application/json`` (Vultr has required it since 2026-06) and writes carry a compact JSON document; query
parameters (``per_page``, ``cursor``) go in the query string; errors are JSON bodies mapped by ``check``;
lists are paged by cursor.
"""

from __future__ import annotations

import json
from collections.abc import Callable

from vultr_state.errors import ApiError
from vultr_state.http.pipeline import Auth, Call, base_headers
from vultr_state.http.settings import ClientSettings
from vultr_state.http.transport import HttpRequest
from vultr_state.providers.v2.check import to_error

ACCEPT = "application/json"
CONTENT_TYPE = "application/json"


class V2Dialect:
    """The hooks that make the pipeline speak v2."""

    def build_request(self, call: Call, settings: ClientSettings) -> HttpRequest:
        """``<base>/v2/<path>``; query parameters in the URL; a JSON body when the call has one."""
        headers = base_headers(settings, ACCEPT)
        headers.append(("Content-Type", CONTENT_TYPE))
        if settings.api_key is not None and call.auth is not Auth.NONE:
            headers.append(("Authorization", f"Bearer {settings.api_key}"))
        body = None if call.json is None else json.dumps(call.json, separators=(",", ":"), ensure_ascii=True)
        return HttpRequest(
            method=call.method,
            url=f"{settings.api_url}/v2/{call.path}",
            call=call.label,
            query=call.params,
            body=body,
            headers=tuple(headers),
        )

    def map_error(self, call: Call, status: int, body: str, scrub: Callable[[str], str]) -> ApiError:
        """The ``ApiError`` of a non-2xx v2 answer (see ``check``)."""
        return to_error(call.label, status, body, scrub)

    def next_page(self, call: Call, cursor: str) -> Call:
        """The same listing with ``cursor`` in place of any earlier one."""
        params = tuple((name, value) for name, value in call.params if name != "cursor")
        return Call(
            method=call.method,
            path=call.path,
            kind=call.kind,
            auth=call.auth,
            params=(*params, ("cursor", cursor)),
            secrets=call.secrets,
            label=call.label,
        )
