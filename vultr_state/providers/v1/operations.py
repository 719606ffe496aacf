"""The typed ``Operations`` of ``providers.base`` in v1 calls, and the registry's ``BlobStore``.

Used by the executor (through the ``Provider``) for every action of an apply. Each method is one v1
call (``reverse DNS`` picks the IPv4 or IPv6 endpoint by the address), except ``destroy``, which also
decides "gone": v1 answers a destroy of a missing object, or one already being destroyed, with a 412
whose text says so ("Invalid server", "Invalid SSH Key", "already pending destruction"...), and when a
retry after an ambiguous failure is refused that way the client raises ``ApiOutcomeUnknown`` carrying
the same text. Both become ``ObjectGone``; every other failure is raised unchanged.
"""

from __future__ import annotations

import ipaddress
from collections.abc import Mapping

from vultr_state.errors import ApiOutcomeUnknown, ApiRequestFailed, ObjectGone, PlanError
from vultr_state.model.live import LiveServer, LiveSnapshot, id_order
from vultr_state.model.plan import Kind
from vultr_state.model.registry import Blob
from vultr_state.model.server import BootKind, BootSource, ServerCreate, ServerUpdate
from vultr_state.providers.v1 import convert
from vultr_state.providers.v1.client import VultrClient
from vultr_state.providers.v1.convert import OS_CUSTOM, OS_SNAPSHOT

# 412 texts meaning "this object does not exist (any more)" or "is already being destroyed".
_GONE_PREFIXES = ("Invalid server", "Invalid SSH Key", "Invalid statup script", "Invalid startup script",
                  "Invalid snapshot")  # fmt: skip
_GOING = "already pending destruction"

# Per kind: the list call and the record's id and identity fields.
_LISTS = {
    Kind.SSH_KEY: ("sshkey_list", "SSHKEYID", "name"),
    Kind.STARTUP_SCRIPT: ("startupscript_list", "SCRIPTID", "name"),
    Kind.SERVER: ("server_list", "SUBID", "label"),
    Kind.SNAPSHOT: ("snapshot_list", "SNAPSHOTID", "description"),
}


def is_gone(message: str) -> bool:
    """True when a v1 412 text means the object no longer exists or is already being destroyed."""
    return message.startswith(_GONE_PREFIXES) or _GOING in message


