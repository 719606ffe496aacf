"""Startup script endpoints: ``GET/POST /startup-scripts``, ``GET/PATCH/DELETE /startup-scripts/{id}``.

``script`` is base64 both ways (checked to decode; at most 64 KB decoded, the documented limit); list
items omit it, single reads and the create answer carry it. Create answers 201, update and delete 204.
``type`` is ``boot`` (default) or ``pxe``. An unknown id answers 404 with the text terraform matches
(``Invalid startup script ID``; its status was never recorded).
"""

from __future__ import annotations

from dataclasses import replace

from vultr_state.emulator.core.reply import Reply
from vultr_state.emulator.v2 import ids
from vultr_state.emulator.v2.handlers.base import find, list_reply
from vultr_state.emulator.v2.models import ScriptRecord, load_all, save
from vultr_state.emulator.v2.paging import by_id
from vultr_state.emulator.v2.request import Call, decode_base64
from vultr_state.emulator.v2.views import script_view
from vultr_state.emulator.v2.wire import (
    INVALID_SCRIPT_TYPE,
    INVALID_STARTUP_SCRIPT,
    NO_CONTENT,
    SCRIPT_TOO_LARGE,
    ApiError,
    json_reply,
)

SCRIPT_TYPES = ("boot", "pxe")
MAX_SCRIPT_BYTES = 64 * 1024


def _body(call: Call) -> str:
    text = call.required_string("script")
    if len(decode_base64(text, "script")) > MAX_SCRIPT_BYTES:
        raise ApiError(400, SCRIPT_TOO_LARGE)
    return text


def _type(call: Call, current: str) -> str:
    kind = call.string("type", current).lower() or "boot"
    if kind not in SCRIPT_TYPES:
        raise ApiError(400, INVALID_SCRIPT_TYPE)
    return kind


def list_startup_scripts(call: Call) -> Reply:
    """GET /startup-scripts (paged; items without ``script``)."""
    scripts = load_all(call.backend.store, ScriptRecord)
    return list_reply(
        call, "startup_scripts", scripts, by_id(_script_id), lambda s: script_view(s, with_body=False)
    )


def create_startup_script(call: Call) -> Reply:
    """POST /startup-scripts {name, script, type?} → 201 ``{"startup_script": {...}}``."""
    name, body, kind = call.required_string("name"), _body(call), _type(call, "boot")
    store = call.backend.store
    with store.transaction():
        script_id = ids.next_uuid(store, call.backend.config.seed)
        script = ScriptRecord(script_id, name, kind, body, call.now, call.now)
        save(store, script, new=True)
    return json_reply({"startup_script": script_view(script, with_body=True)}, 201)


def get_startup_script(call: Call) -> Reply:
    """GET /startup-scripts/{startup-id} (with ``script``)."""
    script = find(call, ScriptRecord, "startup-id", INVALID_STARTUP_SCRIPT)
    return json_reply({"startup_script": script_view(script, with_body=True)})


def update_startup_script(call: Call) -> Reply:
    """PATCH /startup-scripts/{startup-id} {name?, script?, type?} → 204."""
    store = call.backend.store
    with store.transaction():
        script = find(call, ScriptRecord, "startup-id", INVALID_STARTUP_SCRIPT)
        if call.has("name"):
            script = replace(script, name=call.required_string("name"))
        if call.has("script"):
            script = replace(script, script=_body(call))
        script = replace(script, type=_type(call, script.type), modified_at=call.now)
        save(store, script)
    return NO_CONTENT


def delete_startup_script(call: Call) -> Reply:
    """DELETE /startup-scripts/{startup-id} → 204."""
    store = call.backend.store
    with store.transaction():
        script = find(call, ScriptRecord, "startup-id", INVALID_STARTUP_SCRIPT)
        store.delete(ScriptRecord.KIND, script.id)
    return NO_CONTENT


def _script_id(script: ScriptRecord) -> str:
    return script.id
