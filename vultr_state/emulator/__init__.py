"""A faithful emulator of the Vultr v1 HTTP API, for tests, demos and benchmarks.

It mirrors the wire as the real service behaved in 2018-2020 (see ``wire``, ``views`` and the shared
reference): form-encoded POSTs, ``api_key`` or ``API-Key`` authentication, keyed collections that are ``[]``
when empty, drifting field types, plain-text 412 errors, a per-key rate limit (on by default at 2/s) and
seeded fault injection. It shares no code with the rest of vultr-state.

Usage::

    from vultr_state.emulator import DEFAULT_API_KEY, Emulator, EmulatorAdapter, EmulatorConfig
    from vultr_state.emulator import EmulatorServer
    emulator = Emulator(EmulatorConfig(rate_limit=0, provision_seconds=0))  # in memory, limit off
    session = requests.Session(); session.mount("https://api.vultr.com/", EmulatorAdapter(emulator))
    session.get("https://api.vultr.com/v1/server/list", headers={"API-Key": DEFAULT_API_KEY}).text  # '[]'
    with EmulatorServer(emulator) as server: requests.get(server.url + "/v1/os/list")  # real socket

Public API: ``EmulatorConfig`` (frozen settings), ``FaultConfig`` (faults, replaceable at run time through
``Emulator.faults``), ``ManualClock`` (a test clock), ``Emulator`` (the WSGI app with ``reset()`` and
inspection helpers ``servers()``, ``server(subid)``, ``ssh_keys()``, ``startup_scripts()``, ``snapshots()``,
``backups()``, ``call_counts``), ``EmulatorServer`` (threaded HTTP/1.1 server on 127.0.0.1, ``.url``) and
``EmulatorAdapter`` (in-process ``requests`` transport).
"""

from vultr_state.emulator.app import Emulator
from vultr_state.emulator.core.adapter import EmulatorAdapter
from vultr_state.emulator.core.config import DEFAULT_API_KEY, EmulatorConfig, FaultConfig, ManualClock
from vultr_state.emulator.server import EmulatorServer

__all__ = [
    "DEFAULT_API_KEY",
    "Emulator",
    "EmulatorAdapter",
    "EmulatorConfig",
    "EmulatorServer",
    "FaultConfig",
    "ManualClock",
]