class V1Operations:
    """``Operations`` over a ``VultrClient`` (see ``providers.base.Operations`` for the semantics)."""

    def __init__(self, client: VultrClient):
        self._client = client

    def create_ssh_key(self, name: str, public_key: str) -> str:
        """``sshkey/create``."""
        return self._client.sshkey_create(name, public_key)

    def update_ssh_key(self, key_id: str, *, name: str | None = None, public_key: str | None = None) -> None:
        """``sshkey/update``."""
        self._client.sshkey_update(key_id, name=name, ssh_key=public_key)

    def create_startup_script(self, name: str, script: str, script_type: str) -> str:
        """``startupscript/create``."""
        return self._client.startupscript_create(name, script, script_type)

    def update_startup_script(
        self, script_id: str, *, name: str | None = None, script: str | None = None
    ) -> None:
        """``startupscript/update``."""
        self._client.startupscript_update(script_id, name=name, script=script)

    def create_server(self, request: ServerCreate) -> str:
        """``server/create``: a snapshot boots with OSID 164 and ``SNAPSHOTID``, an ISO with 159 and
        ``ISOID``."""
        boot = request.boot
        osid = {BootKind.OS: boot.id, BootKind.SNAPSHOT: OS_SNAPSHOT, BootKind.ISO: OS_CUSTOM}[boot.kind]
        return self._client.server_create(
            request.region_id,
            request.plan_id,
            osid,
            label=request.label,
            sshkeyids=request.ssh_key_ids,
            scriptid=request.startup_script_id,
            snapshotid=boot.id if boot.kind is BootKind.SNAPSHOT else None,
            isoid=boot.id if boot.kind is BootKind.ISO else None,
            enable_ipv6=request.ipv6,
            enable_private_network=request.private_network,
            auto_backups=request.auto_backups,
            hostname=request.hostname,
            tag=_single_tag(request),
            userdata=request.user_data,
        )

    def update_server(self, server_id: str, update: ServerUpdate) -> None:
        """One call per field set, cheapest first and the rebooting plan upgrade last: ``label_set``,
        ``tag_set``, ``backup_enable``/``backup_disable``, ``ipv6_enable``, ``private_network_enable``,
        then ``upgrade_plan`` after ``upgrade_plan_list`` confirmed the plan is offered.

        Raises:
            PlanError: the plan is not offered as an upgrade of this server, more than one tag is asked
                for (v1 servers carry one), or IPv6 / the private network would be turned off.
        """
        if update.label is not None:
            self._client.server_label_set(server_id, update.label)
        tag = update.tag
        if update.tags is not None:
            if len(update.tags) > 1:
                raise PlanError(f"server {server_id}: v1 servers carry a single tag, not {len(update.tags)}")
            tag = update.tags[0] if update.tags else ""
        if tag is not None:
            self._client.server_tag_set(server_id, tag)
        if update.auto_backups is not None:
            if update.auto_backups:
                self._client.server_backup_enable(server_id)
            else:
                self._client.server_backup_disable(server_id)
        if update.enable_ipv6 is False or update.private_network is False:
            raise PlanError(f"server {server_id}: v1 cannot turn IPv6 or a private network off in place")
        if update.enable_ipv6:
            self._client.server_ipv6_enable(server_id)
        if update.private_network:
            self._client.server_private_network_enable(server_id)
        if update.plan_id is not None:
            self._upgrade_plan(server_id, update.plan_id)

    def _upgrade_plan(self, server_id: str, plan_id: str) -> None:
        offered = [str(p) for p in self._client.server_upgrade_plan_list(server_id)]
        if plan_id not in offered:
            listed = ", ".join(offered) or "none"
            raise PlanError(
                f"server {server_id}: plan {plan_id} is not offered as an upgrade "
                f"(server/upgrade_plan_list offers: {listed}); a smaller or other plan needs a replace"
            )
        self._client.server_upgrade_plan(server_id, plan_id)

    def plan_available(self, region_id: str, plan_id: str) -> bool:
        """``regions/availability``: whether ``plan_id`` can be ordered in ``region_id`` now."""
        return plan_id in {str(p) for p in self._client.regions_availability(region_id)}

    def power_on(self, server_id: str) -> None:
        """``server/start``."""
        self._client.server_start(server_id)

    def power_off(self, server_id: str) -> None:
        """``server/halt``."""
        self._client.server_halt(server_id)

    def reinstall(self, server_id: str, boot: BootSource | None, *, hostname: str | None = None) -> None:
        """``server/restore_snapshot``, or ``server/os_change`` (to the custom OS for an ISO: v1 attaches
        the ISO itself only when a server is created); ``boot`` None: ``server/reinstall`` of what is
        installed, with ``hostname`` when given (v1 sets a host name only at create or reinstall)."""
        if boot is None:
            self._client.server_reinstall(server_id, hostname=hostname)
        elif boot.kind is BootKind.SNAPSHOT:
            self._client.server_restore_snapshot(server_id, boot.id)
        else:
            self._client.server_os_change(server_id, boot.id if boot.kind is BootKind.OS else OS_CUSTOM)

    def set_reverse_dns(self, server_id: str, address: str, name: str) -> None:
        """``server/reverse_set_ipv4`` or ``server/reverse_set_ipv6``."""
        if _is_ipv6(address):
            self._client.server_reverse_set_ipv6(server_id, address, name)
        else:
            self._client.server_reverse_set_ipv4(server_id, address, name)

    def reset_reverse_dns(self, server_id: str, address: str) -> None:
        """``server/reverse_default_ipv4`` or ``server/reverse_delete_ipv6``."""
        if _is_ipv6(address):
            self._client.server_reverse_delete_ipv6(server_id, address)
        else:
            self._client.server_reverse_default_ipv4(server_id, address)

    def snapshot_server(self, server_id: str, description: str) -> str:
        """``snapshot/create``."""
        return self._client.snapshot_create(server_id, description)

    def rename_snapshot(self, snapshot_id: str, description: str) -> None:
        """v1 has no call for it: a snapshot's description is given to ``snapshot/create`` only."""
        raise PlanError(
            f"snapshot {snapshot_id}: v1 cannot rename a snapshot (its description is set at creation)"
        )

    def destroy(self, kind: Kind, object_id: str) -> None:
        """``<kind>/destroy``; "already gone" texts become ``ObjectGone``."""
        destroyers = {
            Kind.SSH_KEY: self._client.sshkey_destroy,
            Kind.STARTUP_SCRIPT: self._client.startupscript_destroy,
            Kind.SERVER: self._client.server_destroy,
            Kind.SNAPSHOT: self._client.snapshot_destroy,
        }
        try:
            destroyers[kind](object_id)
        except (ApiOutcomeUnknown, ApiRequestFailed) as exc:
            if is_gone(exc.message):
                raise ObjectGone(exc.call, exc.status, exc.message) from exc
            raise

    def list_servers(self) -> tuple[LiveServer, ...]:
        """``server/list``, converted."""
        return convert.sorted_by_id(convert.server(s) for s in self._client.server_list().values())

    def list_snapshots(self) -> tuple[LiveSnapshot, ...]:
        """``snapshot/list``, converted."""
        return convert.sorted_by_id(convert.snapshot(s) for s in self._client.snapshot_list().values())

    def list_names(self, kind: Kind) -> tuple[tuple[str, str], ...]:
        """``(id, identity)`` from the kind's list call (registry scripts included)."""
        method, id_field, name_field = _LISTS[kind]
        records = getattr(self._client, method)().values()
        pairs = ((convert.text(r, id_field), convert.text(r, name_field)) for r in records)
        return tuple(sorted(pairs, key=lambda pair: id_order(pair[0])))


