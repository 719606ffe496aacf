"""Package boundaries and the public surface of ``vultr_state.providers.v1.client``.

Only ``http/transport.py`` (and the emulator's adapter) import requests at run time; the public names
are pinned; every attempt is logged once at DEBUG with method, path, status, duration and attempt number.
"""

from __future__ import annotations

import ast
import logging
from pathlib import Path

import vultr_state
import vultr_state.providers.v1.client
from providers.v1.client.support import Reply, scripted_client

PACKAGE = Path(vultr_state.__file__).parent
ALLOWED_REQUESTS_IMPORTERS = {"http/transport.py", "emulator/core/adapter.py"}


def runtime_imports(path: Path) -> set[str]:
    """Top-level modules imported at module level (imports under ``if TYPE_CHECKING:`` do not count)."""
    names: set[str] = set()
    for node in ast.parse(path.read_text()).body:
        if isinstance(node, ast.Import):
            names |= {alias.name.split(".")[0] for alias in node.names}
        elif isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
            names.add(node.module.split(".")[0])
    return names


def test_only_the_transport_imports_requests():
    offenders = {
        str(path.relative_to(PACKAGE))
        for path in PACKAGE.rglob("*.py")
        if {"requests", "urllib3"} & runtime_imports(path)
    }
    assert offenders <= ALLOWED_REQUESTS_IMPORTERS, offenders


def test_public_names_are_pinned():
    assert sorted(vultr_state.providers.v1.client.__all__) == vultr_state.providers.v1.client.__all__
    assert set(vultr_state.providers.v1.client.__all__) == {
        "CallKind", "ClientSettings", "RateLimiter", "RawResponse", "RetryPolicy", "VultrClient",
        "redact_body_text",
    }  # fmt: skip


def test_one_debug_line_per_attempt(caplog):
    caplog.set_level(logging.DEBUG, logger="vultr_state.client")
    client, _, _ = scripted_client([Reply(500, "boom"), Reply(200, "[]")])
    client.server_list(tag="web")
    attempts = [
        r.getMessage()
        for r in caplog.records
        if r.name == "vultr_state.client" and "attempt" in r.getMessage()
    ]
    assert len(attempts) == 2
    assert attempts[0].startswith("GET server/list [tag=web] -> 500 ApiServerError: boom in ")
    assert attempts[0].endswith("ms (attempt 1/6)") and attempts[1].endswith("ms (attempt 2/6)")
    assert " -> 200 in " in attempts[1]
