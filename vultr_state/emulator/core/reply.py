"""``Reply``: one HTTP answer of the emulator, and how it is handed to a WSGI ``start_response``.

Built by the v1 and v2 faces (and the admin path); written out by ``Emulator`` through ``send``. Holding
bytes and a content type, not a framework response, keeps both faces independent of the transport.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from http import HTTPStatus
from typing import Any

StartResponse = Callable[[str, list[tuple[str, str]]], Any]


@dataclass(frozen=True, slots=True)
class Reply:
    """One HTTP answer: status, body bytes and content type (``None`` = no Content-Type header)."""

    status: int
    body: bytes = b""
    content_type: str | None = None


def send(reply: Reply, start_response: StartResponse) -> list[bytes]:
    """Start the WSGI response of ``reply`` (standard reason phrase) and return its body chunks."""
    status = HTTPStatus(reply.status)
    headers = [("Content-Length", str(len(reply.body)))]
    if reply.content_type:
        headers.append(("Content-Type", reply.content_type))
    start_response(f"{status.value} {status.phrase}", headers)
    return [reply.body]
