"""``Emulator``: the WSGI application of the v1 API, owning the store, catalog, rate limiter and faults.

Served over a socket by ``EmulatorServer`` (``server.py``) or in process by ``EmulatorAdapter``
(``adapter.py``); tests use its inspection helpers. Request pipeline for ``/v1/...``:

1. route lookup → 400 (``Invalid API location``); method → 405;
2. key from the ``API-Key`` header (any case) or the ``api_key`` parameter → 403 ``Invalid API key`` when
   required and missing/wrong; a wrong key on a public endpoint is ignored, as clients send it everywhere;
3. rate limit per valid key → 503 with the real text;
4. faults (``faults.py``);
5. parameters: GET from the query string; POST from the query string plus the body, but the body is only
   read when the Content-Type is ``application/x-www-form-urlencoded``. Like the PHP service, a body in any
   other encoding is simply not seen, so the handler fails on its missing parameters with its usual 412
   (vultr-node#394);
6. handler → JSON body (``Content-Type: application/json``), empty 200, or plain-text 412; an unexpected
   exception → 500.

``/_emulator/`` is the admin path (``admin.py``): never rate-limited nor faulted.
"""

from __future__ import annotations

import logging
from collections import Counter
from collections.abc import Callable, Iterable
from http import HTTPStatus
from typing import Any
from urllib.parse import parse_qsl

from vultr_state.emulator import admin
from vultr_state.emulator.catalog import Catalog
from vultr_state.emulator.config import EmulatorConfig, FaultConfig
from vultr_state.emulator.faults import DropConnection, FaultInjector, Outcome
from vultr_state.emulator.handlers.base import Backend, Call
from vultr_state.emulator.models import (
    BackupRecord,
    ScriptRecord,
    ServerRecord,
    SnapshotRecord,
    SshKeyRecord,
    load,
    load_all,
    open_store,
)
from vultr_state.emulator.ratelimit import RateLimiter, rate_limit_text
from vultr_state.emulator.routes import Auth, lookup
from vultr_state.emulator.views import (
    backup_view,
    script_view,
    server_view,
    snapshot_view,
    sshkey_view,
)
from vultr_state.emulator.wire import (
    INTERNAL_ERROR,
    INVALID_API_KEY,
    INVALID_LOCATION,
    INVALID_METHOD,
    ApiFailure,
    Reply,
    error_reply,
)

log = logging.getLogger(__name__)

FORM_CONTENT_TYPE = "application/x-www-form-urlencoded"
StartResponse = Callable[[str, list[tuple[str, str]]], Any]


def _read_params(environ: dict[str, Any]) -> tuple[dict[str, str], dict[str, tuple[str, ...]]]:
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


def _api_key(environ: dict[str, Any], params: dict[str, str]) -> str:
    return environ.get("HTTP_API_KEY") or params.get("api_key", "")


