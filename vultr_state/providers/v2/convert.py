"""v2 wire records → the neutral live model: instances, SSH keys, startup scripts, snapshots, reverse DNS.

Called by the v2 provider's reader (``read``) on every parsed list item and per-object answer, and by its
operations on the objects a create returns. This is the one place where v2's wire quirks are undone
(reference sections 2 and 3):

- ids are UUID strings, region and plan ids strings (``"ewr"``, ``"vc2-1c-1gb"``), ``os_id`` an integer
  (kept as its decimal text, like every model id);
- a pending instance shows placeholders: ``main_ip`` ``"0.0.0.0"``, ``""`` for absent strings. Both
  become ``None``;
- IPv6 addresses come zero-padded in ``v6_main_ip`` (``2001:0db8:...:0000``) and compressed in
  ``v6_network`` and the reverse list; every form is reduced to the compressed text, so one address
  always compares equal to itself (the operations expand it again where a write needs that);
- backups and IPv6 are read back only through ``features``; tags come as ``tags`` (a list, since 2022)
  or the older single ``tag``; the reserved ``vultr-state:<project>`` tags are split off (they are an
  ownership hint, never shown as a user tag);
- startup-script bodies are base64 on the wire and absent from list items;
- ``default_password`` and ``user_data`` are never copied.

Anything that does not have the shape the endpoint promises raises ``WireShapeError``; the dialect turns
it into an API error naming the call.
"""

from __future__ import annotations

import base64
import binascii
import ipaddress
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from typing import Any

from vultr_state.model.live import LiveReverseDns, LiveServer, LiveSnapshot, LiveSshKey, LiveStartupScript
from vultr_state.model.server import BootKind, InstallState, PowerState, SnapshotState

OWNER_TAG_PREFIX = "vultr-state:"
PSEUDO_OS_ISO = "159"  # "Custom": the os_id an instance booted from an ISO reports
PSEUDO_OS_SNAPSHOT = "164"  # "Snapshot"
_NO_IPV4 = frozenset({"", "0.0.0.0"})
_NO_IPV6 = frozenset({"", "::"})


class WireShapeError(ValueError):
    """A v2 answer does not have the structure its endpoint returns."""


@dataclass(frozen=True, slots=True)
class InstanceTags:
    """An instance's tags split into the user's own and the projects whose ownership hint it carries."""

    user: tuple[str, ...]
    projects: tuple[str, ...]


def owner_tag(project: str) -> str:
    """The reserved tag an owned instance carries: ``vultr-state:<project>``."""
    return f"{OWNER_TAG_PREFIX}{project}"


def split_tags(record: Mapping[str, Any]) -> InstanceTags:
    """The tags of an instance record (``tags``, else the 2021-era ``tag``), reserved ones split off.

    Args:
        record: An instance object from the wire.

    Returns:
        User tags in wire order (duplicates and empty strings dropped) and the projects named by
        ``vultr-state:<project>`` tags, sorted.

    Raises:
        WireShapeError: ``tags`` is not a list of strings.
    """
    raw = record.get("tags")
    if raw is None:
        single = _text(record, "tag")
        raw = [single] if single else []
    if not isinstance(raw, list) or not all(isinstance(t, str) for t in raw):
        raise WireShapeError("instance 'tags' is not a list of strings")
    user: list[str] = []
    projects: set[str] = set()
    for tag in raw:
        if tag.startswith(OWNER_TAG_PREFIX) and len(tag) > len(OWNER_TAG_PREFIX):
            projects.add(tag[len(OWNER_TAG_PREFIX) :])
        elif tag and tag not in user:
            user.append(tag)
    return InstanceTags(user=tuple(user), projects=tuple(sorted(projects)))


def server(record: Mapping[str, Any]) -> LiveServer:
    """An instance object (list item, GET, or a create/PATCH answer) as a ``LiveServer``.

    Raises:
        WireShapeError: a required field is missing or of the wrong type.
    """
    _require_object(record, "instance")
    features = _string_list(record, "features")
    v6_main, v6_net = _v6_fields(record)
    tags = split_tags(record)
    return LiveServer(
        id=_required_id(record, "instance"),
        label=_text(record, "label"),
        region_id=_text(record, "region"),
        plan_id=_text(record, "plan"),
        os_id=_int_text(record, "os_id"),
        os_name=_text(record, "os"),
        boot=boot_kind(record),
        install=install_state(_text(record, "status"), _text(record, "server_status")),
        power=power_state(_text(record, "power_status")),
        main_ip=_ipv4(record, "main_ip"),
        v6_main_ip=v6_main,
        v6_network=v6_net,
        internal_ip=_ipv4(record, "internal_ip"),
        auto_backups="auto_backups" in features,
        tag=tags.user[0] if tags.user else "",
        date_created=_optional_text(record, "date_created"),
        owners=tags.projects,
        tags=tags.user,
        hostname=_optional_text(record, "hostname"),
    )


