"""The v2 calls the provider makes, as a few typed verbs over the shared pipeline.

Used by the v2 reader, operations and blob store (one ``V2Api`` per provider instance, so they share one
rate limiter and one counter). Four verbs: ``list`` (every page of a collection, 500 a page), ``get``
(one object), ``write`` (POST/PATCH/PUT/DELETE with an optional JSON body, returning the object of the
answer when it has one) and ``raw`` (the ``vultr-state api`` command). Each names its ``CallKind`` so the
pipeline knows what may be re-sent. A body that does not have the endpoint's shape becomes an
``ApiTransportError`` naming the call: nothing wire-shaped escapes as a ``KeyError``.
"""

from __future__ import annotations

import json
import logging
import re
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any, TypeVar

from vultr_state.errors import ApiTransportError, ConfigError
from vultr_state.http.pipeline import Auth, Call, Page, Pipeline
from vultr_state.http.retry import CallKind
from vultr_state.http.transport import HttpReply
from vultr_state.providers.v2 import paging
from vultr_state.providers.v2.convert import WireShapeError

log = logging.getLogger(__name__)
T = TypeVar("T")

Record = Mapping[str, Any]
RAW_METHODS = ("GET", "POST", "PATCH", "PUT", "DELETE")
PUBLIC_COLLECTIONS = frozenset({"os", "regions", "plans", "plans-metal", "applications", "iso-public"})
_RAW_PATH = re.compile(r"[a-z0-9-]+(/[A-Za-z0-9._:-]+)*")


@dataclass(frozen=True, slots=True)
class RawResponse:
    """The answer to ``V2Api.raw``: status and body text. ``repr`` shows the body's size only."""

    status: int
    body: str = field(repr=False)

    def __repr__(self) -> str:
        return f"RawResponse(status={self.status}, body=<{len(self.body)} chars>)"


