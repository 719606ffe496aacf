"""Startup script endpoints: startupscript/create, list, update, destroy.

SCRIPTID is a JSON number in the create answer and a string in the list, as the live API sent them.
An empty ``type`` (sent by some clients) means ``boot``.
"""

from __future__ import annotations

from dataclasses import replace

from vultr_state.emulator.v1 import ids
from vultr_state.emulator.v1.handlers.base import Call
from vultr_state.emulator.v1.models import KIND_SCRIPT, ScriptRecord, load, load_all, save
from vultr_state.emulator.v1.views import format_date, script_view
from vultr_state.emulator.v1.wire import (
    INVALID_SCRIPT,
    INVALID_SCRIPT_TYPE,
    SCRIPT_BODY_REQUIRED,
    ApiFailure,
    Reply,
    empty_reply,
    json_reply,
    keyed_reply,
)

SCRIPT_TYPES = ("boot", "pxe")


def startupscript_create(call: Call) -> Reply:
    """POST startupscript/create: ``name``, ``script``, ``type`` → ``{"SCRIPTID":<number>}``."""
    script_type = call.param("type").lower() or "boot"
    if script_type not in SCRIPT_TYPES:
        raise ApiFailure(INVALID_SCRIPT_TYPE)
    if not call.params.get("script"):
        raise ApiFailure(SCRIPT_BODY_REQUIRED)
    store = call.backend.store
    with store.transaction():
        script_id = ids.next_script_id(store)
        created = format_date(call.now)
        script = ScriptRecord(
            script_id=str(script_id),
            name=call.params.get("name", ""),
            script_type=script_type,
            script=call.params["script"],
            date_created=created,
            date_modified=created,
        )
        save(store, script, new=True)
    return json_reply({"SCRIPTID": script_id})


def startupscript_list(call: Call) -> Reply:
    """GET startupscript/list: SCRIPTID → script; ``[]`` when none. No parameters."""
    scripts = load_all(call.backend.store, ScriptRecord)
    return keyed_reply({script.script_id: script_view(script) for script in scripts})


def startupscript_update(call: Call) -> Reply:
    """POST startupscript/update: ``SCRIPTID`` with optional ``name`` and ``script``. Ignores ``type``."""
    store = call.backend.store
    with store.transaction():
        script = load(store, ScriptRecord, call.param("SCRIPTID"))
        if script is None:
            raise ApiFailure(INVALID_SCRIPT)
        if "name" in call.params:
            script = replace(script, name=call.params["name"])
        if "script" in call.params:
            script = replace(script, script=call.params["script"])
        save(store, replace(script, date_modified=format_date(call.now)))
    return empty_reply()


def startupscript_destroy(call: Call) -> Reply:
    """POST startupscript/destroy: ``SCRIPTID``. No ignored params."""
    if not call.backend.store.delete(KIND_SCRIPT, call.param("SCRIPTID")):
        raise ApiFailure(INVALID_SCRIPT)
    return empty_reply()