def install_state(status: str, server_status: str) -> InstallState:
    """v2's ``status`` (pending/active/resizing/suspended) and ``server_status`` (none/locked/
    installingbooting/ok) as one neutral state; a plan change in progress stays apart (``RESIZING``)."""
    if status == "active":
        if server_status in ("none", "locked"):
            return InstallState.INSTALLING
        return InstallState.READY if server_status == "ok" else InstallState.BOOTING
    states = {
        "pending": InstallState.PENDING,
        "resizing": InstallState.RESIZING,
        "suspended": InstallState.SUSPENDED,
    }
    return states.get(status, InstallState.UNKNOWN)


def power_state(power_status: str) -> PowerState:
    """v2's ``power_status`` (running/stopped)."""
    return {"running": PowerState.RUNNING, "stopped": PowerState.STOPPED}.get(
        power_status, PowerState.UNKNOWN
    )


def snapshot_state(status: str) -> SnapshotState:
    """v2's snapshot ``status`` (pending/complete)."""
    return {"pending": SnapshotState.PENDING, "complete": SnapshotState.COMPLETE}.get(
        status, SnapshotState.UNKNOWN
    )


def boot_kind(record: Mapping[str, Any]) -> BootKind:
    """What an instance was installed from: a snapshot when it names one (``snapshot_id``, read by
    clients since 2025) or reports the pseudo OS "Snapshot" (164), an ISO for the pseudo OS "Custom"
    (159), else an OS."""
    if _text(record, "snapshot_id") or _int_text(record, "os_id") == PSEUDO_OS_SNAPSHOT:
        return BootKind.SNAPSHOT
    if _int_text(record, "os_id") == PSEUDO_OS_ISO:
        return BootKind.ISO
    return BootKind.OS


def ssh_key(record: Mapping[str, Any]) -> LiveSshKey:
    """An SSH key object as a ``LiveSshKey``.

    Raises:
        WireShapeError: no id, or a field of the wrong type.
    """
    _require_object(record, "SSH key")
    return LiveSshKey(
        id=_required_id(record, "SSH key"),
        name=_text(record, "name"),
        public_key=_text(record, "ssh_key"),
        date_created=_optional_text(record, "date_created"),
    )


def script_body(record: Mapping[str, Any]) -> str:
    """The decoded body of a startup-script object from ``GET /startup-scripts/{id}``.

    Raises:
        WireShapeError: no ``script`` field, or it is not base64 of UTF-8 text.
    """
    _require_object(record, "startup script")
    encoded = record.get("script")
    if not isinstance(encoded, str):
        raise WireShapeError("startup script has no base64 'script' body")
    try:
        return base64.b64decode(encoded, validate=True).decode("utf-8")
    except (binascii.Error, ValueError):
        raise WireShapeError("startup script body is not base64 of UTF-8 text") from None


def encode_script(body: str) -> str:
    """A script body as v2 sends it: base64 of its UTF-8 bytes."""
    return base64.b64encode(body.encode("utf-8")).decode("ascii")


def startup_script(record: Mapping[str, Any], body: str = "") -> LiveStartupScript:
    """A startup-script list item (or GET object) as a ``LiveStartupScript``.

    Args:
        record: The wire object; list items carry no body.
        body: The decoded body when it was fetched (``script_body``), else ``""``.

    Raises:
        WireShapeError: no id, or a field of the wrong type.
    """
    _require_object(record, "startup script")
    return LiveStartupScript(
        id=_required_id(record, "startup script"),
        name=_text(record, "name"),
        type=_text(record, "type") or "boot",
        script=body,
        date_created=_optional_text(record, "date_created"),
        date_modified=_optional_text(record, "date_modified"),
    )


def snapshot(record: Mapping[str, Any]) -> LiveSnapshot:
    """A snapshot object as a ``LiveSnapshot`` (``size`` in bytes as decimal text, 0 while pending).

    Raises:
        WireShapeError: no id, or a field of the wrong type.
    """
    _require_object(record, "snapshot")
    return LiveSnapshot(
        id=_required_id(record, "snapshot"),
        description=_text(record, "description"),
        state=snapshot_state(_text(record, "status")),
        size=_int_text(record, "size") or "0",
        os_id=_int_text(record, "os_id"),
        date_created=_optional_text(record, "date_created"),
    )


