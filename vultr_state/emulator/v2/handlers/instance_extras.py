"""Instance sub-resources clients read on the way: ``GET …/user-data``, ``GET/POST …/backup-schedule``,
``GET …/upgrades`` and ``GET …/bandwidth``.

``user-data`` answers ``{"user_data": {"data": "<base64>"}}`` (``""`` when none was set: chosen). The
backup schedule is kept per instance and reported ``enabled`` when the instance has the ``auto_backups``
feature; ``next_scheduled_time_utc`` is the next run after now, in the documented ``YYYY-MM-DD HH:MM:SS``
form. Bandwidth answers one entry per day of the last 30 days since the instance became active.
"""

from __future__ import annotations

import hashlib
import time
from typing import Any

from vultr_state.emulator.core.reply import Reply
from vultr_state.emulator.v2.handlers.base import find_instance, update_instance
from vultr_state.emulator.v2.models import BackupSchedule, InstanceRecord
from vultr_state.emulator.v2.request import Call
from vultr_state.emulator.v2.wire import (
    EMPTY_OK,
    INVALID_BACKUP_SCHEDULE,
    MISSING_FIELD,
    ApiError,
    json_reply,
)

SCHEDULE_TYPES = ("daily", "weekly", "monthly", "daily_alt_even", "daily_alt_odd")
UPGRADE_TYPES = ("all", "applications", "os", "plans")
DAY = 86_400


def get_user_data(call: Call) -> Reply:
    """GET /instances/{instance-id}/user-data."""
    return json_reply({"user_data": {"data": find_instance(call, sub_resource=True).user_data}})


def _next_run(schedule: BackupSchedule, now: float) -> str:
    day = int(now // DAY)
    for offset in range(0, 62):
        start = (day + offset) * DAY + schedule.hour * 3600
        moment = time.gmtime(start)
        weekday = (moment.tm_wday + 1) % 7 + 1  # 1 = Sunday, as documented
        if start <= now:
            continue
        if schedule.type == "weekly" and weekday != schedule.dow:
            continue
        if schedule.type == "monthly" and moment.tm_mday != schedule.dom:
            continue
        even_day = moment.tm_mday % 2 == 0
        if schedule.type.startswith("daily_alt") and even_day != schedule.type.endswith("even"):
            continue
        return time.strftime("%Y-%m-%d %H:%M:%S", moment)
    return ""


def get_backup_schedule(call: Call) -> Reply:
    """GET /instances/{instance-id}/backup-schedule."""
    instance = find_instance(call, sub_resource=True)
    schedule = instance.backup_schedule
    view = {
        "enabled": "auto_backups" in instance.features,
        "type": schedule.type,
        "next_scheduled_time_utc": _next_run(schedule, call.now),
        "hour": schedule.hour,
        "dow": schedule.dow,
        "dom": schedule.dom,
    }
    return json_reply({"backup_schedule": view})


def set_backup_schedule(call: Call) -> Reply:
    """POST /instances/{instance-id}/backup-schedule {type, hour?, dow?, dom?} → 200 with no body (the
    document describes no content)."""
    kind = call.string("type")
    if not kind:
        raise ApiError(400, MISSING_FIELD.format("type"))
    hour, dow, dom = call.integer("hour"), call.integer("dow"), call.integer("dom")
    if (
        kind not in SCHEDULE_TYPES
        or not 0 <= (hour or 0) <= 23
        or not 1 <= (dow or 1) <= 7
        or not 1 <= (dom or 1) <= 28
    ):
        raise ApiError(400, INVALID_BACKUP_SCHEDULE)

    def change(instance: InstanceRecord) -> dict[str, Any]:
        current = instance.backup_schedule
        schedule = BackupSchedule(
            type=kind,
            hour=current.hour if hour is None else hour,
            dow=current.dow if dow is None else dow,
            dom=current.dom if dom is None else dom,
        )
        return {"backup_schedule": schedule}

    update_instance(call, change, sub_resource=True)
    return EMPTY_OK


def get_upgrades(call: Call) -> Reply:
    """GET /instances/{instance-id}/upgrades?type=all|applications|os|plans."""
    instance = find_instance(call, sub_resource=True)
    catalog, wanted = call.backend.catalog, call.query.get("type", "all").lower() or "all"
    if wanted not in UPGRADE_TYPES:
        wanted = "all"
    upgrades: dict[str, Any] = {}
    if wanted in ("all", "os"):
        upgrades["os"] = catalog.reinstall_oses()
    if wanted in ("all", "applications"):
        upgrades["applications"] = list(catalog.apps.values())
    if wanted in ("all", "plans"):
        upgrades["plans"] = catalog.upgrade_plans(instance.plan, instance.region)
    return json_reply({"upgrades": upgrades})


def _traffic(instance: InstanceRecord, seed: int, day: int) -> tuple[int, int]:
    digest = hashlib.blake2b(f"{seed}:{instance.id}:{day}".encode(), digest_size=8).digest()
    value = int.from_bytes(digest, "big")
    return 5_000_000 + value % 200_000_000, 1_000_000 + (value >> 32) % 20_000_000


def get_bandwidth(call: Call) -> Reply:
    """GET /instances/{instance-id}/bandwidth → ``{"bandwidth": {"YYYY-MM-DD": {incoming_bytes, ...}}}``."""
    instance = find_instance(call, sub_resource=True)
    config = call.backend.config
    first = int((instance.created_at + config.provision_seconds) // DAY)
    today = int(call.now // DAY)
    days: dict[str, Any] = {}
    for day in range(max(first, today - 29), today + 1):
        incoming, outgoing = _traffic(instance, config.seed, day)
        label = time.strftime("%Y-%m-%d", time.gmtime(day * DAY))
        days[label] = {"incoming_bytes": incoming, "outgoing_bytes": outgoing}
    return json_reply({"bandwidth": days})
