"""Every endpoint outside ``server/*``: account, catalog, SSH keys, startup scripts, snapshots, backups.

Part of ``VultrClient`` (see ``api``). Same conventions as ``servers``: methods named after the
endpoint, ids as ``int`` or ``str`` in, ``str`` out, collections as ``dict[str, dict]``. The catalog
calls (``os_list``, ``plans_list``, ``regions_list``, ``regions_availability``, ``app_list``) work
without an API key.
"""

from __future__ import annotations

from typing import Any

from vultr_state.providers.v1.client import normalize
from vultr_state.providers.v1.client.core import ClientCore

Id = int | str

# Fields every normalised plan carries even when the wire left them out (2014 plans had no locations).
PLAN_DEFAULTS: dict[str, Any] = {"available_locations": []}


class ResourceEndpoints(ClientCore):
    """Methods for account, catalog, ``sshkey/*``, ``startupscript/*``, ``snapshot/*``, ``backup/*``."""

    # -- account --------------------------------------------------------------------------------------

    def account_info(self) -> dict:
        """``GET account/info``: balance, pending charges and last payment (amounts as strings or None)."""
        return self._read("account/info", {}, normalize.plain_object)

    def auth_info(self) -> dict:
        """``GET auth/info``: the key's ``acls`` (list of str), ``email`` and ``name``."""
        return self._read("auth/info", {}, normalize.auth_info)

    # -- catalog --------------------------------------------------------------------------------------

    def os_list(self) -> dict[str, dict]:
        """``GET os/list`` (public): OSID → operating system."""
        return self._read("os/list", {}, lambda data: normalize.keyed(data, "OSID"))

    def app_list(self) -> dict[str, dict]:
        """``GET app/list`` (public): APPID → application."""
        return self._read("app/list", {}, lambda data: normalize.keyed(data, "APPID"))

    def plans_list(self, type: str | None = None) -> dict[str, dict]:
        """``GET plans/list`` (public): VPSPLANID → plan.

        Args:
            type: ``all``, ``vc2``, ``ssd``, ``vdc2`` or ``dedicated``; v1's default when None.
        """
        return self._read(
            "plans/list",
            {"type": type},
            lambda data: normalize.keyed(data, "VPSPLANID", defaults=PLAN_DEFAULTS),
        )

    def regions_list(self) -> dict[str, dict]:
        """``GET regions/list`` (public): DCID → region."""
        return self._read("regions/list", {}, lambda data: normalize.keyed(data, "DCID"))

    def regions_availability(self, dcid: Id) -> list[int]:
        """``GET regions/availability``: VPSPLANIDs that can be ordered in a region now.

        The key is sent when configured (accounts with special plans see them), but is not required.
        """
        return self._read("regions/availability", {"DCID": dcid}, normalize.int_list)

    def iso_list(self) -> dict[str, dict]:
        """``GET iso/list``: ISOID → ISO image."""
        return self._read("iso/list", {}, lambda data: normalize.keyed(data, "ISOID"))

    # -- SSH keys -------------------------------------------------------------------------------------

    def sshkey_list(self) -> dict[str, dict]:
        """``GET sshkey/list``: SSHKEYID → key (``name``, ``ssh_key``, ``date_created``)."""
        return self._read("sshkey/list", {}, lambda data: normalize.keyed(data, "SSHKEYID"))

    def sshkey_create(self, name: str, ssh_key: str) -> str:
        """``POST sshkey/create``: store a public key. Never re-sent after an ambiguous failure.

        Returns:
            The new SSHKEYID.
        """
        return self._create(
            "sshkey/create",
            {"name": name, "ssh_key": ssh_key},
            lambda data: normalize.new_id(data, "SSHKEYID"),
        )

    def sshkey_update(self, sshkeyid: str, name: str | None = None, ssh_key: str | None = None) -> None:
        """``POST sshkey/update``: rename a key and/or replace its body (None leaves a field unchanged)."""
        self._act("sshkey/update", {"SSHKEYID": sshkeyid, "name": name, "ssh_key": ssh_key})

    def sshkey_destroy(self, sshkeyid: str) -> None:
        """``POST sshkey/destroy``: delete a key (servers that have it keep it)."""
        self._act("sshkey/destroy", {"SSHKEYID": sshkeyid})

    # -- startup scripts ------------------------------------------------------------------------------

    def startupscript_list(self) -> dict[str, dict]:
        """``GET startupscript/list``: SCRIPTID → script (``name``, ``type``, ``script``, dates)."""
        return self._read("startupscript/list", {}, lambda data: normalize.keyed(data, "SCRIPTID"))

    def startupscript_create(self, name: str, script: str, type: str = "boot") -> str:
        """``POST startupscript/create``: store a ``boot`` or ``pxe`` script. Never re-sent after an
        ambiguous failure.

        Returns:
            The new SCRIPTID (v1 sends it as a number; returned as a string like every id).
        """
        return self._create(
            "startupscript/create",
            {"name": name, "script": script, "type": type},
            lambda data: normalize.new_id(data, "SCRIPTID"),
        )

    def startupscript_update(self, scriptid: Id, name: str | None = None, script: str | None = None) -> None:
        """``POST startupscript/update``: rename a script and/or replace its body."""
        self._act("startupscript/update", {"SCRIPTID": scriptid, "name": name, "script": script})

    def startupscript_destroy(self, scriptid: Id) -> None:
        """``POST startupscript/destroy``: delete a script."""
        self._act("startupscript/destroy", {"SCRIPTID": scriptid})

    # -- snapshots and backups ------------------------------------------------------------------------

    def snapshot_list(self, snapshotid: str | None = None) -> dict[str, dict]:
        """``GET snapshot/list``: SNAPSHOTID → snapshot (``status`` pending|complete, ``size`` as str).

        Args:
            snapshotid: Only this snapshot (still returned as a one-entry mapping).
        """
        return self._read(
            "snapshot/list", {"SNAPSHOTID": snapshotid}, lambda data: normalize.keyed(data, "SNAPSHOTID")
        )

    def snapshot_create(self, subid: Id, description: str | None = None) -> str:
        """``POST snapshot/create``: snapshot a server. Never re-sent after an ambiguous failure.

        Returns:
            The new SNAPSHOTID.
        """
        return self._create(
            "snapshot/create",
            {"SUBID": subid, "description": description},
            lambda data: normalize.new_id(data, "SNAPSHOTID"),
        )

    def snapshot_destroy(self, snapshotid: str) -> None:
        """``POST snapshot/destroy``: delete a snapshot."""
        self._act("snapshot/destroy", {"SNAPSHOTID": snapshotid})

    def backup_list(self, subid: Id | None = None, backupid: str | None = None) -> dict[str, dict]:
        """``GET backup/list``: BACKUPID → backup, optionally only one server's or one backup."""
        return self._read(
            "backup/list",
            {"SUBID": subid, "BACKUPID": backupid},
            lambda data: normalize.keyed(data, "BACKUPID"),
        )