def reverse_dns(
    server_id: str, ipv4s: Iterable[Mapping[str, Any]], reverse_ipv6s: Iterable[Mapping[str, Any]]
) -> LiveReverseDns:
    """Reverse DNS of one instance from ``GET …/ipv4`` items and ``GET …/ipv6/reverse`` items.

    Private (VPC) IPv4 entries are left out; IPv6 addresses are compressed. Each side sorted.

    Raises:
        WireShapeError: an entry is not an object with an ``ip`` string.
    """
    ipv4 = []
    for entry in ipv4s:
        _require_object(entry, "IPv4 entry")
        if _text(entry, "type") == "private" or not _text(entry, "ip"):
            continue
        ipv4.append((_text(entry, "ip"), _text(entry, "reverse")))
    ipv6 = []
    for entry in reverse_ipv6s:
        _require_object(entry, "reverse IPv6 entry")
        address = compress_ipv6(_text(entry, "ip"))
        if address:
            ipv6.append((address, _text(entry, "reverse")))
    return LiveReverseDns(server_id=server_id, ipv4=tuple(sorted(ipv4)), ipv6=tuple(sorted(ipv6)))


def compress_ipv6(text: str) -> str | None:
    """The compressed form of an IPv6 address or network text (``2001:db8::``); None for "no address".

    Raises:
        WireShapeError: the text is not an IPv6 address.
    """
    text = text.strip()
    if text in _NO_IPV6:
        return None
    try:
        return ipaddress.IPv6Address(text).compressed
    except ValueError:
        raise WireShapeError(f"{text!r} is not an IPv6 address") from None


def expand_ipv6(text: str) -> str:
    """The fully expanded form v2's reverse-IPv6 writes ask for (``2001:0db8:0000:…``).

    Raises:
        WireShapeError: the text is not an IPv6 address.
    """
    try:
        return ipaddress.IPv6Address(text.strip()).exploded
    except ValueError:
        raise WireShapeError(f"{text!r} is not an IPv6 address") from None


# -- field readers --------------------------------------------------------------------------------------


def _require_object(record: Any, what: str) -> None:
    if not isinstance(record, Mapping):
        raise WireShapeError(f"expected a {what} object, got {type(record).__name__}")


def _required_id(record: Mapping[str, Any], what: str) -> str:
    value = record.get("id")
    if not isinstance(value, str) or not value:
        raise WireShapeError(f"{what} object has no string 'id'")
    return value


def _text(record: Mapping[str, Any], name: str) -> str:
    value = record.get(name)
    if value is None:
        return ""
    if not isinstance(value, str):
        raise WireShapeError(f"field {name!r} is not a string")
    return value


def _optional_text(record: Mapping[str, Any], name: str) -> str | None:
    return _text(record, name) or None


def _int_text(record: Mapping[str, Any], name: str) -> str:
    """An integer field as decimal text (``""`` when absent); digit strings are accepted too."""
    value = record.get(name)
    if value is None:
        return ""
    if isinstance(value, bool) or not isinstance(value, int | str):
        raise WireShapeError(f"field {name!r} is not an integer")
    if isinstance(value, str) and not value.isdigit():
        raise WireShapeError(f"field {name!r} is not an integer")
    return str(int(value))


def _string_list(record: Mapping[str, Any], name: str) -> tuple[str, ...]:
    value = record.get(name)
    if value is None:
        return ()
    if not isinstance(value, list) or not all(isinstance(item, str) for item in value):
        raise WireShapeError(f"field {name!r} is not a list of strings")
    return tuple(value)


def _ipv4(record: Mapping[str, Any], name: str) -> str | None:
    value = _text(record, name).strip()
    return None if value in _NO_IPV4 else value


def _v6_fields(record: Mapping[str, Any]) -> tuple[str | None, str | None]:
    """(main address, network) from the top-level fields, else the schema-only ``v6_networks`` list."""
    main = compress_ipv6(_text(record, "v6_main_ip"))
    network = compress_ipv6(_text(record, "v6_network"))
    networks = record.get("v6_networks")
    if (main is None or network is None) and isinstance(networks, list) and networks:
        first = networks[0]
        if isinstance(first, Mapping):
            main = main or compress_ipv6(_text(first, "main_ip"))
            network = network or compress_ipv6(_text(first, "network"))
    return main, network
