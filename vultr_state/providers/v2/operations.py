"""The typed ``Operations`` of the boundary, carried out with v2 calls.

Called by the executor (through ``V2Provider.operations``). Each method sends the v2 call(s) it names
and returns once Vultr accepted them; the retry kind of every call is chosen here:

- creates (``POST /ssh-keys``, ``/startup-scripts``, ``/instances``, ``/snapshots``), ``start``,
  ``reboot``, ``reinstall``, ``restore`` and an ``os_id`` PATCH are sent once: after an ambiguous failure
  the pipeline raises ``ApiOutcomeUnknown`` and the executor looks before it acts again;
- PATCHes of names, bodies, label, tags, backups, IPv6 and plan, ``halt`` and the reverse-DNS writes
  are idempotent (a plan PATCH to the plan the instance already has is a no-op);
- DELETEs are destroys; a 404 is ``ObjectGone``.

A server Vultr reports as locked (``500 … Server is currently locked``: right after a create, while it
installs or resizes) refuses a delete, a reinstall or a power action; those calls are sent again every
``lock_poll_seconds`` until the lock clears, for at most ``lock_wait_seconds`` (an injectable sleep and
clock keep tests instant). An owned instance is created with the tag ``vultr-state:<project>`` (a hint
for lost-create confirmation and ``show``; the registry stays the authority), and keeps it through tag
updates. Bodies Vultr must never echo into a log (script bodies plain and base64, public keys) are
passed to the pipeline as secrets.
"""

from __future__ import annotations

import time
from collections.abc import Callable
from typing import Any, TypeVar

from vultr_state.errors import ApiRequestFailed, PlanError
from vultr_state.http.retry import CallKind
from vultr_state.model.live import LiveServer, LiveSnapshot
from vultr_state.model.plan import Kind
from vultr_state.model.server import BootKind, BootSource, ServerCreate, ServerUpdate
from vultr_state.providers.v2 import convert
from vultr_state.providers.v2.api import V2Api
from vultr_state.providers.v2.check import is_locked

T = TypeVar("T")

# kind -> (collection path, list key, converter, identity attribute of the converted object)
_COLLECTIONS: dict[Kind, tuple[str, str, Callable[[Any], Any], str]] = {
    Kind.SSH_KEY: ("ssh-keys", "ssh_keys", convert.ssh_key, "name"),
    Kind.STARTUP_SCRIPT: ("startup-scripts", "startup_scripts", convert.startup_script, "name"),
    Kind.SERVER: ("instances", "instances", convert.server, "label"),
    Kind.SNAPSHOT: ("snapshots", "snapshots", convert.snapshot, "description"),
}


