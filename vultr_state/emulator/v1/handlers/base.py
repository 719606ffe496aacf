"""What every handler receives (``Backend``, ``Call``) and the lookups they share.

Used by all handler modules. Parameter parsing is lenient on purpose: real clients send booleans as
``yes``/``no`` but also ``true``/``1`` (JamesClonk/vultr), and ids as strings or numbers.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, replace

from vultr_state.emulator.core.allocate import password
from vultr_state.emulator.core.face import Backend as CoreBackend
from vultr_state.emulator.v1.catalog import Catalog
from vultr_state.emulator.v1.models import ServerRecord, load, save
from vultr_state.emulator.v1.views import Phase, phase
from vultr_state.emulator.v1.wire import INVALID_SERVER, ApiFailure, Reply

_TRUE = frozenset({"yes", "true", "1", "on", "y"})


Backend = CoreBackend[Catalog]


@dataclass(frozen=True, slots=True)
class Call:
    """One parsed API call.

    Attributes:
        backend: State, catalog and config.
        params: Parameters (query for GET; query then form body for POST), last value wins.
        arrays: Values of repeated ``NAME[]`` parameters, keyed by ``NAME``.
        now: The emulator clock at the start of the call.
    """

    backend: Backend
    params: dict[str, str]
    arrays: dict[str, tuple[str, ...]]
    now: float

    def param(self, name: str, default: str = "") -> str:
        """A parameter with surrounding whitespace removed, or ``default``."""
        return self.params.get(name, default).strip()

    def flag(self, name: str, default: bool = False) -> bool:
        """A yes/no parameter (any common truthy spelling counts as yes)."""
        value = self.params.get(name)
        return default if value is None else value.strip().lower() in _TRUE

    def int_param(self, name: str) -> int | None:
        """An integer parameter, or ``None`` when absent or not a number."""
        value = self.param(name)
        return int(value) if value.isdigit() else None

    def phase_of(self, server: ServerRecord) -> Phase:
        """The lifecycle phase of a server now."""
        return phase(server, self.now, self.backend.config)


Handler = Callable[[Call], Reply]


def find_server(call: Call) -> ServerRecord:
    """The server named by ``SUBID``; 412 Invalid server when absent or unknown."""
    subid = call.param("SUBID")
    server = load(call.backend.store, ServerRecord, subid) if subid.isdigit() else None
    if server is None:
        raise ApiFailure(INVALID_SERVER)
    return server


def update_server(call: Call, check: Callable[[ServerRecord], None] | None = None, **changes: object) -> None:
    """Atomically re-read the ``SUBID`` server, run ``check`` on it, and save it with ``changes``."""
    with call.backend.store.transaction():
        server = find_server(call)
        if check is not None:
            check(server)
        save(call.backend.store, replace(server, **changes))


def reinstall_changes(call: Call, server: ServerRecord) -> dict[str, object]:
    """Field changes that start a new install cycle (new password, powered on)."""
    count = server.install_count + 1
    return {
        "install_started_at": call.now,
        "install_count": count,
        "power_status": "running",
        "default_password": password(call.backend.config.seed, server.subid, count),
    }
