"""Fixtures for the safety rules of issue 12: the real CLI (a subprocess) against an emulator on a
loopback port, parametrised over both APIs.

``API_VERSIONS`` lists them; every test that takes the ``site`` fixture runs once per API. Objects that
are *not* the project's (a colleague's hand-made server, another project's key) are put into the
account through ``Stranger``, which speaks the chosen API's wire itself, so each API's account gets
them (the emulator keeps one account per API face). ``LoseCreates`` is WSGI middleware that lets the
emulator carry out a create, hides what it made for as long as the test wants (longer than any listing
the apply makes) and drops the answer: a lost create whose object is late to show.
"""

from __future__ import annotations

import base64
import threading
from collections import Counter
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import pytest
from e2e.conftest import Account, make_account
from executor.support import APIS

from safety_rules.stranger import Stranger
from vultr_state.emulator.core.faults import DropConnection

API_VERSIONS = ("v1", "v2")

# The create call of each kind on each API: (method, path).
CREATES = {
    "v1": {
        "server": ("POST", "/v1/server/create"),
        "ssh_key": ("POST", "/v1/sshkey/create"),
        "startup_script": ("POST", "/v1/startupscript/create"),
        "snapshot": ("POST", "/v1/snapshot/create"),
    },
    "v2": {
        "server": ("POST", "/v2/instances"),
        "ssh_key": ("POST", "/v2/ssh-keys"),
        "startup_script": ("POST", "/v2/startup-scripts"),
        "snapshot": ("POST", "/v2/snapshots"),
    },
}


class LoseCreates:
    """Counts calls by (method, path); the first call matching ``lose`` after ``skip`` others is carried
    out, what it created is hidden from every read until ``reveal``, and its answer is dropped.

    ``before`` (when set) runs just before a lost call is carried out (e.g. a stranger acting).
    """

    def __init__(self, app: Any, store: Any, lose: tuple[str, str] | None = None, skip: int = 0):
        self.app, self.store, self.lose, self.skip, self.left = app, store, lose, skip, 1
        self.calls: Counter[tuple[str, str]] = Counter()
        self.hidden: list[tuple[str, str]] = []
        self.before: Callable[[], None] | None = None
        self._lock = threading.Lock()

    def __call__(self, environ: dict[str, Any], start_response: Any) -> Any:
        call = (environ.get("REQUEST_METHOD", "GET"), environ.get("PATH_INFO", ""))
        with self._lock:
            self.calls[call] += 1
            lost = call == self.lose and self.left > 0 and self.calls[call] > self.skip
            self.left -= int(lost)
        if not lost:
            return self.app(environ, start_response)
        if self.before is not None:
            self.before()
        with self.store.recording_inserts() as created:
            list(self.app(environ, lambda *_a, **_k: None))
        for kind, object_id in created:
            self.store.hide(kind, object_id, float("inf"))
        self.hidden += created
        raise DropConnection(call[1])

    def arm(self, lose: tuple[str, str], skip: int = 0) -> None:
        """Lose the next call to ``lose`` after ``skip`` more such calls."""
        with self._lock:
            self.lose, self.skip, self.left = lose, self.calls[lose] + skip, 1

    def reveal(self) -> None:
        """Let every hidden object show again (its list lag is over)."""
        for kind, object_id in self.hidden:
            self.store.hide(kind, object_id, 0.0)
        self.hidden = []


@dataclass
class Site:
    """One API's view of an emulated account: the CLI pointed at it and a stranger acting on it."""

    api: str
    account: Account
    stranger: Stranger
    wire: LoseCreates | None = field(default=None)

    def run(self, *args: str, timeout: float = 120):
        """Run the CLI (``VULTR_API_VERSION`` is set to this site's API)."""
        return self.account.cli.run(*args, timeout=timeout)

    def plan(self, *args: str):
        """``plan manifest.yaml`` plus ``args``."""
        return self.run("plan", "manifest.yaml", "--rate-limit", "0", *args)

    def apply(self, *args: str, timeout: float = 120):
        """``apply manifest.yaml --auto-approve`` plus ``args``."""
        return self.account.cli.apply(*args, timeout=timeout)

    # -- what the account holds (the emulator's inspection helpers of this API's face) -----------------

    def labels(self) -> list[str]:
        """Server labels, sorted."""
        servers = (
            self.account.emulator.v2.instances() if self.api == "v2" else self.account.emulator.servers()
        )
        return sorted(s["label"] for s in servers)

    def key_ids(self) -> set[str]:
        """Ids of every SSH key."""
        if self.api == "v2":
            return {k["id"] for k in self.account.emulator.v2.ssh_keys()}
        return {k["SSHKEYID"] for k in self.account.emulator.ssh_keys()}

    def scripts(self) -> list[tuple[str, str]]:
        """``(name, body)`` of every startup script in creation order (v2 bodies decoded)."""
        if self.api == "v2":
            return [
                (s["name"], base64.b64decode(s["script"]).decode())
                for s in self.account.emulator.v2.startup_scripts()
            ]
        return [(s["name"], s["script"]) for s in self.account.emulator.startup_scripts()]

    def registry_text(self, project: str = "e2e") -> str:
        """The body of ``project``'s registry script ("" when there is none)."""
        return next((body for name, body in self.scripts() if name == f"vultr-state:{project}"), "")

    def lose(self, kind: str, skip: int = 0) -> None:
        """Lose the next create of ``kind`` (after ``skip`` more), hiding its object until ``reveal``."""
        assert self.wire is not None
        self.wire.arm(CREATES[self.api][kind], skip)

    def creates(self, kind: str) -> int:
        """Create calls of ``kind`` the emulator received (needs the ``wire`` middleware)."""
        assert self.wire is not None
        return self.wire.calls[CREATES[self.api][kind]]


def make_site(api: str, tmp_path: Path, **config) -> Iterator[Site]:
    """An emulator on a free port with the CLI aimed at its ``api`` face, every call counted by the
    ``LoseCreates`` wire (``site.lose(kind)`` arms it)."""
    wires: list[LoseCreates] = []

    def wrap(app: Any) -> LoseCreates:
        wires.append(LoseCreates(app, app.store))
        return wires[0]

    for account in make_account(tmp_path, app_wrapper=wrap, api=APIS[api], **config):
        yield Site(api, account, Stranger(api, account.server.url), wires[0])


@pytest.fixture(params=API_VERSIONS)
def site(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[Site]:
    yield from make_site(request.param, tmp_path)