class V2Operations:
    """``Operations`` over one ``V2Api``.

    Args:
        api: The provider's calls.
        project: The project whose ownership tag new servers carry ("" for none).
        lock_wait_seconds: How long a call refused because the server is locked is retried.
        lock_poll_seconds: The pause between those attempts.
        sleep: Sleep function (injectable).
        clock: Monotonic clock (injectable).
    """

    def __init__(
        self,
        api: V2Api,
        *,
        project: str = "",
        lock_wait_seconds: float = 600.0,
        lock_poll_seconds: float = 10.0,
        sleep: Callable[[float], None] = time.sleep,
        clock: Callable[[], float] = time.monotonic,
    ):
        self._api = api
        self.project = project
        self._lock_wait = lock_wait_seconds
        self._lock_poll = lock_poll_seconds
        self._sleep = sleep
        self._clock = clock

    # -- SSH keys and startup scripts ---------------------------------------------------------------------

    def create_ssh_key(self, name: str, public_key: str) -> str:
        """``POST /ssh-keys``; the new key's id."""
        created = self._api.create(
            "ssh-keys", {"name": name, "ssh_key": public_key}, "ssh_key", secrets=(public_key,)
        )
        return convert.ssh_key(created).id

    def update_ssh_key(self, key_id: str, *, name: str | None = None, public_key: str | None = None) -> None:
        """``PATCH /ssh-keys/{id}`` with the fields given."""
        body = _given(name=name, ssh_key=public_key)
        if body:
            self._api.write(
                "PATCH", f"ssh-keys/{key_id}", CallKind.IDEMPOTENT, body, secrets=_texts(public_key)
            )

    def create_startup_script(self, name: str, script: str, script_type: str) -> str:
        """``POST /startup-scripts`` (body base64); the new script's id."""
        encoded = convert.encode_script(script)
        created = self._api.create(
            "startup-scripts",
            {"name": name, "type": script_type, "script": encoded},
            "startup_script",
            secrets=(script, encoded),
        )
        return convert.startup_script(created).id

    def update_startup_script(
        self, script_id: str, *, name: str | None = None, script: str | None = None
    ) -> None:
        """``PATCH /startup-scripts/{id}`` with the fields given (body base64)."""
        encoded = None if script is None else convert.encode_script(script)
        body = _given(name=name, script=encoded)
        if body:
            self._api.write(
                "PATCH", f"startup-scripts/{script_id}", CallKind.IDEMPOTENT, body,
                secrets=_texts(script, encoded),
            )  # fmt: skip

    # -- servers ------------------------------------------------------------------------------------------

    def create_server(self, request: ServerCreate) -> str:
        """``POST /instances``; the new instance's id (it is pending: its answer has no address yet).

        The answer's ``default_password`` is never read; the user data (plain and base64) is a secret of
        the call, scrubbed from anything logged.
        """
        body = self.instance_body(request)
        secrets = _texts(request.user_data, body.get("user_data"))
        created = self._api.create("instances", body, "instance", secrets=secrets)
        return convert.server(created).id

    def instance_body(self, request: ServerCreate) -> dict[str, Any]:
        """The ``POST /instances`` document of ``request``."""
        body: dict[str, Any] = {"region": request.region_id, "plan": request.plan_id, "label": request.label}
        body.update(_boot_field(request.boot))
        if request.hostname:
            body["hostname"] = request.hostname
        if request.ssh_key_ids:
            body["sshkey_id"] = list(request.ssh_key_ids)
        if request.startup_script_id:
            body["script_id"] = request.startup_script_id
        if request.ipv6:
            body["enable_ipv6"] = True
        if request.private_network:
            body["enable_vpc"] = True
        body["backups"] = "enabled" if request.auto_backups else "disabled"
        body["tags"] = self._tags(_user_tags(request.tags, request.tag))
        if request.user_data:
            body["user_data"] = convert.encode_script(request.user_data)
        return body

    def update_server(self, server_id: str, update: ServerUpdate) -> None:
        """One ``PATCH /instances/{id}`` with the fields of ``update`` that are set: ``label``, ``tags``
        (the owner tag kept), ``backups`` ("enabled"/"disabled"), ``enable_ipv6`` and ``plan`` (an
        upgrade: the instance is then ``resizing``; a PATCH refused because the instance is locked is
        sent again while the lock lasts).

        Raises:
            PlanError: IPv6 would be turned off, or a private network attached or detached (v2 does
                neither in place: a replace).
        """
        if update.enable_ipv6 is False:
            raise PlanError(f"server {server_id}: v2 cannot turn IPv6 off in place")
        if update.private_network is not None:
            raise PlanError(f"server {server_id}: v2 attaches a private network only at creation")
        body: dict[str, Any] = {}
        if update.label is not None:
            body["label"] = update.label
        if update.tags is not None or update.tag is not None:
            body["tags"] = self._tags(_user_tags(update.tags or (), update.tag))
        if update.auto_backups is not None:
            body["backups"] = "enabled" if update.auto_backups else "disabled"
        if update.enable_ipv6:
            body["enable_ipv6"] = True
        if update.plan_id is not None:
            body["plan"] = update.plan_id
        if body:
            path = f"instances/{server_id}"
            self._while_locked(lambda: self._api.write("PATCH", path, CallKind.IDEMPOTENT, body))

    def plan_available(self, region_id: str, plan_id: str) -> bool:
        """``GET /regions/{id}/availability``: whether ``plan_id`` can be ordered there now."""
        return plan_id in self._api.get_names(f"regions/{region_id}/availability", "available_plans")

    def power_on(self, server_id: str) -> None:
        """``POST /instances/{id}/start`` (sent once; retried while the server is locked)."""
        self._while_locked(lambda: self._api.write("POST", f"instances/{server_id}/start", CallKind.ONCE))

    def power_off(self, server_id: str) -> None:
        """``POST /instances/{id}/halt`` (idempotent; retried while the server is locked)."""
        self._while_locked(
            lambda: self._api.write("POST", f"instances/{server_id}/halt", CallKind.IDEMPOTENT)
        )

    def reinstall(self, server_id: str, boot: BootSource | None, *, hostname: str | None = None) -> None:
        """An OS: ``PATCH {"os_id"}`` (v2 reinstalls with that OS); a snapshot: ``POST …/restore``;
        ``boot`` None: ``POST …/reinstall`` of what is installed, with ``hostname`` when given (v2's only
        way to change a host name). With both an OS and a hostname, the OS change comes first and the
        reinstall that sets the host name follows (v2's PATCH takes no host name).

        Raises:
            PlanError: an ISO boot source (create-time only on v2), or a hostname with a snapshot
                restore (a reinstall would wipe what the restore brought back).
        """
        if boot is not None and boot.kind is BootKind.OS:
            body: dict[str, Any] = {"os_id": _os_id(boot.id)}
            self._while_locked(
                lambda: self._api.write("PATCH", f"instances/{server_id}", CallKind.ONCE, body)
            )
        elif boot is not None and boot.kind is BootKind.SNAPSHOT:
            if hostname is not None:
                raise PlanError(
                    f"server {server_id}: v2 cannot set a host name while restoring a snapshot "
                    "(a reinstall would wipe it)"
                )
            restore = {"snapshot_id": boot.id}
            self._while_locked(
                lambda: self._api.write("POST", f"instances/{server_id}/restore", CallKind.ONCE, restore)
            )
        elif boot is not None:
            raise PlanError("booting a live server from an ISO is create-time only on v2: replace the server")
        if boot is None or hostname is not None:
            again = {"hostname": hostname} if hostname else {}
            self._while_locked(
                lambda: self._api.write("POST", f"instances/{server_id}/reinstall", CallKind.ONCE, again)
            )

    def set_reverse_dns(self, server_id: str, address: str, name: str) -> None:
        """``POST …/ipv4/reverse`` or ``…/ipv6/reverse`` (the IPv6 address fully expanded)."""
        if ":" in address:
            body = {"ip": convert.expand_ipv6(address), "reverse": name}
            self._api.write("POST", f"instances/{server_id}/ipv6/reverse", CallKind.IDEMPOTENT, body)
        else:
            body = {"ip": address, "reverse": name}
            self._api.write("POST", f"instances/{server_id}/ipv4/reverse", CallKind.IDEMPOTENT, body)

    def reset_reverse_dns(self, server_id: str, address: str) -> None:
        """IPv4: ``POST …/ipv4/reverse/default``; IPv6: ``DELETE …/ipv6/reverse/{expanded address}``."""
        if ":" in address:
            expanded = convert.expand_ipv6(address)
            self._api.write("DELETE", f"instances/{server_id}/ipv6/reverse/{expanded}", CallKind.DESTROY)
        else:
            self._api.write(
                "POST", f"instances/{server_id}/ipv4/reverse/default", CallKind.IDEMPOTENT, {"ip": address}
            )

    # -- snapshots ----------------------------------------------------------------------------------------

    def snapshot_server(self, server_id: str, description: str) -> str:
        """``POST /snapshots``; the new snapshot's id (pending until complete)."""
        created = self._api.create(
            "snapshots", {"instance_id": server_id, "description": description}, "snapshot"
        )
        return convert.snapshot(created).id

    def rename_snapshot(self, snapshot_id: str, description: str) -> None:
        """``PUT /snapshots/{id} {"description"}`` (204)."""
        self._api.write("PUT", f"snapshots/{snapshot_id}", CallKind.IDEMPOTENT, {"description": description})

    # -- every kind ---------------------------------------------------------------------------------------

    def destroy(self, kind: Kind, object_id: str) -> None:
        """``DELETE /<collection>/{id}`` (an instance: retried while it is locked).

        Raises:
            ObjectGone: it is already gone.
        """
        path = f"{_COLLECTIONS[kind][0]}/{object_id}"
        self._while_locked(lambda: self._api.write("DELETE", path, CallKind.DESTROY))

    # -- lists --------------------------------------------------------------------------------------------

    def list_servers(self) -> tuple[LiveServer, ...]:
        """Every instance (one call per page)."""
        return tuple(self._api.list("instances", "instances", convert.server))

    def list_snapshots(self) -> tuple[LiveSnapshot, ...]:
        """Every snapshot (one call per page)."""
        return tuple(self._api.list("snapshots", "snapshots", convert.snapshot))

    def list_names(self, kind: Kind) -> tuple[tuple[str, str], ...]:
        """``(id, identity)`` of every object of ``kind`` (one call per page)."""
        path, key, read, identity = _COLLECTIONS[kind]
        return tuple((obj.id, getattr(obj, identity)) for obj in self._api.list(path, key, read))

    # -- helpers ------------------------------------------------------------------------------------------

    def _tags(self, user_tags: list[str]) -> list[str]:
        """The user's tags plus this project's ownership tag."""
        return [*user_tags, convert.owner_tag(self.project)] if self.project else user_tags

    def _while_locked(self, send: Callable[[], T]) -> T:
        """``send()``, again every ``lock_poll_seconds`` while Vultr says the server is locked."""
        deadline = self._clock() + self._lock_wait
        while True:
            try:
                return send()
            except ApiRequestFailed as error:
                if not is_locked(error) or self._clock() + self._lock_poll > deadline:
                    raise
            self._sleep(self._lock_poll)


def _user_tags(tags: tuple[str, ...], tag: str | None) -> list[str]:
    """The user tags to send: ``tags``, else v1's single ``tag`` ("" for none)."""
    if tags:
        return list(tags)
    return [tag] if tag else []


def _boot_field(boot: BootSource) -> dict[str, Any]:
    """Exactly one of ``os_id`` (an integer), ``snapshot_id`` or ``iso_id``."""
    if boot.kind is BootKind.OS:
        return {"os_id": _os_id(boot.id)}
    if boot.kind is BootKind.SNAPSHOT:
        return {"snapshot_id": boot.id}
    return {"iso_id": boot.id}


def _given(**fields: str | None) -> dict[str, str]:
    return {name: value for name, value in fields.items() if value is not None}


def _texts(*values: str | None) -> tuple[str, ...]:
    return tuple(v for v in values if v)


def _os_id(text: str) -> int:
    """v2 OS ids are integers on the wire."""
    if not text.isdigit():
        raise PlanError(f"OS id {text!r} is not a v2 OS id (an integer from /os)")
    return int(text)
