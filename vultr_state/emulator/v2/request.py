"""What every v2 handler receives: ``Backend`` (store, catalog, config) and ``Call`` (one parsed request).

Built by ``v2.api`` for each request. The body has already been parsed as a JSON object whatever the
request's Content-Type said, with ``null`` values dropped (Go clients send ``"tags": null`` for "not
given"); unknown keys are simply never read. The typed getters turn a wrong JSON type into a 400 with a
clear text instead of a crash, so hostile bodies never reach the handlers' logic.
"""

from __future__ import annotations

import base64
import binascii
import re
from dataclasses import dataclass
from typing import Any

from vultr_state.emulator.core.face import Backend as CoreBackend
from vultr_state.emulator.v2.catalog import Catalog
from vultr_state.emulator.v2.wire import INVALID_BASE64, INVALID_UUID, MISSING_FIELD, WRONG_TYPE, ApiError

_UUID = re.compile(r"^[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}$")
_TRUE = frozenset({"true", "1", "yes", "on"})


def is_uuid(text: str) -> bool:
    """Whether ``text`` is a UUID in its canonical 8-4-4-4-12 spelling."""
    return bool(_UUID.match(text))


def decode_base64(value: str, field: str) -> bytes:
    """Decode standard base64 (padding optional); a 400 naming ``field`` when it is not base64."""
    compact = "".join(value.split())
    try:
        return base64.b64decode(compact + "=" * (-len(compact) % 4), validate=True)
    except (binascii.Error, ValueError):
        raise ApiError(400, INVALID_BASE64.format(field)) from None


Backend = CoreBackend[Catalog]


@dataclass(frozen=True, slots=True)
class Call:
    """One parsed v2 request.

    Attributes:
        backend: State, catalog and config.
        path: Path parameters by template name (``instance-id``, ...).
        query: Query parameters, last value wins.
        body: The JSON object body (``{}`` when there was none), ``null`` values removed.
        now: The emulator clock at the start of the call.
    """

    backend: Backend
    path: dict[str, str]
    query: dict[str, str]
    body: dict[str, Any]
    now: float

    def has(self, name: str) -> bool:
        """Whether the body gives ``name`` (``null`` counts as not given)."""
        return name in self.body

    def _typed(self, name: str, kinds: tuple[type, ...], label: str) -> Any:
        value = self.body.get(name)
        if value is None:
            return None
        if isinstance(value, bool) and bool not in kinds:
            raise ApiError(400, WRONG_TYPE.format(name, label))
        if not isinstance(value, kinds):
            raise ApiError(400, WRONG_TYPE.format(name, label))
        return value

    def string(self, name: str, default: str = "") -> str:
        """A string field, or ``default`` when absent."""
        value = self._typed(name, (str,), "a string")
        return default if value is None else value

    def required_string(self, name: str) -> str:
        """A string field that must be present and non-empty."""
        value = self.string(name)
        if not value:
            raise ApiError(400, MISSING_FIELD.format(name))
        return value

    def integer(self, name: str) -> int | None:
        """An integer field (a string of digits is accepted too: the schema types ``os_id`` both ways)."""
        value = self._typed(name, (int, str), "an integer")
        if isinstance(value, str):
            if not value.strip().isdigit():
                raise ApiError(400, WRONG_TYPE.format(name, "an integer"))
            return int(value)
        return value

    def boolean(self, name: str) -> bool | None:
        """A boolean field (``"true"``/``"false"`` strings are accepted, as lenient clients send them)."""
        value = self._typed(name, (bool, str), "a boolean")
        if isinstance(value, str):
            return value.strip().lower() in _TRUE
        return value

    def strings(self, name: str) -> tuple[str, ...] | None:
        """An array of strings, or ``None`` when absent."""
        value = self._typed(name, (list,), "an array of strings")
        if value is None:
            return None
        if not all(isinstance(item, str) for item in value):
            raise ApiError(400, WRONG_TYPE.format(name, "an array of strings"))
        return tuple(value)

    def uuid(self, name: str) -> str:
        """A UUID string field, ``""`` when absent; 400 ``Invalid UUID format.`` when malformed."""
        value = self.string(name)
        if value and not is_uuid(value):
            raise ApiError(400, INVALID_UUID)
        return value

    def base64_field(self, name: str) -> str | None:
        """A base64 string field as sent (checked to decode), or ``None`` when absent."""
        value = self._typed(name, (str,), "a base64 string")
        if value is None:
            return None
        decode_base64(value, name)
        return value

    def query_flag(self, name: str) -> bool:
        """A boolean query parameter (present and not ``false``/``0``)."""
        value = self.query.get(name)
        return value is not None and value.strip().lower() not in ("false", "0", "no", "off")
