"""The ``/_emulator/`` admin path: health, reset and run-time fault settings of a running emulator.

Called by ``Emulator`` for paths under ``/_emulator/``; used by drills and CLI tests that drive an
``emulator serve`` subprocess. Needs a valid API key (v1's ``API-Key`` header or ``api_key`` parameter, or
v2's ``Authorization: Bearer``), is never rate-limited and never faulted. Answers in the v1 dialect.

* ``GET /_emulator/health`` → ``{"ok":true,"servers":N}``
* ``POST /_emulator/reset`` → empty 200, both accounts emptied (same as ``Emulator.reset()``)
* ``GET /_emulator/faults`` → the fault settings as JSON; ``POST`` with ``FaultConfig`` field names as form
  fields replaces them (absent fields take their defaults).
"""

from __future__ import annotations

from dataclasses import asdict, fields
from typing import TYPE_CHECKING, Any

from vultr_state.emulator.core.config import FaultConfig
from vultr_state.emulator.core.reply import Reply
from vultr_state.emulator.v1.api import read_params
from vultr_state.emulator.v1.models import KIND_SERVER
from vultr_state.emulator.v1.wire import (
    INVALID_API_KEY,
    INVALID_LOCATION,
    INVALID_METHOD,
    empty_reply,
    error_reply,
    json_reply,
)

if TYPE_CHECKING:
    from vultr_state.emulator.app import Emulator

PREFIX = "/_emulator/"


def parse_fault_config(params: dict[str, str]) -> FaultConfig:
    """Build a ``FaultConfig`` from string fields; raises ``ValueError`` on a bad number."""
    values: dict[str, Any] = {}
    for field in fields(FaultConfig):
        if field.name in params:
            values[field.name] = (int if field.type == "int" else float)(params[field.name])
    return FaultConfig(**values)


def _key(environ: dict[str, Any], params: dict[str, str]) -> str:
    scheme, _, token = environ.get("HTTP_AUTHORIZATION", "").partition(" ")
    if scheme.lower() == "bearer" and token.strip():
        return token.strip()
    return environ.get("HTTP_API_KEY") or params.get("api_key", "")


def handle(emulator: Emulator, environ: dict[str, Any]) -> Reply:
    """Answer one admin request."""
    params, _arrays = read_params(environ)
    if _key(environ, params) not in emulator.config.api_keys:
        return error_reply(403, INVALID_API_KEY)
    action, method = environ.get("PATH_INFO", "")[len(PREFIX) :], environ.get("REQUEST_METHOD")
    if action == "health":
        return json_reply({"ok": True, "servers": emulator.store.count(KIND_SERVER)})
    if action == "reset":
        if method != "POST":
            return error_reply(405, INVALID_METHOD)
        emulator.reset()
        return empty_reply()
    if action == "faults":
        if method == "POST":
            try:
                emulator.faults = parse_fault_config(params)
            except ValueError as exc:
                return error_reply(412, f"Invalid fault settings.  {exc}")
        return json_reply(asdict(emulator.faults))
    return error_reply(400, INVALID_LOCATION)
