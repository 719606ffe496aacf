"""Someone else acting on the account: objects the project does not own, put in over the API's wire.

The safety tests need a colleague's hand-made server, another tool's SSH key, another project's
registry and damaged registries. ``Stranger`` creates them with plain HTTP requests to the emulator in
the dialect of the chosen API (v1: form posts with ``API-Key``; v2: JSON with a Bearer token, script
bodies in base64), independent of vultr-state's own clients, as a person using the control panel or
another tool would.
"""

from __future__ import annotations

import base64
from dataclasses import dataclass, field

import requests

from vultr_state.emulator import DEFAULT_API_KEY
from vultr_state.model.registry import OwnedObject, PendingCreate, Registry
from vultr_state.registry import encode_registry, registry_script_name

KEY_BODY = "ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAIOlq8cZxZ3t0cHJ2ZWV6V1NmR0h5b2NxbDZkY2Fxb3Y1 colleague@laptop"
# The e2e manifest's catalog names (New Jersey, 1 GB, Ubuntu 22.04, IPv6) in each API's ids.
_V1_SERVER = {"DCID": "1", "VPSPLANID": "201", "OSID": "1743", "enable_ipv6": "yes"}
_V2_SERVER = {"region": "ewr", "plan": "vc2-1c-1gb", "os_id": 1743, "enable_ipv6": True}


@dataclass
class Stranger:
    """Makes objects in the ``api`` face of the emulator at ``url`` (never through vultr-state)."""

    api: str
    url: str
    session: requests.Session = field(default_factory=requests.Session)

    def _v1(self, call: str, **form: str) -> dict:
        answer = self.session.post(
            f"{self.url}/v1/{call}", data=form, headers={"API-Key": DEFAULT_API_KEY}, timeout=30
        )
        assert answer.status_code == 200, (call, answer.status_code, answer.text)
        return answer.json() if answer.text else {}

    def _v2(self, path: str, body: dict) -> dict:
        answer = self.session.post(
            f"{self.url}/v2/{path}",
            json=body,
            headers={"Authorization": f"Bearer {DEFAULT_API_KEY}"},
            timeout=30,
        )
        assert answer.status_code in (200, 201, 202), (path, answer.status_code, answer.text)
        return answer.json()

    def server(self, label: str, tags: tuple[str, ...] = ()) -> str:
        """A running server labelled ``label`` (v2: carrying ``tags``); returns its id."""
        if self.api == "v2":
            return str(
                self._v2("instances", {**_V2_SERVER, "label": label, "tags": list(tags)})["instance"]["id"]
            )
        return str(self._v1("server/create", label=label, **_V1_SERVER)["SUBID"])

    def ssh_key(self, name: str, body: str = KEY_BODY) -> str:
        """An SSH key named ``name`` (with ``body``); returns its id."""
        if self.api == "v2":
            return str(self._v2("ssh-keys", {"name": name, "ssh_key": body})["ssh_key"]["id"])
        return str(self._v1("sshkey/create", name=name, ssh_key=body)["SSHKEYID"])

    def script(self, name: str, body: str) -> str:
        """A boot script named ``name`` with ``body``; returns its id."""
        if self.api == "v2":
            encoded = base64.b64encode(body.encode()).decode()
            created = self._v2("startup-scripts", {"name": name, "script": encoded, "type": "boot"})
            return str(created["startup_script"]["id"])
        return str(self._v1("startupscript/create", name=name, script=body, type="boot")["SCRIPTID"])

    def registry(
        self, project: str, owned: list[tuple[str, str, str]], pending: tuple[PendingCreate, ...] = ()
    ) -> None:
        """``project``'s registry, recording ``(kind, id, name)`` objects as owned and ``pending``
        creates (as an apply that lost a create's answer leaves them)."""
        reg = Registry(
            project=project, owned=tuple(OwnedObject(k, i, n) for k, i, n in owned), pending=pending
        )
        for part, body in enumerate(encode_registry(reg)):
            self.script(registry_script_name(project, part), body)

    def damaged_registry(self, project: str) -> str:
        """A registry script of ``project`` that is not a registry document; returns its id."""
        return self.script(registry_script_name(project), '{"v":1,"owned":')
