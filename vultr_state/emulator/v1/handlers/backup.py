"""Backups: backup/list, and the backup records made when a server's automatic backups are enabled.

The emulator makes one backup (status ``complete``) each time backups are switched on for a server, at
creation with ``auto_backups=yes`` or through ``server/backup_enable``; that gives ``restore_backup``
something to restore. No periodic schedule runs.
"""

from __future__ import annotations

from vultr_state.emulator.v1 import ids
from vultr_state.emulator.v1.handlers.base import Call
from vultr_state.emulator.v1.models import BackupRecord, ServerRecord, load_all, save
from vultr_state.emulator.v1.views import backup_view
from vultr_state.emulator.v1.wire import Reply, keyed_reply

GIB = 1024**3


def add_backup(call: Call, server: ServerRecord) -> BackupRecord:
    """Record a new automatic backup of ``server``."""
    store = call.backend.store
    disk_gb = int(call.backend.catalog.plans[server.plan_id]["disk"])
    backup = BackupRecord(
        backup_id=ids.next_uniqid(store, call.now),
        subid=server.subid,
        description="Automatic server backup",
        size=disk_gb * GIB // 4,
        created_at=call.now,
    )
    save(store, backup, new=True)
    return backup


def backup_list(call: Call) -> Reply:
    """GET backup/list: BACKUPID → backup; optional filters ``SUBID`` and ``BACKUPID``; ``[]`` when none."""
    backups = load_all(call.backend.store, BackupRecord)
    subid, backup_id = call.param("SUBID"), call.param("BACKUPID")
    if subid:
        backups = [b for b in backups if b.subid == subid]
    if backup_id:
        backups = [b for b in backups if b.backup_id == backup_id]
    return keyed_reply({b.backup_id: backup_view(b) for b in backups})