class Emulator:
    """The emulated Vultr v1 API as a WSGI application.

    Args:
        config: Behaviour settings; defaults to an in-memory account with the default key.
    """

    def __init__(self, config: EmulatorConfig | None = None) -> None:
        self.config = config or EmulatorConfig()
        self.store = open_store(self.config.state_file or ":memory:")
        self.backend = Backend(self.store, Catalog.load(), self.config)
        self.limiter = RateLimiter(self.config.rate_limit, self.config.rate_burst, self.config.clock)
        self._injector = FaultInjector(self.config.faults)
        self.call_counts: Counter[str] = Counter()

    # -- run-time settings -------------------------------------------------------------------------

    @property
    def faults(self) -> FaultConfig:
        """The fault settings in force; assigning new ones restarts their random stream."""
        return self._injector.config

    @faults.setter
    def faults(self, config: FaultConfig) -> None:
        self._injector = FaultInjector(config)

    def reset(self) -> None:
        """Empty the account, refill the rate-limit buckets and clear the call counts (faults stay)."""
        self.store.reset()
        self.limiter.reset()
        self.call_counts.clear()

    def close(self) -> None:
        """Release the database."""
        self.store.close()

    # -- inspection helpers (tests) ----------------------------------------------------------------

    def now(self) -> float:
        """The emulator clock."""
        return self.config.clock()

    def servers(self) -> list[dict[str, Any]]:
        """Every server as ``server/list`` shows it now, in creation order."""
        now, catalog = self.now(), self.backend.catalog
        return [server_view(s, catalog, now, self.config) for s in load_all(self.store, ServerRecord)]

    def server(self, subid: str) -> dict[str, Any] | None:
        """One server as ``server/list?SUBID=`` shows it, or ``None``."""
        record = load(self.store, ServerRecord, str(subid))
        return None if record is None else server_view(record, self.backend.catalog, self.now(), self.config)

    def ssh_keys(self) -> list[dict[str, Any]]:
        """Every SSH key as listed."""
        return [sshkey_view(k) for k in load_all(self.store, SshKeyRecord)]

    def startup_scripts(self) -> list[dict[str, Any]]:
        """Every startup script as listed."""
        return [script_view(s) for s in load_all(self.store, ScriptRecord)]

    def snapshots(self) -> list[dict[str, Any]]:
        """Every snapshot as listed now."""
        return [snapshot_view(s, self.now(), self.config) for s in load_all(self.store, SnapshotRecord)]

    def backups(self) -> list[dict[str, Any]]:
        """Every backup as listed."""
        return [backup_view(b) for b in load_all(self.store, BackupRecord)]

    # -- WSGI ----------------------------------------------------------------------------------------

    def __call__(self, environ: dict[str, Any], start_response: StartResponse) -> Iterable[bytes]:
        path = environ.get("PATH_INFO", "")
        if path.startswith(admin.PREFIX):
            reply = admin.handle(self, environ, *_read_params(environ))
        else:
            reply = self._handle_api(environ, path)
        status = HTTPStatus(reply.status)
        headers = [("Content-Length", str(len(reply.body)))]
        if reply.content_type:
            headers.append(("Content-Type", reply.content_type))
        start_response(f"{status.value} {status.phrase}", headers)
        return [reply.body]

    def _handle_api(self, environ: dict[str, Any], path: str) -> Reply:
        route = lookup(path)
        if route is None:
            return error_reply(400, INVALID_LOCATION)
        if environ.get("REQUEST_METHOD", "GET") not in route.methods:
            return error_reply(405, INVALID_METHOD)
        params, arrays = _read_params(environ)
        key = _api_key(environ, params)
        valid_key = key in self.config.api_keys
        if route.auth is Auth.REQUIRED and not valid_key:
            return error_reply(403, INVALID_API_KEY)
        if valid_key and not self.limiter.allow(key):
            return error_reply(503, rate_limit_text(self.config.rate_limit))
        self.call_counts[path] += 1
        decision = self._injector.decide()
        if decision.outcome is Outcome.DROP:
            raise DropConnection(path)
        if decision.delay > 0:
            self.config.sleep(decision.delay)
        if decision.outcome is Outcome.ERROR_503:
            return error_reply(503, rate_limit_text(self.config.rate_limit or 2))
        if decision.outcome is Outcome.ERROR_500:
            return error_reply(500, INTERNAL_ERROR)
        reply = self._dispatch(route.handler, Call(self.backend, params, arrays, self.now()))
        if decision.outcome is Outcome.COMMIT_DROP:
            raise DropConnection(path)
        return reply

    @staticmethod
    def _dispatch(handler: Callable[[Call], Reply], call: Call) -> Reply:
        try:
            return handler(call)
        except ApiFailure as failure:
            return error_reply(failure.status, failure.text)
        except Exception:
            log.exception("emulator: internal error in %s", getattr(handler, "__name__", handler))
            return error_reply(500, INTERNAL_ERROR)

    def __repr__(self) -> str:
        return f"Emulator({self.config!r})"
