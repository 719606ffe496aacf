"""``Emulator``: the WSGI application answering ``/v1/`` and ``/v2/`` on one port, as api.vultr.com did.

Served over a socket by ``EmulatorServer`` (``server.py``) or in process by ``EmulatorAdapter``
(``core.adapter``); tests use its inspection helpers. It is the composition root of the emulator: it owns
the one store (each face keeps its own account in it: v1 and v2 ids never mix, and a v1 client never
sees what a v2 client made; see ``v2.models``), the fault gate and
the call counts both faces share, and routes each request by prefix:

* ``/v1/...`` → ``v1.api.V1Api``; ``/v2`` and ``/v2/...`` → ``v2.api.V2Api``;
* ``/_emulator/...`` → the admin path (``admin.py``): never rate-limited nor faulted;
* anything else → the v1 face, which answers its 400 ``Invalid API location`` as the old service did.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable
from typing import Any

from vultr_state.emulator import admin
from vultr_state.emulator.core.config import EmulatorConfig, FaultConfig
from vultr_state.emulator.core.faults import FaultGate
from vultr_state.emulator.core.reply import Reply, StartResponse, send
from vultr_state.emulator.core.store import Store
from vultr_state.emulator.v1 import models as v1_models
from vultr_state.emulator.v1.api import V1Api
from vultr_state.emulator.v2 import models as v2_models
from vultr_state.emulator.v2.api import V2Api
from vultr_state.emulator.v2.routes import PREFIX as V2_PREFIX


class Emulator:
    """The emulated Vultr API (v1 and v2 faces) as a WSGI application.

    Args:
        config: Behaviour settings; defaults to an in-memory account with the default key.
    """

    def __init__(self, config: EmulatorConfig | None = None) -> None:
        self.config = config or EmulatorConfig()
        codecs = v1_models.CODECS | v2_models.CODECS
        self.store = Store(codecs, self.config.state_file or ":memory:", self.config.clock)
        if self.config.state_file:
            self.store.load_all()  # a saved account is decoded once, at start, not by the first lists
        self._faults = FaultGate(self.config.faults)
        self.call_counts: Counter[str] = Counter()
        self.v1 = V1Api(self.store, self.config, self._faults, self.call_counts)
        self.v2 = V2Api(self.store, self.config, self._faults, self.call_counts)

    # -- run-time settings -------------------------------------------------------------------------

    @property
    def faults(self) -> FaultConfig:
        """The fault settings in force; assigning new ones restarts their random stream."""
        return self._faults.config

    @faults.setter
    def faults(self, config: FaultConfig) -> None:
        self._faults.config = config

    def reset(self) -> None:
        """Empty both accounts, refill the rate-limit buckets and clear the call counts (faults stay)."""
        self.store.reset()
        self.v1.reset()
        self.v2.reset()
        self.call_counts.clear()

    def close(self) -> None:
        """Release the database."""
        self.store.close()

    # -- inspection helpers of the v1 account (tests; the v2 ones are on ``emulator.v2``) ----------

    def now(self) -> float:
        """The emulator clock."""
        return self.config.clock()

    def servers(self) -> list[dict[str, Any]]:
        """Every v1 server as ``server/list`` shows it now, in creation order."""
        return self.v1.servers()

    def server(self, subid: str) -> dict[str, Any] | None:
        """One v1 server as v1's single-server list shows it, or ``None``."""
        return self.v1.server(subid)

    def ssh_keys(self) -> list[dict[str, Any]]:
        """Every v1 SSH key as listed."""
        return self.v1.ssh_keys()

    def startup_scripts(self) -> list[dict[str, Any]]:
        """Every v1 startup script as listed."""
        return self.v1.startup_scripts()

    def snapshots(self) -> list[dict[str, Any]]:
        """Every v1 snapshot as listed now."""
        return self.v1.snapshots()

    def backups(self) -> list[dict[str, Any]]:
        """Every v1 backup as listed."""
        return self.v1.backups()

    # -- WSGI ----------------------------------------------------------------------------------------

    def __call__(self, environ: dict[str, Any], start_response: StartResponse) -> Iterable[bytes]:
        path = environ.get("PATH_INFO", "")
        return send(self._answer(path, environ), start_response)

    def _answer(self, path: str, environ: dict[str, Any]) -> Reply:
        if path.startswith(admin.PREFIX):
            return admin.handle(self, environ)
        if path == V2_PREFIX or path.startswith(V2_PREFIX + "/"):
            return self.v2.handle(environ)
        return self.v1.handle(environ)

    def __repr__(self) -> str:
        return f"Emulator({self.config!r})"
