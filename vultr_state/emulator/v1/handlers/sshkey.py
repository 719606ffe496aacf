"""SSH key endpoints: sshkey/create, sshkey/list, sshkey/update, sshkey/destroy.

A key must be one authorized_keys line (``core.keys.is_authorized_key``).
"""

from __future__ import annotations

from dataclasses import replace

from vultr_state.emulator.core.keys import is_authorized_key
from vultr_state.emulator.v1 import ids
from vultr_state.emulator.v1.handlers.base import Call
from vultr_state.emulator.v1.models import KIND_SSHKEY, SshKeyRecord, load, load_all, save
from vultr_state.emulator.v1.views import format_date, sshkey_view
from vultr_state.emulator.v1.wire import (
    INVALID_SSHKEY,
    SSHKEY_CREATE_INVALID,
    SSHKEY_UPDATE_INVALID,
    ApiFailure,
    Reply,
    empty_reply,
    json_reply,
    keyed_reply,
)


def sshkey_create(call: Call) -> Reply:
    """POST sshkey/create: ``name``, ``ssh_key`` → ``{"SSHKEYID":"..."}``. No ignored params."""
    ssh_key = call.param("ssh_key")
    if not is_authorized_key(ssh_key):
        raise ApiFailure(SSHKEY_CREATE_INVALID)
    store = call.backend.store
    with store.transaction():
        key = SshKeyRecord(
            key_id=ids.next_uniqid(store, call.now),
            name=call.params.get("name", ""),
            ssh_key=ssh_key,
            date_created=format_date(call.now),
        )
        save(store, key, new=True)
    return json_reply({"SSHKEYID": key.key_id})


def sshkey_list(call: Call) -> Reply:
    """GET sshkey/list: SSHKEYID → key; ``[]`` when none. No parameters."""
    keys = load_all(call.backend.store, SshKeyRecord)
    return keyed_reply({key.key_id: sshkey_view(key) for key in keys})


def sshkey_update(call: Call) -> Reply:
    """POST sshkey/update: ``SSHKEYID`` with optional ``name`` and ``ssh_key``. No ignored params."""
    store = call.backend.store
    with store.transaction():
        key = load(store, SshKeyRecord, call.param("SSHKEYID"))
        if key is None:
            raise ApiFailure(INVALID_SSHKEY)
        if "ssh_key" in call.params:
            if not is_authorized_key(call.param("ssh_key")):
                raise ApiFailure(SSHKEY_UPDATE_INVALID)
            key = replace(key, ssh_key=call.param("ssh_key"))
        if "name" in call.params:
            key = replace(key, name=call.params["name"])
        save(store, key)
    return empty_reply()


def sshkey_destroy(call: Call) -> Reply:
    """POST sshkey/destroy: ``SSHKEYID``. Servers that received the key keep it. No ignored params."""
    if not call.backend.store.delete(KIND_SSHKEY, call.param("SSHKEYID")):
        raise ApiFailure(INVALID_SSHKEY)
    return empty_reply()
