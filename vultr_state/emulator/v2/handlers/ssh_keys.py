"""SSH key endpoints: ``GET/POST /ssh-keys``, ``GET/PATCH/DELETE /ssh-keys/{ssh-key-id}``.

Create answers 201 with the key; update and delete 204. Key material must be one authorized_keys line
(``core.keys``); the v2 text for bad material was never recorded (chosen, after v1's). An unknown id
answers the recorded 404 ``Invalid ssh key.``.
"""

from __future__ import annotations

from dataclasses import replace

from vultr_state.emulator.core.keys import is_authorized_key
from vultr_state.emulator.core.reply import Reply
from vultr_state.emulator.v2 import ids
from vultr_state.emulator.v2.handlers.base import find, list_reply
from vultr_state.emulator.v2.models import SshKeyRecord, load_all, save
from vultr_state.emulator.v2.paging import by_id
from vultr_state.emulator.v2.request import Call
from vultr_state.emulator.v2.views import ssh_key_view
from vultr_state.emulator.v2.wire import (
    INVALID_KEY_MATERIAL,
    INVALID_SSH_KEY,
    NO_CONTENT,
    ApiError,
    json_reply,
)


def _material(call: Call) -> str:
    text = call.required_string("ssh_key").strip()
    if not is_authorized_key(text):
        raise ApiError(400, INVALID_KEY_MATERIAL)
    return text


def list_ssh_keys(call: Call) -> Reply:
    """GET /ssh-keys (paged)."""
    keys = load_all(call.backend.store, SshKeyRecord)
    return list_reply(call, "ssh_keys", keys, by_id(_key_id), ssh_key_view)


def create_ssh_key(call: Call) -> Reply:
    """POST /ssh-keys {name, ssh_key} → 201 ``{"ssh_key": {...}}``."""
    name, material = call.required_string("name"), _material(call)
    store = call.backend.store
    with store.transaction():
        key = SshKeyRecord(ids.next_uuid(store, call.backend.config.seed), name, material, call.now)
        save(store, key, new=True)
    return json_reply({"ssh_key": ssh_key_view(key)}, 201)


def get_ssh_key(call: Call) -> Reply:
    """GET /ssh-keys/{ssh-key-id}."""
    return json_reply({"ssh_key": ssh_key_view(find(call, SshKeyRecord, "ssh-key-id", INVALID_SSH_KEY))})


def update_ssh_key(call: Call) -> Reply:
    """PATCH /ssh-keys/{ssh-key-id} {name?, ssh_key?} → 204. Instances keep the key they were given."""
    store = call.backend.store
    with store.transaction():
        key = find(call, SshKeyRecord, "ssh-key-id", INVALID_SSH_KEY)
        if call.has("name"):
            key = replace(key, name=call.required_string("name"))
        if call.has("ssh_key"):
            key = replace(key, ssh_key=_material(call))
        save(store, key)
    return NO_CONTENT


def delete_ssh_key(call: Call) -> Reply:
    """DELETE /ssh-keys/{ssh-key-id} → 204."""
    store = call.backend.store
    with store.transaction():
        key = find(call, SshKeyRecord, "ssh-key-id", INVALID_SSH_KEY)
        store.delete(SshKeyRecord.KIND, key.id)
    return NO_CONTENT


def _key_id(key: SshKeyRecord) -> str:
    return key.id
