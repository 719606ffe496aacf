"""Frozen records of the emulated v1 account and their conversion to and from store rows.

Handlers read records with ``load``/``load_all``, derive new ones with ``dataclasses.replace`` and save
them with ``save``. Wire shapes are built elsewhere (``views``); a record holds facts, not presentation.
"""

from __future__ import annotations

from dataclasses import dataclass, fields
from typing import Any, ClassVar, TypeVar

from vultr_state.emulator.core.records import load as load
from vultr_state.emulator.core.records import load_all as load_all
from vultr_state.emulator.core.records import save as save
from vultr_state.emulator.core.store import Codec

KIND_SERVER = "server"
KIND_SSHKEY = "sshkey"
KIND_SCRIPT = "startupscript"
KIND_SNAPSHOT = "snapshot"
KIND_BACKUP = "backup"


@dataclass(frozen=True, slots=True)
class ServerRecord:
    """A server subscription. Addresses are allocated at creation and shown once provisioned."""

    KIND: ClassVar[str] = KIND_SERVER
    subid: str
    dcid: int
    plan_id: int
    osid: int
    os_name: str
    label: str
    tag: str
    hostname: str
    created_at: float
    install_started_at: float
    install_count: int
    power_status: str
    main_ip: str
    gateway_v4: str
    secondary_ips: tuple[str, ...]
    v6_network: str  # "" when IPv6 is not enabled
    v6_main_ip: str
    internal_ip: str  # "" when private networking is not enabled
    auto_backups: bool
    appid: int
    iso_attached: int
    snapshot_id: str
    script_id: str
    sshkey_ids: tuple[str, ...]
    firewall_group: str
    userdata: str
    default_password: str
    kvm_token: str
    reverse_v4: tuple[tuple[str, str], ...]  # (ip, name) overrides of the default PTR
    reverse_v6: tuple[tuple[str, str], ...]  # (ip as the client wrote it, name)

    @property
    def id(self) -> str:
        return self.subid

    def __repr__(self) -> str:
        return f"ServerRecord(subid={self.subid!r}, label={self.label!r}, osid={self.osid})"


@dataclass(frozen=True, slots=True)
class SshKeyRecord:
    """An account SSH key."""

    KIND: ClassVar[str] = KIND_SSHKEY
    key_id: str
    name: str
    ssh_key: str
    date_created: str

    @property
    def id(self) -> str:
        return self.key_id


@dataclass(frozen=True, slots=True)
class ScriptRecord:
    """A startup script (``boot`` or ``pxe``)."""

    KIND: ClassVar[str] = KIND_SCRIPT
    script_id: str
    name: str
    script_type: str
    script: str
    date_created: str
    date_modified: str

    @property
    def id(self) -> str:
        return self.script_id

    def __repr__(self) -> str:
        # Script bodies are secrets.
        return f"ScriptRecord(script_id={self.script_id!r}, name={self.name!r}, type={self.script_type!r})"


@dataclass(frozen=True, slots=True)
class SnapshotRecord:
    """A snapshot of a server's disk; ``pending`` until ``snapshot_seconds`` after ``created_at``."""

    KIND: ClassVar[str] = KIND_SNAPSHOT
    snapshot_id: str
    description: str
    size: int
    osid: int
    appid: int
    source_subid: str
    created_at: float

    @property
    def id(self) -> str:
        return self.snapshot_id


@dataclass(frozen=True, slots=True)
class BackupRecord:
    """An automatic backup of a server (made when backups are enabled)."""

    KIND: ClassVar[str] = KIND_BACKUP
    backup_id: str
    subid: str
    description: str
    size: int
    created_at: float

    @property
    def id(self) -> str:
        return self.backup_id


Record = ServerRecord | SshKeyRecord | ScriptRecord | SnapshotRecord | BackupRecord
R = TypeVar("R", ServerRecord, SshKeyRecord, ScriptRecord, SnapshotRecord, BackupRecord)
RECORD_TYPES = (ServerRecord, SshKeyRecord, ScriptRecord, SnapshotRecord, BackupRecord)

_TUPLE_FIELDS = ("secondary_ips", "sshkey_ids")
_PAIR_FIELDS = ("reverse_v4", "reverse_v6")


def to_row(record: Record) -> dict[str, Any]:
    """The JSON-ready dictionary stored for a record."""
    return {f.name: getattr(record, f.name) for f in fields(record)}


def from_row(cls: type[R], row: dict[str, Any]) -> R:
    """Rebuild a record from its stored dictionary."""
    if cls is ServerRecord:
        row = dict(row)
        for name in _TUPLE_FIELDS:
            row[name] = tuple(row[name])
        for name in _PAIR_FIELDS:
            row[name] = tuple((ip, entry) for ip, entry in row[name])
    return cls(**row)


def _codec(cls: type[R]) -> Codec:
    return Codec(encode=to_row, decode=lambda row: from_row(cls, row))


CODECS = {cls.KIND: _codec(cls) for cls in RECORD_TYPES}
