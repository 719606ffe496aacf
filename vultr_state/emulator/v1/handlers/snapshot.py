"""Snapshot endpoints: snapshot/create, snapshot/list, snapshot/destroy.

A snapshot is ``pending`` for ``snapshot_seconds`` after creation, then ``complete``; its size is the
source plan's disk size in bytes (a string), its OSID/APPID those of the source server (strings).
"""

from __future__ import annotations

from vultr_state.emulator.v1 import ids
from vultr_state.emulator.v1.handlers.base import Call, find_server
from vultr_state.emulator.v1.models import KIND_SNAPSHOT, SnapshotRecord, load_all, save
from vultr_state.emulator.v1.views import snapshot_view
from vultr_state.emulator.v1.wire import (
    INVALID_SNAPSHOT,
    ApiFailure,
    Reply,
    empty_reply,
    json_reply,
    keyed_reply,
)

GIB = 1024**3


def snapshot_create(call: Call) -> Reply:
    """POST snapshot/create: ``SUBID``, optional ``description`` → ``{"SNAPSHOTID":"..."}``."""
    store = call.backend.store
    with store.transaction():
        server = find_server(call)
        snapshot = SnapshotRecord(
            snapshot_id=ids.next_uniqid(store, call.now),
            description=call.params.get("description", ""),
            size=int(call.backend.catalog.plans[server.plan_id]["disk"]) * GIB,
            osid=server.osid,
            appid=server.appid,
            source_subid=server.subid,
            created_at=call.now,
        )
        save(store, snapshot, new=True)
    return json_reply({"SNAPSHOTID": snapshot.snapshot_id})


def snapshot_list(call: Call) -> Reply:
    """GET snapshot/list: SNAPSHOTID → snapshot, optional ``SNAPSHOTID`` filter; ``[]`` when none."""
    snapshots = load_all(call.backend.store, SnapshotRecord)
    wanted = call.param("SNAPSHOTID")
    if wanted:
        snapshots = [s for s in snapshots if s.snapshot_id == wanted]
    config = call.backend.config
    return keyed_reply({s.snapshot_id: snapshot_view(s, call.now, config) for s in snapshots})


def snapshot_destroy(call: Call) -> Reply:
    """POST snapshot/destroy: ``SNAPSHOTID``. No ignored params."""
    if not call.backend.store.delete(KIND_SNAPSHOT, call.param("SNAPSHOTID")):
        raise ApiFailure(INVALID_SNAPSHOT)
    return empty_reply()
