"""``V2Api``: the ``/v2/`` face of the emulator, the request pipeline of the v2 dialect.

Built by ``Emulator`` (which routes ``/v2/...`` paths here) over the shared store, fault gate and call
counter. The v2 account is its own (``v2.models``): v1 and v2 ids never mix. Pipeline:

1. route lookup (one trailing slash tolerated) → 404 ``Not found.``; method → 405;
2. key from ``Authorization: Bearer KEY`` → the recorded 401 ``Invalid API token.`` when an endpoint
   needs it and it is missing, empty or wrong; public endpoints ignore the header;
3. rate limit per valid key (30/s by default, ``EmulatorConfig.v2_rate_limit``) → the recorded 429;
4. faults (``core.faults``; throttle bursts answer the 429, errors a JSON 500);
5. body: read whatever the Content-Type says; empty means ``{}``; anything but a JSON object (invalid
   UTF-8 or JSON, an array, a number) → 400; ``null`` values are dropped; the query string is parsed
   leniently (empty segments such as ``?&per_page=`` are fine; ``per_page`` on a POST is ignored);
6. handler → JSON (``application/json``), or 204 with neither body nor Content-Type; an ``ApiError`` →
   its JSON error; an unexpected exception → JSON 500 (never a traceback on the wire).
"""

from __future__ import annotations

import json
import logging
from collections import Counter
from typing import Any
from urllib.parse import parse_qsl

from vultr_state.emulator.core.config import EmulatorConfig
from vultr_state.emulator.core.face import ApiFace
from vultr_state.emulator.core.faults import FaultGate, guarded
from vultr_state.emulator.core.ratelimit import RateLimiter
from vultr_state.emulator.core.reply import Reply
from vultr_state.emulator.core.store import Store
from vultr_state.emulator.v2.catalog import Catalog
from vultr_state.emulator.v2.models import (
    InstanceRecord,
    ScriptRecord,
    SnapshotRecord,
    SshKeyRecord,
    load,
    load_all,
)
from vultr_state.emulator.v2.request import Backend, Call
from vultr_state.emulator.v2.routes import PREFIX, Auth, Route, lookup
from vultr_state.emulator.v2.views import instance_view, script_view, snapshot_view, ssh_key_view
from vultr_state.emulator.v2.wire import (
    BODY_NOT_JSON,
    INTERNAL_ERROR,
    INVALID_API_TOKEN,
    METHOD_NOT_ALLOWED,
    NOT_FOUND,
    RATE_LIMITED,
    ApiError,
    error_reply,
)

log = logging.getLogger(__name__)

BODY_METHODS = frozenset({"POST", "PATCH", "PUT"})


def bearer_key(environ: dict[str, Any]) -> str:
    """The key of an ``Authorization: Bearer KEY`` header, or ``""``."""
    scheme, _, token = environ.get("HTTP_AUTHORIZATION", "").strip().partition(" ")
    return token.strip() if scheme.lower() == "bearer" else ""


def read_body(environ: dict[str, Any]) -> dict[str, Any]:
    """The request's JSON object body (see the module docstring, step 5)."""
    length = int(environ.get("CONTENT_LENGTH") or 0)
    raw = environ["wsgi.input"].read(length) if length > 0 else b""
    if not raw.strip():
        return {}
    try:
        value = json.loads(raw.decode("utf-8"))
    except (UnicodeDecodeError, ValueError, RecursionError):
        raise ApiError(400, BODY_NOT_JSON) from None
    if not isinstance(value, dict):
        raise ApiError(400, BODY_NOT_JSON)
    return {name: item for name, item in value.items() if item is not None}


class V2Api(ApiFace[Catalog]):
    """The emulated Vultr v2 API over its own account.

    Args:
        store: The shared store (v2 kinds only are used).
        config: Behaviour settings (``v2_rate_limit``/``v2_rate_burst`` are v2's).
        faults: The fault gate shared with the other face.
        call_counts: Calls per path, shared with the other face.
    """

    def __init__(
        self, store: Store, config: EmulatorConfig, faults: FaultGate, call_counts: Counter[str]
    ) -> None:
        limiter = RateLimiter(config.effective_v2_rate_limit, config.v2_rate_burst, config.clock)
        super().__init__(Backend(store, Catalog.load(), config), limiter, faults, call_counts)

    # -- inspection helpers (tests) ----------------------------------------------------------------

    def instances(self) -> list[dict[str, Any]]:
        """Every instance as ``GET /instances`` shows it now, in creation order."""
        now, backend = self.config.clock(), self.backend
        records = load_all(backend.store, InstanceRecord)
        return [instance_view(i, backend.catalog, now, self.config) for i in records]

    def instance(self, instance_id: str) -> dict[str, Any] | None:
        """One instance as a single read shows it, or ``None``."""
        record = load(self.backend.store, InstanceRecord, instance_id)
        if record is None:
            return None
        return instance_view(record, self.backend.catalog, self.config.clock(), self.config, single=True)

    def ssh_keys(self) -> list[dict[str, Any]]:
        """Every SSH key as listed."""
        return [ssh_key_view(k) for k in load_all(self.backend.store, SshKeyRecord)]

    def startup_scripts(self) -> list[dict[str, Any]]:
        """Every startup script as a single read shows it (with its base64 body)."""
        return [script_view(s, with_body=True) for s in load_all(self.backend.store, ScriptRecord)]

    def snapshots(self) -> list[dict[str, Any]]:
        """Every snapshot as listed now."""
        now = self.config.clock()
        return [snapshot_view(s, now, self.config) for s in load_all(self.backend.store, SnapshotRecord)]

    # -- requests ------------------------------------------------------------------------------------

    def handle(self, environ: dict[str, Any]) -> Reply:
        """Answer one ``/v2/...`` request (see the module docstring)."""
        path = environ.get("PATH_INFO", "")
        relative = path[len(PREFIX) :]
        if relative.endswith("/") and len(relative) > 1:
            relative = relative[:-1]
        match = lookup(relative)
        if match is None:
            return error_reply(404, NOT_FOUND)
        route = match.routes.get(environ.get("REQUEST_METHOD", "GET").upper())
        if route is None:
            return error_reply(405, METHOD_NOT_ALLOWED)
        key = bearer_key(environ)
        valid_key = key in self.config.api_keys
        if route.auth is Auth.REQUIRED and not valid_key:
            return error_reply(401, INVALID_API_TOKEN)
        if valid_key and not self.limiter.allow(key):
            return RATE_LIMITED
        self._call_counts[path] += 1
        return guarded(
            self._faults.decide(),
            lambda: self._dispatch(route, environ, match.params),
            path=path,
            sleep=self.config.sleep,
            throttled=lambda: RATE_LIMITED,
            failed=lambda: error_reply(500, INTERNAL_ERROR),
            store=self.backend.store,
            clock=self.config.clock,
        )

    def _dispatch(self, route: Route, environ: dict[str, Any], params: dict[str, str]) -> Reply:
        try:
            body = read_body(environ) if route.method in BODY_METHODS else {}
            query = dict(parse_qsl(environ.get("QUERY_STRING", ""), keep_blank_values=True))
            return route.handler(Call(self.backend, params, query, body, self.config.clock()))
        except ApiError as error:
            return error_reply(error.status, error.text)
        except Exception:
            log.exception("emulator: internal error in %s %s", route.method, route.template)
            return error_reply(500, INTERNAL_ERROR)
