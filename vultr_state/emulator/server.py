"""``EmulatorServer``: an ``Emulator`` served over HTTP on loopback (see ``core.server.AppServer``).

Used by tests that need a real socket, by benchmarks and by the ``emulator serve`` command.
"""

from __future__ import annotations

from vultr_state.emulator.app import Emulator
from vultr_state.emulator.core.config import EmulatorConfig
from vultr_state.emulator.core.server import AppServer


class EmulatorServer(AppServer):
    """Run an emulator on ``host``:``port`` in a background thread; a context manager.

    Args:
        emulator: The app to serve; a new ``Emulator(config)`` when omitted.
        config: Used only when ``emulator`` is omitted.
        host: Interface to bind (loopback by default).
        port: TCP port; 0 picks a free one.
        access_log: Log one line per request (method, path, status) at INFO level.
    """

    def __init__(
        self,
        emulator: Emulator | None = None,
        *,
        config: EmulatorConfig | None = None,
        host: str = "127.0.0.1",
        port: int = 0,
        access_log: bool = False,
    ) -> None:
        self.emulator = emulator or Emulator(config)
        super().__init__(self.emulator, host=host, port=port, access_log=access_log)
