"""Neighbouring server endpoints real clients call on the way: user data, ISO attach/detach/status,
backups on/off and schedule, firewall group, neighbors, get_app_info.

Every call checks SUBID first (412 Invalid server).
"""

from __future__ import annotations

from vultr_state.emulator.v1.handlers.backup import add_backup
from vultr_state.emulator.v1.handlers.base import Call, find_server, update_server
from vultr_state.emulator.v1.models import ServerRecord
from vultr_state.emulator.v1.wire import (
    INVALID_FIREWALL_GROUP,
    INVALID_ISO,
    ApiFailure,
    Reply,
    empty_reply,
    json_reply,
)

BACKUP_SCHEDULE = {"enabled": True, "cron_type": "weekly", "hour": 8, "dow": 1, "dom": 0}


def server_set_user_data(call: Call) -> Reply:
    """POST server/set_user_data: ``SUBID``, ``userdata`` (base64, stored as sent)."""
    update_server(call, userdata=call.param("userdata"))
    return empty_reply()


def server_get_user_data(call: Call) -> Reply:
    """GET server/get_user_data → ``{"userdata":"<base64>"}``."""
    return json_reply({"userdata": find_server(call).userdata})


def server_iso_status(call: Call) -> Reply:
    """GET server/iso_status → ``{"state":"ready"|"isomounted","ISOID":"<id>"}``."""
    isoid = find_server(call).iso_attached
    return json_reply({"state": "isomounted" if isoid else "ready", "ISOID": str(isoid)})


def server_iso_attach(call: Call) -> Reply:
    """POST server/iso_attach: ``SUBID``, ``ISOID`` (from iso/list); the server reboots from it."""
    isoid = call.int_param("ISOID")

    def check(_: ServerRecord) -> None:
        if isoid not in call.backend.catalog.isos:
            raise ApiFailure(INVALID_ISO)

    update_server(call, check, iso_attached=isoid, power_status="running")
    return empty_reply()


def server_iso_detach(call: Call) -> Reply:
    """POST server/iso_detach: ``SUBID``; detaching when nothing is attached is accepted."""
    update_server(call, iso_attached=0)
    return empty_reply()


def server_backup_enable(call: Call) -> Reply:
    """POST server/backup_enable: ``SUBID``; makes a first backup when backups were off."""
    store = call.backend.store
    with store.transaction():
        server = find_server(call)
        if not server.auto_backups:
            add_backup(call, server)
        update_server(call, auto_backups=True)
    return empty_reply()


def server_backup_disable(call: Call) -> Reply:
    """POST server/backup_disable: ``SUBID``. (The real rule that only support re-enables is not kept.)"""
    update_server(call, auto_backups=False)
    return empty_reply()


def server_backup_get_schedule(call: Call) -> Reply:
    """POST server/backup_get_schedule → the fixed weekly schedule (``enabled`` follows auto_backups)."""
    server = find_server(call)
    return json_reply(
        {**BACKUP_SCHEDULE, "enabled": server.auto_backups, "next_scheduled_time_utc": "2020-10-19 08:00:00"}
    )


def server_backup_set_schedule(call: Call) -> Reply:
    """POST server/backup_set_schedule: accepted; ignores ``cron_type``, ``hour``, ``dow``, ``dom``."""
    find_server(call)
    return empty_reply()


def server_firewall_group_set(call: Call) -> Reply:
    """POST server/firewall_group_set: ``SUBID``, ``FIREWALLGROUPID`` (only "0", none, exists here)."""
    group = call.param("FIREWALLGROUPID") or "0"

    def check(_: ServerRecord) -> None:
        if group != "0":
            raise ApiFailure(INVALID_FIREWALL_GROUP)

    update_server(call, check, firewall_group=group)
    return empty_reply()


def server_neighbors(call: Call) -> Reply:
    """GET server/neighbors: SUBIDs on the same host (array of ints); always ``[]`` here."""
    find_server(call)
    return json_reply([])


def server_get_app_info(call: Call) -> Reply:
    """GET server/get_app_info → ``{"app_info":"..."}`` (empty for non-application servers)."""
    server = find_server(call)
    info = f"Application {server.appid} installed." if server.appid else ""
    return json_reply({"app_info": info})
