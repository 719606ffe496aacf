"""Wire quirks of v1 answers turned into clean, predictable dicts, once, right after parsing.

Called by the endpoint methods (``servers``, ``resources``) on every parsed body. v1 answers drifted
over the years (see the reference, section 4): keyed collections come back as ``[]`` when empty, ids and
amounts are numbers one year and strings the next, "no address" is spelt ``false``, ``""``, ``"0"``,
``"0.0.0.0"`` or ``"::"``. After this module:

- keyed collections are ``dict[str, dict]`` (``[]`` → ``{}``), one record per id;
- every id field (``SUBID``, ``DCID``, ``OSID``...) is a ``str``; amounts are ``str`` (or None when the
  wire said ``null``), whether they arrived as numbers or strings;
- address fields are a ``str`` or ``None``; ``v6_networks`` is always a list, ``available_locations``
  a list of ``int``.

Any structure that does not fit raises ``ShapeError``, which the client turns into an
``ApiTransportError`` naming the call: a wrong body never escapes as a KeyError or TypeError.
"""

from __future__ import annotations

import json
import re
from collections.abc import Mapping
from typing import Any

ID_FIELDS = frozenset(
    {"SUBID", "DCID", "VPSPLANID", "OSID", "APPID", "SCRIPTID", "SSHKEYID", "SNAPSHOTID", "ISOID",
     "BACKUPID", "FIREWALLGROUPID"}
)  # fmt: skip
ADDRESS_FIELDS = frozenset(
    {"main_ip", "v6_main_ip", "v6_network", "internal_ip", "gateway", "gateway_v4", "netmask_v4",
     "netmask", "ip", "network"}
)  # fmt: skip
AMOUNT_FIELDS = frozenset(
    {"balance", "pending_charges", "last_payment_amount", "cost_per_month", "current_bandwidth_gb",
     "allowed_bandwidth_gb", "price_per_month", "surcharge", "size", "vcpu_count", "ram", "disk",
     "bandwidth", "bandwidth_gb", "v6_network_size", "network_size"}
)  # fmt: skip
NO_ADDRESS = frozenset({"", "0", "0.0.0.0", "::"})
_INTEGER = re.compile(r"-?[0-9]{1,30}")


class ShapeError(ValueError):
    """A response body does not have the structure its endpoint returns."""


def parse_json(text: str, *, allow_empty: bool = False) -> Any:
    """Parse a response body.

    Args:
        text: The body.
        allow_empty: Return None for an empty body instead of failing (actions, 2014-style creates).

    Raises:
        ShapeError: empty (unless allowed), not JSON, NaN/Infinity literals, or nested absurdly deep.
    """
    if not text.strip():
        if allow_empty:
            return None
        raise ShapeError("empty body where JSON was expected")
    try:
        return json.loads(text, parse_constant=_reject_constant)
    except (ValueError, RecursionError) as exc:
        raise ShapeError(f"body is not valid JSON ({_describe(exc)})") from exc


def keyed(data: Any, id_field: str, *, defaults: Mapping[str, Any] | None = None) -> dict[str, dict]:
    """A keyed collection (``{"576965": {...}}``, or ``[]`` when empty) as ``dict[str, dict]``.

    Args:
        data: The parsed body.
        id_field: The record's id field (``"SUBID"``); filled in from the key when a record lacks it.
        defaults: Fields added to a record that lacks them (e.g. ``v6_networks: []``), copied per record.
    """
    if isinstance(data, list):
        if data:
            raise ShapeError("expected an object keyed by id, got a non-empty array")
        return {}
    if not isinstance(data, dict):
        raise ShapeError(f"expected an object keyed by id, got {_kind(data)}")
    result: dict[str, dict] = {}
    for key, value in data.items():
        entry = record(value, defaults=defaults)
        entry.setdefault(id_field, key)
        result[key] = entry
    return result


def single(data: Any, id_field: str, wanted: str, *, defaults: Mapping[str, Any] | None = None) -> dict:
    """One record asked for by id: v1 returns it unwrapped (``server/list?SUBID=``); a keyed map holding
    it is accepted too."""
    if isinstance(data, dict) and id_field in data:
        return record(data, defaults=defaults)
    if isinstance(data, dict) and isinstance(data.get(wanted), dict):
        entry = record(data[wanted], defaults=defaults)
        entry.setdefault(id_field, wanted)
        return entry
    raise ShapeError(f"expected the record with {id_field} {wanted}, got {_kind(data)}")


def record(data: Any, *, defaults: Mapping[str, Any] | None = None) -> dict:
    """One object with its id, address and amount fields normalised (other fields are kept as sent)."""
    if not isinstance(data, dict):
        raise ShapeError(f"expected an object, got {_kind(data)}")
    result: dict[str, Any] = {}
    for name, value in data.items():
        if name in ID_FIELDS:
            value = to_id(value, name)
        elif name in ADDRESS_FIELDS:
            value = to_address(value, name)
        elif name in AMOUNT_FIELDS:
            value = to_amount(value, name)
        elif name == "v6_networks":
            value = [record(item) for item in _list_or_empty(value, name)]
        elif name == "available_locations":
            value = int_list(_list_or_empty(value, name))
        result[name] = value
    for name, value in (defaults or {}).items():
        result.setdefault(name, list(value) if isinstance(value, list) else value)
    return result


