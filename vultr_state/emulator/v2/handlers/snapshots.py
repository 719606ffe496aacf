"""Snapshot and ISO endpoints: ``GET/POST /snapshots``, ``POST /snapshots/create-from-url``,
``GET/PUT/DELETE /snapshots/{snapshot-id}``, ``GET/POST /iso``, ``GET/DELETE /iso/{iso-id}``.

A snapshot is ``pending`` with size 0 for ``snapshot_seconds``, then ``complete`` with the source plan's
disk size in bytes (recorded: 25 GiB for a 25 GB plan); its ``os_id``/``app_id`` are the instance's. The
instance keeps running. A snapshot from a URL reports ``os_id`` 0 (chosen) and a size of 10 GiB once
complete. ``GET /snapshots?description=`` filters on the exact description. ISOs fetched from a URL are
``pending`` (no size, no checksums) for ``snapshot_seconds`` too. Unknown ids: 404 with chosen texts.
"""

from __future__ import annotations

import hashlib
from dataclasses import replace
from urllib.parse import urlsplit

from vultr_state.emulator.core.reply import Reply
from vultr_state.emulator.v2 import ids
from vultr_state.emulator.v2.handlers.base import find, list_reply
from vultr_state.emulator.v2.models import InstanceRecord, IsoRecord, SnapshotRecord, load, load_all, save
from vultr_state.emulator.v2.paging import by_id
from vultr_state.emulator.v2.request import Call, is_uuid
from vultr_state.emulator.v2.views import GIB, iso_view, snapshot_size, snapshot_view
from vultr_state.emulator.v2.wire import (
    INSTANCE_NOT_FOUND,
    INVALID_ISO,
    INVALID_SNAPSHOT,
    INVALID_UUID,
    MISSING_FIELD,
    NO_CONTENT,
    NOT_FOUND,
    ApiError,
    json_reply,
)

URL_SNAPSHOT_BYTES = 10 * GIB
ISO_BYTES = 120_586_240


def _record_id(record: SnapshotRecord | IsoRecord) -> str:
    return record.id


def _url(call: Call) -> str:
    url = call.required_string("url")
    parts = urlsplit(url)
    if parts.scheme not in ("http", "https") or not parts.netloc:
        raise ApiError(400, MISSING_FIELD.format("url"))
    return url


def list_snapshots(call: Call) -> Reply:
    """GET /snapshots?description= (paged)."""
    snapshots = load_all(call.backend.store, SnapshotRecord)
    if "description" in call.query:
        snapshots = [s for s in snapshots if s.description == call.query["description"]]
    config = call.backend.config
    return list_reply(
        call, "snapshots", snapshots, by_id(_record_id), lambda s: snapshot_view(s, call.now, config)
    )


def _new_snapshot(call: Call, description: str, size: int, os_id: int, app_id: int) -> SnapshotRecord:
    store = call.backend.store
    snapshot = SnapshotRecord(
        ids.next_uuid(store, call.backend.config.seed), description, size, os_id, app_id, call.now
    )
    save(store, snapshot, new=True)
    return snapshot


def create_snapshot(call: Call) -> Reply:
    """POST /snapshots {instance_id, description?} → 201 ``{"snapshot": {...pending}}``."""
    instance_id = call.string("instance_id")
    if not instance_id:
        raise ApiError(400, MISSING_FIELD.format("instance_id"))
    if not is_uuid(instance_id):
        raise ApiError(400, INVALID_UUID)
    store = call.backend.store
    with store.transaction():
        instance = load(store, InstanceRecord, instance_id.lower())
        if instance is None:
            raise ApiError(404, INSTANCE_NOT_FOUND)
        size = snapshot_size(call.backend.catalog, instance.plan)
        snapshot = _new_snapshot(call, call.string("description"), size, instance.os_id, instance.app_id)
    return json_reply({"snapshot": snapshot_view(snapshot, call.now, call.backend.config)}, 201)


def create_snapshot_from_url(call: Call) -> Reply:
    """POST /snapshots/create-from-url {url, description?, uefi?} → 202 ``{"snapshot": {...pending}}``."""
    url = _url(call)
    call.boolean("uefi")  # type-checked, otherwise ignored
    with call.backend.store.transaction():
        snapshot = _new_snapshot(call, call.string("description", url), URL_SNAPSHOT_BYTES, 0, 0)
    return json_reply({"snapshot": snapshot_view(snapshot, call.now, call.backend.config)}, 202)


def get_snapshot(call: Call) -> Reply:
    """GET /snapshots/{snapshot-id}."""
    snapshot = find(call, SnapshotRecord, "snapshot-id", INVALID_SNAPSHOT)
    return json_reply({"snapshot": snapshot_view(snapshot, call.now, call.backend.config)})


def update_snapshot(call: Call) -> Reply:
    """PUT /snapshots/{snapshot-id} {description} → 204."""
    description = call.required_string("description")
    store = call.backend.store
    with store.transaction():
        snapshot = find(call, SnapshotRecord, "snapshot-id", INVALID_SNAPSHOT)
        save(store, replace(snapshot, description=description))
    return NO_CONTENT


def delete_snapshot(call: Call) -> Reply:
    """DELETE /snapshots/{snapshot-id} → 204."""
    store = call.backend.store
    with store.transaction():
        snapshot = find(call, SnapshotRecord, "snapshot-id", INVALID_SNAPSHOT)
        store.delete(SnapshotRecord.KIND, snapshot.id)
    return NO_CONTENT


def list_isos(call: Call) -> Reply:
    """GET /iso (paged)."""
    isos = load_all(call.backend.store, IsoRecord)
    config = call.backend.config
    return list_reply(call, "isos", isos, by_id(_record_id), lambda i: iso_view(i, call.now, config))


def create_iso(call: Call) -> Reply:
    """POST /iso {url} → 201 ``{"iso": {...pending}}``."""
    url = _url(call)
    digest = hashlib.sha512(url.encode()).hexdigest()
    filename = urlsplit(url).path.rsplit("/", 1)[-1] or "image.iso"
    store = call.backend.store
    with store.transaction():
        iso_id = ids.next_uuid(store, call.backend.config.seed)
        iso = IsoRecord(iso_id, filename, ISO_BYTES, hashlib.md5(url.encode()).hexdigest(), digest, call.now)
        save(store, iso, new=True)
    return json_reply({"iso": iso_view(iso, call.now, call.backend.config)}, 201)


def get_iso(call: Call) -> Reply:
    """GET /iso/{iso-id}."""
    return json_reply(
        {"iso": iso_view(find(call, IsoRecord, "iso-id", INVALID_ISO), call.now, call.backend.config)}
    )


def delete_iso(call: Call) -> Reply:
    """DELETE /iso/{iso-id} → 204."""
    store = call.backend.store
    with store.transaction():
        iso = find(call, IsoRecord, "iso-id", NOT_FOUND)
        store.delete(IsoRecord.KIND, iso.id)
    return NO_CONTENT
