"""The server steps that change a live server, on both APIs, against the in-process emulator on a manual
clock: a plan upgrade is waited out (v2 ``resizing``) and refused clearly when the API does not offer
the plan; a replace re-checks that its plan can still be ordered before it destroys anything; a
reinstall is done only once the install was seen to begin, not when a lagging listing still shows the
old, ready server."""

from __future__ import annotations

import json

import pytest

from executor.support import Api, make_world, plan_of, server_create, server_spec
from vultr_state.errors import ApplyError
from vultr_state.model.plan import Action, ActionType, ChangeClass, FieldChange, Kind

BIGGER = {"v1": "202", "v2": "vc2-1c-2gb"}
DEBIAN_12 = "2136"
LIST_PATHS = ("/v1/server/list", "/v2/instances")
REINSTALL_PATHS = ("/v1/server/os_change",)


def _raw(world, server_id: str) -> dict:
    """The server's wire record (v1 ``server/list`` item, v2 instance)."""
    if world.api.name == "v1":
        return next(s for s in world.emulator.servers() if s["SUBID"] == server_id)
    return next(s for s in world.emulator.v2.instances() if s["id"] == server_id)


def _unlocked(world, server_id: str) -> bool:
    """Whether the server's install is past its locked stage (booting or ready)."""
    record = _raw(world, server_id)
    state = record["server_state"] if world.api.name == "v1" else record["server_status"]
    return record["status"] == "active" and state not in ("none", "locked")


def _created(world, api: Api, **fields) -> str:
    world.apply(plan_of(server_create("web-1", api=api, **fields)))
    (server,) = world.servers()
    world.clock.advance(60)  # fully installed
    return server.id


def _action(api: Api, server_id: str, kind: ActionType, change: FieldChange, **fields) -> Action:
    return Action("server:web-1", Kind.SERVER, "web-1", kind, live_id=server_id, changes=(change,),
                  spec=server_spec("web-1", api=api, **fields))  # fmt: skip


def test_a_plan_upgrade_waits_until_the_server_is_back_on_the_new_plan(api):
    world = make_world(api=api)
    server_id = _created(world, api)
    change = FieldChange("plan", "1 GB", "2 GB", ChangeClass.IN_PLACE)
    world.apply(plan_of(_action(api, server_id, ActionType.UPDATE, change, plan_id=BIGGER[api.name])))
    (server,) = world.servers()
    assert server.id == server_id and server.plan_id == BIGGER[api.name]
    assert server.status == "active"  # v2 was resizing for a while: the step waited it out


def test_a_plan_the_api_does_not_offer_as_an_upgrade_fails_clearly_and_changes_nothing(api):
    world = make_world(api=api)
    server_id = _created(world, api, plan_id=BIGGER[api.name])
    change = FieldChange("plan", "2 GB", "1 GB", ChangeClass.IN_PLACE)
    with pytest.raises(ApplyError) as caught:
        world.apply(plan_of(_action(api, server_id, ActionType.UPDATE, change, plan_id=api.plan_1gb)))
    (failed,) = caught.value.result.failed
    expected = "is not offered as an upgrade" if api.name == "v1" else "Only upgrades listed by"
    assert expected in failed.message
    assert world.servers()[0].plan_id == BIGGER[api.name]


def test_a_replace_whose_plan_can_no_longer_be_ordered_stops_before_destroying(api):
    world = make_world(api=api)
    server_id = _created(world, api)
    change = FieldChange("region", "New Jersey", "Chicago", ChangeClass.REPLACE)
    replace = _action(api, server_id, ActionType.REPLACE, change, region_id=api.chicago,
                      plan_id=api.plan_only_in_nj)  # fmt: skip
    with pytest.raises(ApplyError) as caught:
        world.apply(plan_of(replace))
    (failed,) = caught.value.result.failed
    assert "can no longer be ordered in region" in failed.message and "left as it is" in failed.message
    assert [s.id for s in world.servers()] == [server_id]


class StaleListings:
    """WSGI middleware: after a reinstall call, answers the next ``times`` server listings with the
    listing from before it, as an API whose lists lag behind a write would."""

    def __init__(self, app, times: int = 2):
        self.app, self.times, self.left = app, times, 0
        self.last: tuple[str, list, bytes] | None = None

    def __call__(self, environ, start_response):
        method, path = environ["REQUEST_METHOD"], environ["PATH_INFO"]
        if method == "GET" and path in LIST_PATHS and self.left and self.last is not None:
            self.left -= 1
            status, headers, body = self.last
            start_response(status, headers)
            return [body]
        if (method == "POST" and path in REINSTALL_PATHS) or (method == "PATCH" and _patches_os(environ)):
            self.left = self.times
        if method != "GET" or path not in LIST_PATHS:
            return self.app(environ, start_response)
        captured: dict = {}

        def keep(status, headers, exc_info=None):
            captured.update(status=status, headers=headers)
            return start_response(status, headers, exc_info)

        body = b"".join(self.app(environ, keep))
        self.last = (captured["status"], captured["headers"], body)
        return [body]


def _patches_os(environ) -> bool:
    """Whether a v2 PATCH carries ``os_id`` (the body is read and put back for the app)."""
    import io

    size = int(environ.get("CONTENT_LENGTH") or 0)
    body = environ["wsgi.input"].read(size)
    environ["wsgi.input"] = io.BytesIO(body)
    try:
        return "os_id" in json.loads(body or b"{}")
    except ValueError:
        return False


def test_a_reinstall_is_done_only_after_the_install_was_seen_to_begin(api):
    stale = None

    def wrap(app):
        nonlocal stale
        stale = StaleListings(app)
        return stale

    world = make_world(api=api, wrap=wrap)
    server_id = _created(world, api)
    world.provider.operations.list_servers()  # the listing a lagging API would keep showing
    change = FieldChange("os", "Ubuntu 20.04 x64", "Debian 12 x64", ChangeClass.REINSTALL)
    world.apply(plan_of(_action(api, server_id, ActionType.REINSTALL, change, os_id=DEBIAN_12)))
    assert stale is not None and stale.left == 0  # both stale listings were served (and not believed)
    assert _unlocked(world, server_id)  # the apply returned only once the new install was unlocked
    assert world.servers()[0].os_id == DEBIAN_12