def entries(data: Any) -> list[dict]:
    """A per-server list answer (``{"576965": [{...}, ...]}``, or ``[]``) as a flat list of records."""
    if isinstance(data, list):
        if data:
            raise ShapeError("expected an object keyed by SUBID, got a non-empty array")
        return []
    if not isinstance(data, dict):
        raise ShapeError(f"expected an object keyed by SUBID, got {_kind(data)}")
    result: list[dict] = []
    for value in data.values():
        if not isinstance(value, list):
            raise ShapeError(f"expected an array of entries, got {_kind(value)}")
        result.extend(record(item) for item in value)
    return result


def int_list(data: Any) -> list[int]:
    """An array of integers (plan or region ids), accepting numeric strings."""
    if not isinstance(data, list):
        raise ShapeError(f"expected an array of integers, got {_kind(data)}")
    return [to_int(item) for item in data]


def new_id(data: Any, id_field: str) -> str:
    """The id of a created object (``{"SUBID":"123"}``, ``{"SCRIPTID":5}``) as a string."""
    if not isinstance(data, dict) or id_field not in data:
        raise ShapeError(f"expected an object with {id_field}, got {_kind(data)}")
    return to_id(data[id_field], id_field)


def optional_address(data: Any, field: str) -> str | None:
    """An optional address in an object (``server/create_ipv4``: empty in 2014, ``{"ipv4":...}`` later)."""
    if data is None or data == []:
        return None
    if not isinstance(data, dict):
        raise ShapeError(f"expected an object, got {_kind(data)}")
    return to_address(data.get(field), field)


def plain_object(data: Any) -> dict:
    """A single object such as ``account/info`` (``[]`` read as an empty one)."""
    if data == []:
        return {}
    return record(data)


def auth_info(data: Any) -> dict:
    """``auth/info``: an object whose ``acls`` is a list of strings."""
    result = plain_object(data)
    acls = result.get("acls", [])
    if not isinstance(acls, list) or not all(isinstance(acl, str) for acl in acls):
        raise ShapeError("expected acls to be an array of strings")
    result["acls"] = list(acls)
    return result


def bandwidth(data: Any) -> dict[str, list[tuple[str, int]]]:
    """``server/bandwidth``: ``{"incoming_bytes": [["2014-06-10","81072581"],...], ...}`` with int bytes."""
    if data == []:
        return {}
    if not isinstance(data, dict):
        raise ShapeError(f"expected an object of arrays, got {_kind(data)}")
    result: dict[str, list[tuple[str, int]]] = {}
    for direction, days in data.items():
        if not isinstance(days, list):
            raise ShapeError(f"expected {direction} to be an array, got {_kind(days)}")
        pairs = []
        for day in days:
            if not isinstance(day, list) or len(day) != 2 or not isinstance(day[0], str):
                raise ShapeError(f"expected [date, bytes] pairs in {direction}")
            pairs.append((day[0], to_int(day[1])))
        result[direction] = pairs
    return result


def to_id(value: Any, name: str = "id") -> str:
    """An id sent as a string or a number, as a string."""
    if isinstance(value, str):
        return value
    if isinstance(value, int) and not isinstance(value, bool):
        return str(value)
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    raise ShapeError(f"expected {name} to be a string or an integer, got {_kind(value)}")


def to_address(value: Any, name: str = "address") -> str | None:
    """An address, or None for every v1 spelling of "no address"."""
    if value is None or value is False:
        return None
    if isinstance(value, str):
        return None if value.strip() in NO_ADDRESS else value
    raise ShapeError(f"expected {name} to be an address string, got {_kind(value)}")


def to_amount(value: Any, name: str = "amount") -> str | None:
    """A numeric amount sent as a string or a number, as a string (None stays None)."""
    if value is None or isinstance(value, str):
        return value
    if isinstance(value, int | float) and not isinstance(value, bool):
        return str(value)
    raise ShapeError(f"expected {name} to be a number or a string, got {_kind(value)}")


def to_int(value: Any) -> int:
    """An integer sent as a number or a decimal string."""
    if isinstance(value, int) and not isinstance(value, bool):
        return value
    if isinstance(value, float) and value.is_integer():
        return int(value)
    if isinstance(value, str) and _INTEGER.fullmatch(value.strip()):
        return int(value)
    raise ShapeError(f"expected an integer, got {_kind(value)}")


def _list_or_empty(value: Any, name: str) -> list:
    """A list field that v1 may also send as ``false``, ``null`` or ``""`` when there is nothing."""
    if value is None or value is False or value == "":
        return []
    if not isinstance(value, list):
        raise ShapeError(f"expected {name} to be an array, got {_kind(value)}")
    return value


def _reject_constant(name: str) -> Any:
    raise ValueError(f"{name} is not a number JSON allows")


def _kind(value: Any) -> str:
    """A short description of a value for error messages (its type, never its content)."""
    if value is None:
        return "null"
    if isinstance(value, bool):
        return "a boolean"
    if isinstance(value, list):
        return f"an array of {len(value)}"
    if isinstance(value, dict):
        return f"an object with {len(value)} fields"
    return {int: "a number", float: "a number", str: "a string"}.get(type(value), type(value).__name__)


def _describe(exc: BaseException) -> str:
    if isinstance(exc, RecursionError):
        return "nested too deeply"
    return str(exc)[:120]