class V2Api:
    """Typed verbs over one ``Pipeline`` speaking the v2 dialect.

    Args:
        pipeline: The shared pipeline (built with ``V2Dialect``).
    """

    def __init__(self, pipeline: Pipeline):
        self.pipeline = pipeline

    def list(
        self, path: str, key: str, convert: Callable[[Record], T], *, auth: Auth = Auth.REQUIRED
    ) -> list[T]:
        """Every item of the collection at ``path`` (``"instances"``), one call per page of 500, each
        turned into a model object with ``convert`` (a shape ``convert`` refuses names this call).

        Raises:
            ApiError: a page failed, did not hold a ``key`` list, or held an item ``convert`` refused.
        """
        call = Call("GET", path, CallKind.READ, auth, params=paging.page_query(""), label=f"GET /{path}")

        def page(reply: HttpReply) -> Page[Record]:
            body = _parse(call.label, reply)
            return Page(tuple(paging.items(body, key)), paging.next_cursor(body) or None)

        def converted(items: Sequence[Record]) -> list[T]:
            try:
                return [convert(item) for item in items]
            except WireShapeError as exc:
                raise ApiTransportError(call.label, 200, f"unexpected response: {exc}") from exc

        return self.pipeline.pages(call, _shaped(call.label, page), converted)

    def get(self, path: str, key: str) -> Record:
        """The object under ``key`` of ``GET /<path>``.

        Raises:
            ObjectGone: 404.
            ApiError: any other failure, or a body without a ``key`` object.
        """
        call = Call("GET", path, CallKind.READ, label=f"GET /{path}")
        return self.pipeline.send(
            call, _shaped(call.label, lambda r: paging.unwrap(_parse(call.label, r), key))
        )

    def get_names(self, path: str, key: str) -> tuple[str, ...]:
        """The ``key`` list of strings of ``GET /<path>`` (``regions/ewr/availability`` →
        ``available_plans``).

        Raises:
            ApiError: the call failed, or the body holds no list of strings under ``key``.
        """
        call = Call("GET", path, CallKind.READ, label=f"GET /{path}")

        def names(reply: HttpReply) -> tuple[str, ...]:
            body = _parse(call.label, reply)
            found = body.get(key) if isinstance(body, Mapping) else None
            if not isinstance(found, list) or not all(isinstance(item, str) for item in found):
                raise WireShapeError(f"expected an object with a {key!r} list of strings")
            return tuple(found)

        return self.pipeline.send(call, _shaped(call.label, names))

    def get_list(self, path: str, key: str) -> list[Record]:
        """The ``key`` list of an unpaged per-object listing (``instances/<id>/ipv6/reverse``), or of the
        first page of 500 of a paged one (an instance's addresses never fill a page)."""
        call = Call("GET", path, CallKind.READ, params=paging.page_query(""), label=f"GET /{path}")
        return self.pipeline.send(
            call, _shaped(call.label, lambda r: paging.items(_parse(call.label, r), key))
        )

    def create(
        self, path: str, body: Mapping[str, Any], key: str, *, secrets: tuple[str, ...] = ()
    ) -> Record:
        """``POST /<path>`` sent once; the object under ``key`` of the answer.

        Raises:
            ApiOutcomeUnknown: it failed in a way that may have created the object (never re-sent).
            ApiError: the call failed.
        """
        call = Call("POST", path, CallKind.ONCE, json=dict(body), secrets=secrets, label=f"POST /{path}")
        return self.pipeline.send(
            call, _shaped(call.label, lambda r: paging.unwrap(_parse(call.label, r), key))
        )

    def write(
        self,
        method: str,
        path: str,
        kind: CallKind,
        body: Mapping[str, Any] | None = None,
        *,
        secrets: tuple[str, ...] = (),
    ) -> None:
        """Send a write whose answer is not needed (204, or a 202 echo of the object).

        Args:
            method: ``POST``, ``PATCH``, ``PUT`` or ``DELETE``.
            path: e.g. ``"instances/<id>"``.
            kind: What a retry may do.
            body: The JSON document to send, if any.
            secrets: Values of ``body`` to keep out of every log line and message.

        Raises:
            ApiOutcomeUnknown: a ``ONCE`` call failed in a way that may have carried it out.
            ObjectGone: 404.
            ApiError: the call failed.
        """
        call = Call(
            method, path, kind, json=dict(body) if body is not None else None, secrets=secrets,
            label=f"{method} /{path}",
        )  # fmt: skip
        self.pipeline.send(call, lambda reply: None)

    def raw(
        self,
        method: str,
        path: str,
        body: Mapping[str, Any] | None = None,
        params: Mapping[str, str] | None = None,
    ) -> RawResponse:
        """Any v2 call (``vultr-state api GET /instances``): status and body text, not parsed.

        Authenticated (the public catalog endpoints with a key when one is configured), rate-limited and
        retried like the typed verbs: GETs as reads, anything else once (an unknown write is never
        re-sent after an ambiguous failure).

        Args:
            method: GET, POST, PATCH, PUT or DELETE.
            path: ``/instances``, ``instances/<id>``, ``/v2/ssh-keys``...
            body: The JSON object to send (writes).
            params: Query parameters.

        Raises:
            ConfigError: a method v2 does not use, or a path that is not one.
            ApiError: the mapped error of a non-2xx answer or a transport failure.
        """
        verb = method.upper()
        if verb not in RAW_METHODS:
            raise ConfigError(f"v2 knows {', '.join(RAW_METHODS)}, not {method!r}")
        clean = path.strip().strip("/").removeprefix("v2/")
        if not _RAW_PATH.fullmatch(clean):
            raise ConfigError(f"invalid v2 path {path!r}: expected a path such as /instances or /ssh-keys/ID")
        kind = CallKind.READ if verb == "GET" else CallKind.ONCE
        call = Call(
            verb,
            clean,
            kind,
            auth=Auth.OPTIONAL if clean.split("/")[0] in PUBLIC_COLLECTIONS else Auth.REQUIRED,
            params=tuple((params or {}).items()),
            json=dict(body) if body is not None else None,
            label=f"{verb} /{clean}",
        )
        return self.pipeline.send(call, lambda reply: RawResponse(reply.status, reply.body))


def _parse(label: str, reply: HttpReply) -> Any:
    if not reply.body.strip():
        raise WireShapeError("empty body where JSON was expected")
    try:
        return json.loads(reply.body)
    except (ValueError, RecursionError):
        raise WireShapeError("body is not valid JSON") from None


def _shaped(label: str, parse: Callable[[HttpReply], T]) -> Callable[[HttpReply], T]:
    """``parse`` with a shape mismatch turned into an ``ApiTransportError`` naming the call."""

    def run(reply: HttpReply) -> T:
        try:
            return parse(reply)
        except WireShapeError as exc:
            raise ApiTransportError(label, reply.status, f"unexpected response: {exc}") from exc

    return run
