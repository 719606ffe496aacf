"""The v1 client's base: the shared request pipeline (``vultr_state.http``) speaking the v1 dialect.

``ClientCore`` is the base of ``VultrClient``; the endpoint methods (``servers``, ``resources``) build
parameters and pick a normaliser, then call ``_call``, which looks the endpoint up in the table
(``endpoints``: method, auth, retry kind), turns parameters into v1 text (booleans as ``yes``/``no``) and
hands the ``Call`` to ``vultr_state.http.pipeline.Pipeline`` with the ``V1Dialect``. Rate limiting,
retries, error mapping and logging happen there; a normaliser's ``ShapeError`` becomes an
``ApiTransportError`` naming the call.
"""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from typing import Any, Self, TypeVar, Unpack

from vultr_state.errors import ApiTransportError, ConfigError
from vultr_state.http.pipeline import Call, Pipeline, PipelineOptions
from vultr_state.http.retry import RetryPolicy
from vultr_state.http.settings import ClientSettings
from vultr_state.http.transport import HttpReply
from vultr_state.providers.v1.client.dialect import V1Dialect
from vultr_state.providers.v1.client.endpoints import Endpoint, endpoint_for
from vultr_state.providers.v1.client.normalize import ShapeError, parse_json

T = TypeVar("T")
ParamValue = str | int | bool | None

_RAW_PATH = re.compile(r"[a-z0-9_]+/[a-z0-9_]+")


@dataclass(frozen=True, slots=True)
class RawResponse:
    """The answer to ``VultrClient.raw``: status and body text. ``repr`` shows the body's size only."""

    status: int
    body: str = field(repr=False)

    def __repr__(self) -> str:
        return f"RawResponse(status={self.status}, body=<{len(self.body)} chars>)"


class ClientCore:
    """The pipeline in the v1 dialect, shared by every endpoint method.

    Args:
        settings: Key, URL and default rate.
        options: The pipeline's options (session, rate limiter, timeouts, retry bounds, injectable
            sleep, clock and jitter source), as ``vultr_state.http.pipeline.Pipeline`` takes them.
    """

    def __init__(self, settings: ClientSettings, **options: Unpack[PipelineOptions]):
        self.settings = settings
        self._pipeline = Pipeline(V1Dialect(), settings, **options)
        self.rate_limiter = self._pipeline.rate_limiter

    def __repr__(self) -> str:
        key = "'***'" if self.settings.api_key else "None"
        return f"{type(self).__name__}(api_url={self.settings.api_url!r}, api_key={key}, calls={self.calls})"

    def __enter__(self) -> Self:
        return self

    def __exit__(self, *exc_info: object) -> None:
        self.close()

    def close(self) -> None:
        """Release pooled connections (only of a session this client created)."""
        self._pipeline.close()

    @property
    def retry_policy(self) -> RetryPolicy:
        """Attempts and time budget of every call."""
        return self._pipeline.retry_policy

    @property
    def calls(self) -> int:
        """Total HTTP requests handed to the transport, retries included."""
        return self._pipeline.calls

    @property
    def calls_by_endpoint(self) -> Counter[str]:
        """A snapshot of the request count per call label (``"GET server/list"``)."""
        return self._pipeline.calls_by_endpoint

    def raw(self, method: str, path: str, params: Mapping[str, str] | None = None) -> RawResponse:
        """Call any v1 endpoint and return its status and body text (for ``vultr-state api``).

        Authenticated, rate-limited and retried like the typed methods; the body is not parsed.

        Args:
            method: ``GET`` or ``POST``.
            path: ``server/list``, ``/v1/server/list``...
            params: Query (GET) or form (POST) parameters.

        Raises:
            ConfigError: bad method or path, an ``api_key`` parameter, or a missing key.
            ApiError: the mapped error of a non-2xx answer or a transport failure.
        """
        verb = method.upper()
        if verb not in ("GET", "POST"):
            raise ConfigError(f"v1 only knows GET and POST, not {method!r}")
        clean_path = path.strip().strip("/").removeprefix("v1/")
        if not _RAW_PATH.fullmatch(clean_path):
            raise ConfigError(f"invalid v1 path {path!r}: expected GROUP/ACTION such as server/list")
        pairs = dict(params or {})
        if any(name.lower() == "api_key" for name in pairs):
            raise ConfigError("the API key is sent in the API-Key header; do not pass it as a parameter")
        return self._call(
            endpoint_for(verb, clean_path), pairs, lambda reply: RawResponse(reply.status, reply.body)
        )

    # -- helpers for the endpoint methods -------------------------------------------------------------

    def _read(self, path: str, params: Mapping[str, ParamValue], shape: Callable[[Any], T]) -> T:
        """GET ``path`` and return ``shape(parsed JSON body)``."""
        return self._json_call("GET", path, params, shape, allow_empty=False)

    def _create(
        self,
        path: str,
        params: Mapping[str, ParamValue],
        shape: Callable[[Any], T],
        *,
        allow_empty: bool = False,
    ) -> T:
        """POST ``path`` and return ``shape(parsed JSON body)``."""
        return self._json_call("POST", path, params, shape, allow_empty=allow_empty)

    def _act(self, path: str, params: Mapping[str, ParamValue]) -> None:
        """POST an action whose answer is an empty body."""
        self._call(endpoint_for("POST", path), params, lambda reply: None)

    def _json_call(
        self,
        method: str,
        path: str,
        params: Mapping[str, ParamValue],
        shape: Callable[[Any], T],
        *,
        allow_empty: bool,
    ) -> T:
        def parse(reply: HttpReply) -> T:
            return shape(parse_json(reply.body, allow_empty=allow_empty))

        return self._call(endpoint_for(method, path), params, parse)

    # -- into the pipeline ----------------------------------------------------------------------------

    def _call(
        self, endpoint: Endpoint, params: Mapping[str, ParamValue], parse: Callable[[HttpReply], T]
    ) -> T:
        """Send one logical call, with retries; return ``parse(reply)`` of the successful attempt."""
        pairs = tuple((name, _wire_value(value)) for name, value in params.items() if value is not None)
        call = Call(endpoint.method, endpoint.path, endpoint.kind, endpoint.auth, pairs)
        return self._pipeline.send(call, lambda reply: _parse(call.label, reply, parse))


def _wire_value(value: str | int | bool) -> str:
    """Booleans as v1's ``yes``/``no``; numbers and strings as text."""
    if isinstance(value, bool):
        return "yes" if value else "no"
    return str(value)


def _parse(call: str, reply: HttpReply, parse: Callable[[HttpReply], T]) -> T:
    """Run the normaliser, turning a shape mismatch into an ``ApiTransportError`` naming the call."""
    try:
        return parse(reply)
    except ShapeError as exc:
        raise ApiTransportError(call, reply.status, f"unexpected response: {exc}") from exc
