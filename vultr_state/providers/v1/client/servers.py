"""The ``server/*`` endpoints: one typed method each, results normalised once.

Part of ``VultrClient`` (see ``api``); used by the live-state reader, the executor and tests. Methods
are named after the endpoint (``server/reverse_set_ipv4`` → ``server_reverse_set_ipv4``); ids may be
given as ``int`` or ``str``; booleans are sent as ``yes``/``no``; ``None`` leaves a parameter out.
Actions return None; failures raise the ``ApiError`` subclasses documented on ``VultrClient``.
"""

from __future__ import annotations

import base64
from collections.abc import Iterable
from typing import Any, overload

from vultr_state.providers.v1.client import normalize
from vultr_state.providers.v1.client.core import ClientCore

Id = int | str

# Fields every normalised server record carries even when the wire left them out.
SERVER_DEFAULTS: dict[str, Any] = {"v6_networks": []}


def _servers(data: Any) -> dict[str, dict]:
    return normalize.keyed(data, "SUBID", defaults=SERVER_DEFAULTS)


class ServerEndpoints(ClientCore):
    """Methods for ``server/*``."""

    @overload
    def server_list(
        self, subid: None = None, tag: str | None = None, label: str | None = None, main_ip: str | None = None
    ) -> dict[str, dict]: ...

    @overload
    def server_list(self, subid: Id, tag: None = None, label: None = None, main_ip: None = None) -> dict: ...

    def server_list(
        self,
        subid: Id | None = None,
        tag: str | None = None,
        label: str | None = None,
        main_ip: str | None = None,
    ) -> dict[str, dict] | dict:
        """``GET server/list``: the account's servers, or one server.

        Args:
            subid: Return only this server (a single record, not a mapping).
            tag: Only servers with this tag (v1 accepts one filter at a time).
            label: Only servers with this label.
            main_ip: Only the server with this main IPv4 address.

        Returns:
            ``dict[str, dict]`` SUBID → server (``{}`` when none), or one server ``dict`` with ``subid``.
        """
        params = {"SUBID": subid, "tag": tag, "label": label, "main_ip": main_ip}
        if subid is not None:
            wanted = str(subid)
            return self._read(
                "server/list",
                params,
                lambda data: normalize.single(data, "SUBID", wanted, defaults=SERVER_DEFAULTS),
            )
        return self._read("server/list", params, _servers)

    def server_create(
        self,
        dcid: Id,
        vpsplanid: Id,
        osid: Id,
        *,
        label: str | None = None,
        sshkeyids: Iterable[Id] = (),
        scriptid: Id | None = None,
        snapshotid: str | None = None,
        isoid: Id | None = None,
        appid: Id | None = None,
        enable_ipv6: bool | None = None,
        enable_private_network: bool | None = None,
        auto_backups: bool | None = None,
        notify_activate: bool | None = None,
        hostname: str | None = None,
        tag: str | None = None,
        userdata: str | None = None,
        ddos_protection: bool | None = None,
        firewallgroupid: str | None = None,
        reserved_ip_v4: str | None = None,
    ) -> str:
        """``POST server/create``: order a server. Never re-sent after an ambiguous failure.

        Args:
            dcid: Region (DCID).
            vpsplanid: Plan (VPSPLANID).
            osid: Operating system (OSID; 164 with ``snapshotid``, 159 with ``isoid``, 186 with ``appid``).
            label: Server label.
            sshkeyids: SSH key ids to install (sent as one comma-separated ``SSHKEYID``).
            scriptid: Startup script to run.
            snapshotid: Snapshot to restore (only honoured with OSID 164).
            isoid: ISO to boot (only honoured with OSID 159).
            appid: Application to install (only honoured with OSID 186).
            enable_ipv6: Assign an IPv6 /64.
            enable_private_network: Attach a private network.
            auto_backups: Enable automatic backups.
            notify_activate: E-mail when the server is ready (v1 default: yes).
            hostname: Hostname set on the server.
            tag: Server tag.
            userdata: cloud-init user data as plain text; the client base64-encodes it.
            ddos_protection: Enable DDoS protection.
            firewallgroupid: Firewall group.
            reserved_ip_v4: A reserved IPv4 address to use as the main address.

        Returns:
            The new SUBID.

        Raises:
            ApiOutcomeUnknown: a 5xx, a transport failure or an unreadable answer: the server may exist.
        """
        keys = ",".join(str(key) for key in sshkeyids)
        encoded = base64.b64encode(userdata.encode("utf-8")).decode("ascii") if userdata is not None else None
        params = {
            "DCID": dcid,
            "VPSPLANID": vpsplanid,
            "OSID": osid,
            "label": label,
            "SSHKEYID": keys or None,
            "SCRIPTID": scriptid,
            "SNAPSHOTID": snapshotid,
            "ISOID": isoid,
            "APPID": appid,
            "enable_ipv6": enable_ipv6,
            "enable_private_network": enable_private_network,
            "auto_backups": auto_backups,
            "notify_activate": notify_activate,
            "hostname": hostname,
            "tag": tag,
            "userdata": encoded,
            "ddos_protection": ddos_protection,
            "FIREWALLGROUPID": firewallgroupid,
            "reserved_ip_v4": reserved_ip_v4,
        }
        return self._create("server/create", params, lambda data: normalize.new_id(data, "SUBID"))

    def server_destroy(self, subid: Id) -> None:
        """``POST server/destroy``: destroy a server (refused by v1 in its first 5 minutes)."""
        self._act("server/destroy", {"SUBID": subid})

    def server_halt(self, subid: Id) -> None:
        """``POST server/halt``: hard power-off."""
        self._act("server/halt", {"SUBID": subid})

    def server_start(self, subid: Id) -> None:
        """``POST server/start``: power on (restarts a running server)."""
        self._act("server/start", {"SUBID": subid})

    def server_reboot(self, subid: Id) -> None:
        """``POST server/reboot``: hard reboot."""
        self._act("server/reboot", {"SUBID": subid})

    def server_reinstall(self, subid: Id, hostname: str | None = None) -> None:
        """``POST server/reinstall``: reinstall the current OS (data lost, addresses kept)."""
        self._act("server/reinstall", {"SUBID": subid, "hostname": hostname})

    def server_label_set(self, subid: Id, label: str) -> None:
        """``POST server/label_set``: set the label."""
        self._act("server/label_set", {"SUBID": subid, "label": label})

    def server_tag_set(self, subid: Id, tag: str) -> None:
        """``POST server/tag_set``: set the tag."""
        self._act("server/tag_set", {"SUBID": subid, "tag": tag})

    def server_os_change(self, subid: Id, osid: Id) -> None:
        """``POST server/os_change``: install another OS (data lost)."""
        self._act("server/os_change", {"SUBID": subid, "OSID": osid})

    def server_os_change_list(self, subid: Id) -> dict[str, dict]:
        """``GET server/os_change_list``: OSID → OS (with ``surcharge``) the server may change to."""
        return self._read(
            "server/os_change_list", {"SUBID": subid}, lambda data: normalize.keyed(data, "OSID")
        )

    def server_restore_backup(self, subid: Id, backupid: str) -> None:
        """``POST server/restore_backup``: restore a backup onto the server (data lost)."""
        self._act("server/restore_backup", {"SUBID": subid, "BACKUPID": backupid})

    def server_restore_snapshot(self, subid: Id, snapshotid: str) -> None:
        """``POST server/restore_snapshot``: restore a snapshot onto the server (data lost)."""
        self._act("server/restore_snapshot", {"SUBID": subid, "SNAPSHOTID": snapshotid})

    def server_upgrade_plan(self, subid: Id, vpsplanid: Id) -> None:
        """``POST server/upgrade_plan``: move to a bigger plan (the server reboots)."""
        self._act("server/upgrade_plan", {"SUBID": subid, "VPSPLANID": vpsplanid})

    def server_upgrade_plan_list(self, subid: Id) -> list[int]:
        """``GET server/upgrade_plan_list``: VPSPLANIDs the server may upgrade to (``[]`` when none)."""
        return self._read("server/upgrade_plan_list", {"SUBID": subid}, normalize.int_list)

    def server_ipv6_enable(self, subid: Id) -> None:
        """``POST server/ipv6_enable``: assign an IPv6 network (a no-op when it has one)."""
        self._act("server/ipv6_enable", {"SUBID": subid})

    def server_private_network_enable(self, subid: Id) -> None:
        """``POST server/private_network_enable``: attach the region's private network."""
        self._act("server/private_network_enable", {"SUBID": subid})

    def server_backup_enable(self, subid: Id) -> None:
        """``POST server/backup_enable``: turn automatic backups on."""
        self._act("server/backup_enable", {"SUBID": subid})

    def server_backup_disable(self, subid: Id) -> None:
        """``POST server/backup_disable``: turn automatic backups off (Vultr: only support turns them on
        again)."""
        self._act("server/backup_disable", {"SUBID": subid})

    def server_bandwidth(self, subid: Id) -> dict[str, list[tuple[str, int]]]:
        """``GET server/bandwidth``: per-day ``(date, bytes)`` for ``incoming_bytes``/``outgoing_bytes``."""
        return self._read("server/bandwidth", {"SUBID": subid}, normalize.bandwidth)

    def server_create_ipv4(self, subid: Id, reboot: bool | None = None) -> str | None:
        """``POST server/create_ipv4``: add an IPv4 address. Never re-sent after an ambiguous failure.

        Returns:
            The new address when v1 reports it (2020+ answers), else None.
        """
        return self._create(
            "server/create_ipv4",
            {"SUBID": subid, "reboot": reboot},
            lambda data: normalize.optional_address(data, "ipv4"),
            allow_empty=True,
        )

    def server_destroy_ipv4(self, subid: Id, ip: str) -> None:
        """``POST server/destroy_ipv4``: remove a secondary IPv4 address (the server hard-restarts)."""
        self._act("server/destroy_ipv4", {"SUBID": subid, "ip": ip})

    def server_list_ipv4(self, subid: Id) -> list[dict]:
        """``GET server/list_ipv4``: the server's IPv4 entries (``ip``, ``netmask``, ``gateway``, ``type``,
        ``reverse``); ``gateway`` is None where v1 sends ``""``."""
        return self._read("server/list_ipv4", {"SUBID": subid}, normalize.entries)

    def server_list_ipv6(self, subid: Id) -> list[dict]:
        """``GET server/list_ipv6``: the server's IPv6 entries; ``[]`` without IPv6."""
        return self._read("server/list_ipv6", {"SUBID": subid}, normalize.entries)

    def server_reverse_list_ipv6(self, subid: Id) -> list[dict]:
        """``GET server/reverse_list_ipv6``: IPv6 PTR entries (``ip``, ``reverse``); ``[]`` without IPv6."""
        return self._read("server/reverse_list_ipv6", {"SUBID": subid}, normalize.entries)

    def server_reverse_set_ipv4(self, subid: Id, ip: str, entry: str) -> None:
        """``POST server/reverse_set_ipv4``: set the PTR of one of the server's IPv4 addresses."""
        self._act("server/reverse_set_ipv4", {"SUBID": subid, "ip": ip, "entry": entry})

    def server_reverse_default_ipv4(self, subid: Id, ip: str) -> None:
        """``POST server/reverse_default_ipv4``: restore the original PTR of an IPv4 address."""
        self._act("server/reverse_default_ipv4", {"SUBID": subid, "ip": ip})

    def server_reverse_set_ipv6(self, subid: Id, ip: str, entry: str) -> None:
        """``POST server/reverse_set_ipv6``: set the PTR of an address in the server's IPv6 network."""
        self._act("server/reverse_set_ipv6", {"SUBID": subid, "ip": ip, "entry": entry})

    def server_reverse_delete_ipv6(self, subid: Id, ip: str) -> None:
        """``POST server/reverse_delete_ipv6``: remove an IPv6 reverse entry."""
        self._act("server/reverse_delete_ipv6", {"SUBID": subid, "ip": ip})
