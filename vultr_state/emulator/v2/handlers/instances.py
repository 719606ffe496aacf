"""Instance endpoints: ``GET /instances`` (filters, paged), ``GET``/``PATCH``/``DELETE /instances/{id}``.

``PATCH`` applies every field it knows in one atomic step and answers 202 with the instance: ``label``,
``tags``/``tag``, ``hostname``, ``user_data`` (base64), ``user_scheme``, ``backups``, ``ddos_protection``,
``enable_ipv6`` (only ``true`` does anything), VPC attach/detach, ``firewall_group_id``; ``plan`` resizes
(only to a plan of ``/upgrades``; the answer shows ``resizing``); ``os_id``/``app_id``/``image_id``
reinstall with that image. A reinstall or a resize of a locked instance answers the recorded 500 family.
``DELETE`` of a locked instance answers the recorded 500 "Server is currently locked".
"""

from __future__ import annotations

from dataclasses import asdict
from typing import Any

from vultr_state.emulator.core import allocate
from vultr_state.emulator.core.allocate import password
from vultr_state.emulator.core.lifecycle import Stage
from vultr_state.emulator.core.reply import Reply
from vultr_state.emulator.v2 import ids
from vultr_state.emulator.v2.handlers.base import (
    find_instance,
    list_reply,
    locked_text,
    refuse_if_locked,
    single_instance,
    update_instance,
)
from vultr_state.emulator.v2.handlers.instance_create import (
    boot_source,
    features_from,
    merged_tags,
    user_scheme,
    wants_vpc,
)
from vultr_state.emulator.v2.models import InstanceRecord, load_all
from vultr_state.emulator.v2.paging import by_id
from vultr_state.emulator.v2.request import Call
from vultr_state.emulator.v2.views import instance_view, stage
from vultr_state.emulator.v2.wire import (
    DESTROY_LOCKED,
    INVALID_FIREWALL_GROUP,
    INVALID_PLAN,
    NO_CONTENT,
    PLAN_NOT_AN_UPGRADE,
    REINSTALL_LOCKED,
    ApiError,
)

_FILTERS = ("label", "main_ip", "region", "firewall_group_id")


def _matches(call: Call, instance: InstanceRecord, filters: dict[str, str]) -> bool:
    for name, wanted in filters.items():
        if name == "tag":
            if wanted not in instance.tags and wanted != instance.tag:
                return False
        elif name == "main_ip":
            pending = stage(instance, call.now, call.backend.config) is Stage.PENDING
            if ("0.0.0.0" if pending else instance.main_ip) != wanted:
                return False
        elif getattr(instance, name) != wanted:
            return False
    return True


def list_instances(call: Call) -> Reply:
    """GET /instances?tag=&label=&main_ip=&region=&firewall_group_id= (exact matches; paged)."""
    backend = call.backend
    filters = {name: call.query[name] for name in ("tag", *_FILTERS) if call.query.get(name)}
    instances = load_all(backend.store, InstanceRecord)
    if filters:
        instances = [i for i in instances if _matches(call, i, filters)]

    def view(instance: InstanceRecord) -> dict[str, Any]:
        return instance_view(instance, backend.catalog, call.now, backend.config)

    return list_reply(call, "instances", instances, by_id(_instance_id), view)


def get_instance(call: Call) -> Reply:
    """GET /instances/{instance-id}."""
    return single_instance(call, find_instance(call))


def delete_instance(call: Call) -> Reply:
    """DELETE /instances/{instance-id} → 204; the recorded 500 while locked."""
    store = call.backend.store
    with store.transaction():
        instance = find_instance(call)
        refuse_if_locked(call, instance, DESTROY_LOCKED)
        store.delete(InstanceRecord.KIND, instance.id)
    return NO_CONTENT


def reinstall_changes(call: Call, instance: InstanceRecord) -> dict[str, Any]:
    """Fields that start a new install cycle: locked again, powered on, a new default password."""
    count = instance.install_count + 1
    return {
        "install_started_at": call.now,
        "install_count": count,
        "power_status": "running",
        "default_password": password(call.backend.config.seed, "v2", instance.id, count),
        "password_issued_at": call.now,
        "resize_started_at": -1.0,
    }


def _patch(call: Call, instance: InstanceRecord) -> dict[str, Any]:
    backend = call.backend
    store, catalog = backend.store, backend.catalog
    tags, tag = merged_tags(call, instance.tags, instance.tag)
    changes: dict[str, Any] = {
        "label": call.string("label", instance.label),
        "hostname": call.string("hostname", instance.hostname),
        "tags": tags,
        "tag": tag,
        "user_data": call.base64_field("user_data") or instance.user_data,
        "user_scheme": user_scheme(call, instance.user_scheme),
        "features": features_from(call, instance.features),
    }
    if call.uuid("firewall_group_id"):
        raise ApiError(400, INVALID_FIREWALL_GROUP)
    if "ipv6" in changes["features"] and not instance.v6_network:
        changes["v6_network"], changes["v6_main_ip"] = allocate.next_ipv6(store)
    if wants_vpc(call) and not instance.internal_ip:
        changes["internal_ip"] = ids.vpc_ipv4(store)
    if call.strings("detach_vpc") or call.strings("detach_vpc2") or call.strings("detach_private_network"):
        changes["internal_ip"] = ""
    plan = call.string("plan")
    if plan and plan != instance.plan:
        if plan not in catalog.plans:
            raise ApiError(400, INVALID_PLAN)
        if plan not in catalog.upgrade_plans(instance.plan, instance.region):
            raise ApiError(400, PLAN_NOT_AN_UPGRADE)
        refuse_if_locked(call, instance, locked_text("upgrade"))
        changes |= {"plan": plan, "resize_started_at": call.now, "resize_from_plan": instance.plan}
    source = boot_source(call)
    if source is not None:
        refuse_if_locked(call, instance, REINSTALL_LOCKED)
        changes |= asdict(source) | reinstall_changes(call, instance)
    return changes


def update_instance_handler(call: Call) -> Reply:
    """PATCH /instances/{instance-id} → 202 with the instance (see the module docstring)."""
    return single_instance(call, update_instance(call, lambda instance: _patch(call, instance)), 202)


def _instance_id(instance: InstanceRecord) -> str:
    return instance.id