class V1Blobs:
    """The registry's ``BlobStore`` in v1 startup scripts (bodies stored as they are)."""

    def __init__(self, client: VultrClient):
        self._client = client

    def list(self, prefix: str) -> tuple[Blob, ...]:
        """``startupscript/list``, the scripts whose name starts with ``prefix``."""
        scripts = self._client.startupscript_list().values()
        return convert.sorted_by_id(
            convert.blob(s) for s in scripts if convert.text(s, "name").startswith(prefix)
        )

    def create(self, name: str, body: str) -> str:
        """``startupscript/create`` of a ``boot`` script."""
        return self._client.startupscript_create(name, body, "boot")

    def update(self, blob_id: str, name: str, body: str) -> None:
        """``startupscript/update``."""
        self._client.startupscript_update(blob_id, name=name, script=body)

    def delete(self, blob_id: str) -> None:
        """``startupscript/destroy``; "already gone" becomes ``ObjectGone``."""
        V1Operations(self._client).destroy(Kind.STARTUP_SCRIPT, blob_id)

    def modified_dates(self) -> Mapping[str, str]:
        """Nothing: v1 lists carry every body, so the registry need not remember dates."""
        return {}


def _single_tag(request: ServerCreate) -> str | None:
    """v1's one tag: ``tag``, else the only one of ``tags``.

    Raises:
        PlanError: several tags were asked for.
    """
    if request.tag is not None or not request.tags:
        return request.tag
    if len(request.tags) > 1:
        raise PlanError(f"server {request.label}: v1 servers carry a single tag, not {len(request.tags)}")
    return request.tags[0]


def _is_ipv6(address: str) -> bool:
    try:
        return ipaddress.ip_address(address).version == 6
    except ValueError:
        return ":" in address
