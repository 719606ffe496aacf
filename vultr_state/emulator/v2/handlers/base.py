"""Lookups and answers every v2 handler shares: finding an object by its path id, list envelopes.

Used by all v2 handler modules. Unknown ids follow the recordings: an instance id that is not a UUID is
400 ``invalid instance ID`` and an unknown one 404 ``instance not found`` on ``/instances/{id}`` itself,
while sub-resources (``/instances/{id}/ipv4/reverse``, ...) answer 404 ``Invalid instance-id.``; other
kinds answer 400 ``Invalid UUID format.`` for a malformed id and 404 with their own text when unknown.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import replace
from typing import Any, TypeVar

from vultr_state.emulator.core.reply import Reply
from vultr_state.emulator.v2.models import InstanceRecord, R, load, save
from vultr_state.emulator.v2.paging import Order, paginate
from vultr_state.emulator.v2.request import Call, is_uuid
from vultr_state.emulator.v2.views import instance_view, is_locked
from vultr_state.emulator.v2.wire import (
    INSTANCE_NOT_FOUND,
    INVALID_INSTANCE_ID,
    INVALID_INSTANCE_SUBRESOURCE,
    INVALID_UUID,
    LOCKED_TEMPLATE,
    ApiError,
    json_reply,
)

T = TypeVar("T")


def find(call: Call, cls: type[R], param: str, not_found: str) -> R:
    """The object of kind ``cls`` named by path parameter ``param``."""
    object_id = call.path[param]
    if not is_uuid(object_id):
        raise ApiError(400, INVALID_UUID)
    record = load(call.backend.store, cls, object_id.lower())
    if record is None:
        raise ApiError(404, not_found)
    return record


def find_instance(call: Call, *, sub_resource: bool = False) -> InstanceRecord:
    """The instance named by ``{instance-id}`` (see the module docstring for the error answers)."""
    instance_id = call.path["instance-id"]
    if sub_resource:
        record = load(call.backend.store, InstanceRecord, instance_id.lower())
        if record is None:
            raise ApiError(404, INVALID_INSTANCE_SUBRESOURCE)
        return record
    if not is_uuid(instance_id):
        raise ApiError(400, INVALID_INSTANCE_ID)
    record = load(call.backend.store, InstanceRecord, instance_id.lower())
    if record is None:
        raise ApiError(404, INSTANCE_NOT_FOUND)
    return record


def refuse_if_locked(call: Call, instance: InstanceRecord, text: str) -> None:
    """The recorded 500 when the instance's server status is ``none`` or ``locked``."""
    if is_locked(instance, call.now, call.backend.config):
        raise ApiError(500, text)


def locked_text(verb: str) -> str:
    """``Unable to <verb> server: Server is currently locked`` (the recorded family)."""
    return LOCKED_TEMPLATE.format(verb)


def update_instance(
    call: Call,
    change: Callable[[InstanceRecord], dict[str, Any]],
    *,
    sub_resource: bool = False,
) -> InstanceRecord:
    """Atomically re-read the path's instance, compute ``change(instance)`` (which may raise) and save it."""
    with call.backend.store.transaction():
        instance = find_instance(call, sub_resource=sub_resource)
        updated = replace(instance, **change(instance))
        save(call.backend.store, updated)
    return updated


def single_instance(call: Call, instance: InstanceRecord, status: int = 200) -> Reply:
    """``{"instance": {...}}`` as a single read shows it."""
    backend = call.backend
    view = instance_view(instance, backend.catalog, call.now, backend.config, single=True)
    return json_reply({"instance": view}, status)


def list_reply(
    call: Call, name: str, items: Sequence[T], order: Order, view: Callable[[T], dict[str, Any]]
) -> Reply:
    """A paged list envelope ``{name: [...], "meta": {...}}``."""
    page = paginate(items, call.query, order)
    return json_reply({name: [view(item) for item in page.items], "meta": page.meta})
