"""``V1Api``: the ``/v1/`` face of the emulator, the request pipeline of the v1 dialect.

Built by ``Emulator`` (which routes ``/v1/...`` paths here) over the shared store, fault gate and call
counter; its inspection helpers back the ``Emulator`` ones tests use. Pipeline:

1. route lookup → 400 (``Invalid API location``); method → 405;
2. key from the ``API-Key`` header (any case) or the ``api_key`` parameter → 403 ``Invalid API key`` when
   required and missing/wrong; a wrong key on a public endpoint is ignored, as clients send it everywhere;
3. rate limit per valid key → 503 with the real text;
4. faults (``core.faults``; throttle bursts answer 503 like the limit);
5. parameters: GET from the query string; POST from the query string plus the body, but the body is only
   read when the Content-Type is ``application/x-www-form-urlencoded``. Like the PHP service, a body in any
   other encoding is simply not seen, so the handler fails on its missing parameters with its usual 412
   (vultr-node#394);
6. handler → JSON body (``Content-Type: application/json``), empty 200, or plain-text 412; an unexpected
   exception → 500.
"""

from __future__ import annotations

import logging
from collections import Counter
from collections.abc import Callable
from typing import Any
from urllib.parse import parse_qsl

from vultr_state.emulator.core.config import EmulatorConfig
from vultr_state.emulator.core.face import ApiFace
from vultr_state.emulator.core.faults import FaultGate, guarded
from vultr_state.emulator.core.ratelimit import RateLimiter
from vultr_state.emulator.core.reply import Reply
from vultr_state.emulator.core.store import Store
from vultr_state.emulator.v1.catalog import Catalog
from vultr_state.emulator.v1.handlers.base import Backend, Call
from vultr_state.emulator.v1.models import (
    BackupRecord,
    ScriptRecord,
    ServerRecord,
    SnapshotRecord,
    SshKeyRecord,
    load,
    load_all,
)
from vultr_state.emulator.v1.routes import Auth, lookup
from vultr_state.emulator.v1.views import backup_view, script_view, server_view, snapshot_view, sshkey_view
from vultr_state.emulator.v1.wire import (
    INTERNAL_ERROR,
    INVALID_API_KEY,
    INVALID_LOCATION,
    INVALID_METHOD,
    ApiFailure,
    error_reply,
    rate_limit_text,
)

log = logging.getLogger(__name__)

PREFIX = "/v1/"
FORM_CONTENT_TYPE = "application/x-www-form-urlencoded"


def read_params(environ: dict[str, Any]) -> tuple[dict[str, str], dict[str, tuple[str, ...]]]:
    """Parameters and ``NAME[]`` arrays of a request (see the module docstring, step 5)."""
    pairs = parse_qsl(environ.get("QUERY_STRING", ""), keep_blank_values=True)
    if environ.get("REQUEST_METHOD") == "POST":
        length = int(environ.get("CONTENT_LENGTH") or 0)
        body = environ["wsgi.input"].read(length) if length > 0 else b""
        if environ.get("CONTENT_TYPE", "").lower().startswith(FORM_CONTENT_TYPE):
            pairs += parse_qsl(body.decode("utf-8", "replace"), keep_blank_values=True)
    params: dict[str, str] = {}
    arrays: dict[str, list[str]] = {}
    for name, value in pairs:
        if name.endswith("[]"):
            arrays.setdefault(name[:-2], []).append(value)
        else:
            params[name] = value
    return params, {name: tuple(values) for name, values in arrays.items()}


class V1Api(ApiFace[Catalog]):
    """The emulated Vultr v1 API over one account.

    Args:
        store: The shared store (v1 kinds only are used).
        config: Behaviour settings (``rate_limit``/``rate_burst`` are v1's).
        faults: The fault gate shared with the other face.
        call_counts: Calls per path, shared with the other face.
    """

    def __init__(
        self, store: Store, config: EmulatorConfig, faults: FaultGate, call_counts: Counter[str]
    ) -> None:
        limiter = RateLimiter(config.rate_limit, config.rate_burst, config.clock)
        super().__init__(Backend(store, Catalog.load(), config), limiter, faults, call_counts)

    # -- inspection helpers (tests) ----------------------------------------------------------------

    def servers(self) -> list[dict[str, Any]]:
        """Every server as ``server/list`` shows it now, in creation order."""
        now, catalog, store = self.config.clock(), self.backend.catalog, self.backend.store
        return [server_view(s, catalog, now, self.config) for s in load_all(store, ServerRecord)]

    def server(self, subid: str) -> dict[str, Any] | None:
        """One server as ``server/list?SUBID=`` shows it, or ``None``."""
        record = load(self.backend.store, ServerRecord, str(subid))
        if record is None:
            return None
        return server_view(record, self.backend.catalog, self.config.clock(), self.config)

    def ssh_keys(self) -> list[dict[str, Any]]:
        """Every SSH key as listed."""
        return [sshkey_view(k) for k in load_all(self.backend.store, SshKeyRecord)]

    def startup_scripts(self) -> list[dict[str, Any]]:
        """Every startup script as listed."""
        return [script_view(s) for s in load_all(self.backend.store, ScriptRecord)]

    def snapshots(self) -> list[dict[str, Any]]:
        """Every snapshot as listed now."""
        now = self.config.clock()
        return [snapshot_view(s, now, self.config) for s in load_all(self.backend.store, SnapshotRecord)]

    def backups(self) -> list[dict[str, Any]]:
        """Every backup as listed."""
        return [backup_view(b) for b in load_all(self.backend.store, BackupRecord)]

    # -- requests ------------------------------------------------------------------------------------

    def handle(self, environ: dict[str, Any]) -> Reply:
        """Answer one ``/v1/...`` request (see the module docstring)."""
        path = environ.get("PATH_INFO", "")
        route = lookup(path)
        if route is None:
            return error_reply(400, INVALID_LOCATION)
        if environ.get("REQUEST_METHOD", "GET") not in route.methods:
            return error_reply(405, INVALID_METHOD)
        params, arrays = read_params(environ)
        key = environ.get("HTTP_API_KEY") or params.get("api_key", "")
        valid_key = key in self.config.api_keys
        if route.auth is Auth.REQUIRED and not valid_key:
            return error_reply(403, INVALID_API_KEY)
        if valid_key and not self.limiter.allow(key):
            return error_reply(503, rate_limit_text(self.config.rate_limit))
        self._call_counts[path] += 1
        return guarded(
            self._faults.decide(),
            lambda: self._dispatch(route.handler, Call(self.backend, params, arrays, self.config.clock())),
            path=path,
            sleep=self.config.sleep,
            throttled=lambda: error_reply(503, rate_limit_text(self.config.rate_limit or 2)),
            failed=lambda: error_reply(500, INTERNAL_ERROR),
            store=self.backend.store,
            clock=self.config.clock,
        )

    @staticmethod
    def _dispatch(handler: Callable[[Call], Reply], call: Call) -> Reply:
        try:
            return handler(call)
        except ApiFailure as failure:
            return error_reply(failure.status, failure.text)
        except Exception:
            log.exception("emulator: internal error in %s", getattr(handler, "__name__", handler))
            return error_reply(500, INTERNAL_ERROR)
