"""Test support: an account served from recorded v1 wire bodies, through the client's normaliser.

``RecordedAccount`` has the list methods of ``VultrClient`` that ``V1Provider.read`` uses and converts
each recorded body with ``vultr_state.providers.v1.client.normalize``, the exact path the real client
takes, so wire quirks in the recordings (``[]`` empties, numeric ids, ``v6_main_ip: false``) are
exercised. It counts calls like ``VultrClient.calls``. Used by the v1 reader's tests in this folder
(``recordings/`` holds the bodies the planner goldens were recorded from).
"""

from __future__ import annotations

import copy
import json
from pathlib import Path
from typing import Any

from vultr_state.providers.v1.client import normalize

CATALOG_FILE = Path(__file__).with_name("recordings") / "catalog.json"

_KEYED = {
    "sshkey/list": "SSHKEYID",
    "startupscript/list": "SCRIPTID",
    "server/list": "SUBID",
    "snapshot/list": "SNAPSHOTID",
    "regions/list": "DCID",
    "plans/list": "VPSPLANID",
    "os/list": "OSID",
    "iso/list": "ISOID",
}


def load_recording(path: Path | None) -> dict[str, Any]:
    """A recording (``live.json``) merged over the shared catalog; a missing file is an empty account."""
    recording: dict[str, Any] = json.loads(CATALOG_FILE.read_text())
    if path is not None and path.exists():
        recording.update(json.loads(path.read_text()))
    return recording


class RecordedAccount:
    """Serves recorded wire bodies as the client would return them, counting calls per path."""

    def __init__(self, recording: dict[str, Any]):
        self._recording = recording
        self.calls = 0
        self.paths: list[str] = []

    def _body(self, path: str) -> Any:
        self.calls += 1
        self.paths.append(path)
        return copy.deepcopy(self._recording.get(path, []))

    def _keyed(self, path: str) -> dict[str, dict]:
        return normalize.keyed(self._body(path), _KEYED[path])

    def sshkey_list(self) -> dict[str, dict]:
        return self._keyed("sshkey/list")

    def startupscript_list(self) -> dict[str, dict]:
        return self._keyed("startupscript/list")

    def server_list(self) -> dict[str, dict]:
        return self._keyed("server/list")

    def snapshot_list(self) -> dict[str, dict]:
        return self._keyed("snapshot/list")

    def regions_list(self) -> dict[str, dict]:
        return self._keyed("regions/list")

    def plans_list(self) -> dict[str, dict]:
        return self._keyed("plans/list")

    def os_list(self) -> dict[str, dict]:
        return self._keyed("os/list")

    def iso_list(self) -> dict[str, dict]:
        return self._keyed("iso/list")

    def server_list_ipv4(self, subid: str) -> list[dict]:
        self.calls += 1
        self.paths.append(f"server/list_ipv4?SUBID={subid}")
        return normalize.entries(copy.deepcopy(self._recording.get("server/list_ipv4", {}).get(subid, [])))

    def server_reverse_list_ipv6(self, subid: str) -> list[dict]:
        self.calls += 1
        self.paths.append(f"server/reverse_list_ipv6?SUBID={subid}")
        return normalize.entries(
            copy.deepcopy(self._recording.get("server/reverse_list_ipv6", {}).get(subid, []))
        )
