"""Power and install endpoints of a server: halt, start, reboot, reinstall, os_change(_list),
restore_snapshot, restore_backup, upgrade_plan(_list), app_change(_list).

Every call checks SUBID first (412 Invalid server). halt/start/reboot only change ``power_status`` (start
restarts a running server, which shows no difference on the wire); the install-type calls start a new
install cycle (see ``views``) with a new default password.
"""

from __future__ import annotations

from dataclasses import replace

from vultr_state.emulator.v1.catalog import OS_APPLICATION, OS_SNAPSHOT
from vultr_state.emulator.v1.handlers.base import Call, find_server, reinstall_changes, update_server
from vultr_state.emulator.v1.models import BackupRecord, ServerRecord, SnapshotRecord, load, save
from vultr_state.emulator.v1.wire import (
    INVALID_APP,
    INVALID_BACKUP,
    INVALID_OS_CHANGE,
    INVALID_SNAPSHOT,
    INVALID_UPGRADE_PLAN,
    ApiFailure,
    Reply,
    empty_reply,
    json_reply,
    keyed_reply,
)


def server_halt(call: Call) -> Reply:
    """POST server/halt: hard power-off → ``power_status`` stopped. No ignored params."""
    update_server(call, power_status="stopped")
    return empty_reply()


def server_start(call: Call) -> Reply:
    """POST server/start: power on (a running server is restarted) → running. No ignored params."""
    update_server(call, power_status="running")
    return empty_reply()


def server_reboot(call: Call) -> Reply:
    """POST server/reboot: hard reboot → running. No ignored params."""
    update_server(call, power_status="running")
    return empty_reply()


def _reinstall(call: Call, **changes: object) -> None:
    store = call.backend.store
    with store.transaction():
        server = find_server(call)
        save(store, replace(server, **reinstall_changes(call, server), **changes))


def server_reinstall(call: Call) -> Reply:
    """POST server/reinstall: same OS, new install cycle; optional ``hostname``."""
    hostname = call.param("hostname")
    _reinstall(call, **({"hostname": hostname} if hostname else {}))
    return empty_reply()


def server_os_change_list(call: Call) -> Reply:
    """GET server/os_change_list: OSID → os with ``surcharge`` (OSID a number). No ignored params."""
    server = find_server(call)
    targets = call.backend.catalog.os_change_targets(server.plan_id)
    return keyed_reply({str(osid): entry for osid, entry in targets.items()})


def server_os_change(call: Call) -> Reply:
    """POST server/os_change: ``SUBID``, ``OSID`` from os_change_list; reinstalls with that OS."""
    server = find_server(call)
    osid = call.int_param("OSID")
    catalog = call.backend.catalog
    if osid is None or osid not in catalog.os_change_targets(server.plan_id):
        raise ApiFailure(INVALID_OS_CHANGE)
    _reinstall(call, osid=osid, os_name=catalog.oses[osid]["name"], appid=0, snapshot_id="")
    return empty_reply()


def server_restore_snapshot(call: Call) -> Reply:
    """POST server/restore_snapshot: ``SUBID``, ``SNAPSHOTID``; the server then reads os "Snapshot"."""
    find_server(call)
    snapshot_id = call.param("SNAPSHOTID")
    if load(call.backend.store, SnapshotRecord, snapshot_id) is None:
        raise ApiFailure(INVALID_SNAPSHOT)
    _reinstall(call, osid=OS_SNAPSHOT, os_name="Snapshot", snapshot_id=snapshot_id)
    return empty_reply()


def server_restore_backup(call: Call) -> Reply:
    """POST server/restore_backup: ``SUBID``, ``BACKUPID`` (from backup/list); the OS is unchanged."""
    find_server(call)
    if load(call.backend.store, BackupRecord, call.param("BACKUPID")) is None:
        raise ApiFailure(INVALID_BACKUP)
    _reinstall(call)
    return empty_reply()


def server_upgrade_plan_list(call: Call) -> Reply:
    """GET/POST server/upgrade_plan_list: array of VPSPLANIDs (ints), ``[]`` when none."""
    server = find_server(call)
    return json_reply(call.backend.catalog.upgrade_targets(server.plan_id, server.dcid))


def server_upgrade_plan(call: Call) -> Reply:
    """POST server/upgrade_plan: ``SUBID``, ``VPSPLANID`` from upgrade_plan_list; reboots the server."""
    plan_id = call.int_param("VPSPLANID")

    def check(server: ServerRecord) -> None:
        if plan_id not in call.backend.catalog.upgrade_targets(server.plan_id, server.dcid):
            raise ApiFailure(INVALID_UPGRADE_PLAN)

    update_server(call, check, plan_id=plan_id, power_status="running")
    return empty_reply()


def server_app_change_list(call: Call) -> Reply:
    """GET server/app_change_list: APPID → application with ``surcharge``. No ignored params."""
    find_server(call)
    apps = call.backend.catalog.apps
    return keyed_reply({str(appid): app for appid, app in apps.items()})


def server_app_change(call: Call) -> Reply:
    """POST server/app_change: ``SUBID``, ``APPID``; reinstalls as an Application server."""
    find_server(call)
    appid = call.int_param("APPID")
    if appid not in call.backend.catalog.apps:
        raise ApiFailure(INVALID_APP)
    _reinstall(call, osid=OS_APPLICATION, os_name="Application", appid=appid)
    return empty_reply()
