"""Power and install actions: ``POST /instances/{id}/start|halt|reboot``, the bulk ``POST
/instances/start|halt|reboot`` (``{"instance_ids": [...]}``), ``/reinstall`` and ``/restore``.

Power actions answer 204 and only change ``power_status`` (halt → stopped; start and reboot → running);
on a locked instance they answer the recorded 500 family ("Unable to halt server: Server is currently
locked"). The bulk forms validate every id first (UUIDs of the account), skip locked instances and answer
204. ``reinstall`` (optional ``hostname``) and ``restore`` (``snapshot_id``; the emulated account keeps no
backups, so a ``backup_id`` is always unknown) start a new install cycle with a new default password.
"""

from __future__ import annotations

from dataclasses import replace

from vultr_state.emulator.core.reply import Reply
from vultr_state.emulator.v2.catalog import short_os_name
from vultr_state.emulator.v2.handlers.base import (
    locked_text,
    refuse_if_locked,
    single_instance,
    update_instance,
)
from vultr_state.emulator.v2.handlers.instances import reinstall_changes
from vultr_state.emulator.v2.models import InstanceRecord, SnapshotRecord, load, save
from vultr_state.emulator.v2.request import Call, is_uuid
from vultr_state.emulator.v2.views import is_locked
from vultr_state.emulator.v2.wire import (
    INSTANCE_NOT_FOUND,
    INVALID_BACKUP,
    INVALID_SNAPSHOT,
    INVALID_UUID,
    MISSING_FIELD,
    NO_CONTENT,
    REINSTALL_LOCKED,
    ApiError,
    json_reply,
)

POWER = {"start": "running", "halt": "stopped", "reboot": "running"}


def _power(action: str) -> object:
    def handler(call: Call) -> Reply:
        def change(instance: InstanceRecord) -> dict[str, object]:
            refuse_if_locked(call, instance, locked_text(action))
            return {"power_status": POWER[action]}

        update_instance(call, change)
        return NO_CONTENT

    handler.__name__ = f"{action}_instance"
    handler.__doc__ = f"POST /instances/{{instance-id}}/{action} → 204."
    return handler


def _bulk(action: str) -> object:
    def handler(call: Call) -> Reply:
        store, config = call.backend.store, call.backend.config
        wanted = call.strings("instance_ids") or ()
        with store.transaction():
            records = []
            for instance_id in wanted:
                if not is_uuid(instance_id):
                    raise ApiError(400, INVALID_UUID)
                record = load(store, InstanceRecord, instance_id.lower())
                if record is None:
                    raise ApiError(404, INSTANCE_NOT_FOUND)
                records.append(record)
            for record in records:
                if not is_locked(record, call.now, config):
                    save(store, replace(record, power_status=POWER[action]))
        return NO_CONTENT

    handler.__name__ = f"{action}_instances"
    handler.__doc__ = f"POST /instances/{action} {{instance_ids}} → 204."
    return handler


start_instance, halt_instance, reboot_instance = (_power(a) for a in ("start", "halt", "reboot"))
start_instances, halt_instances, reboot_instances = (_bulk(a) for a in ("start", "halt", "reboot"))


def reinstall_instance(call: Call) -> Reply:
    """POST /instances/{instance-id}/reinstall {hostname?} → 202 with the instance, installing again."""
    hostname = call.string("hostname")

    def change(instance: InstanceRecord) -> dict[str, object]:
        refuse_if_locked(call, instance, REINSTALL_LOCKED)
        return reinstall_changes(call, instance) | ({"hostname": hostname} if hostname else {})

    return single_instance(call, update_instance(call, change), 202)


def restore_instance(call: Call) -> Reply:
    """POST /instances/{instance-id}/restore {snapshot_id | backup_id} → 202 ``{"status": {...}}``."""
    catalog, store = call.backend.catalog, call.backend.store
    snapshot_id, backup_id = call.uuid("snapshot_id").lower(), call.uuid("backup_id")
    if not snapshot_id and not backup_id:
        raise ApiError(400, MISSING_FIELD.format("snapshot_id"))

    def change(instance: InstanceRecord) -> dict[str, object]:
        if not snapshot_id:
            raise ApiError(404, INVALID_BACKUP)
        snapshot = load(store, SnapshotRecord, snapshot_id)
        if snapshot is None:
            raise ApiError(404, INVALID_SNAPSHOT)
        refuse_if_locked(call, instance, locked_text("restore"))
        os_entry = catalog.oses.get(snapshot.os_id)
        os_name = short_os_name(os_entry["name"]) if os_entry else "Snapshot"
        source = {"os_id": snapshot.os_id, "os_name": os_name, "app_id": snapshot.app_id}
        return reinstall_changes(call, instance) | source | {"snapshot_id": snapshot.id}

    update_instance(call, change)
    restore_type, restore_id = ("snapshot_id", snapshot_id) if snapshot_id else ("backup_id", backup_id)
    status = {"restore_type": restore_type, "restore_id": restore_id, "status": "inprogress"}
    return json_reply({"status": status}, 202)
