"""Frozen records of the emulated v2 account and their conversion to and from store rows.

The v2 account is separate from the v1 one: its kinds are prefixed ``v2.`` in the shared store, so v1
and v2 ids never mix (a v1 client never sees a v2 instance and vice versa). Handlers read records with
``load``/``load_all``, derive new ones with ``dataclasses.replace`` and save them with ``save``; wire
shapes are built in ``views``.
"""

from __future__ import annotations

from dataclasses import dataclass, fields
from typing import Any, ClassVar, TypeVar

from vultr_state.emulator.core.records import load as load
from vultr_state.emulator.core.records import load_all as load_all
from vultr_state.emulator.core.records import save as save
from vultr_state.emulator.core.store import Codec

KIND_INSTANCE = "v2.instance"
KIND_SSH_KEY = "v2.ssh_key"
KIND_SCRIPT = "v2.startup_script"
KIND_SNAPSHOT = "v2.snapshot"
KIND_ISO = "v2.iso"


@dataclass(frozen=True, slots=True)
class BackupSchedule:
    """When automatic backups run (``type`` daily, weekly, monthly, daily_alt_even, daily_alt_odd)."""

    type: str = "daily"
    hour: int = 0
    dow: int = 1
    dom: int = 1


@dataclass(frozen=True, slots=True)
class InstanceRecord:
    """An instance. Addresses are allocated at creation and shown once it is no longer pending."""

    KIND: ClassVar[str] = KIND_INSTANCE
    id: str
    region: str
    plan: str
    os_id: int
    os_name: str
    app_id: int
    image_id: str
    label: str
    hostname: str
    tag: str
    tags: tuple[str, ...]
    created_at: float
    install_started_at: float
    install_count: int
    power_status: str
    main_ip: str
    gateway_v4: str
    secondary_ips: tuple[str, ...]
    v6_network: str  # "" when IPv6 is not enabled
    v6_main_ip: str
    internal_ip: str  # "" without a VPC
    features: tuple[str, ...]
    firewall_group_id: str
    user_data: str  # base64 as sent
    user_scheme: str
    default_password: str
    password_issued_at: float
    kvm_token: str
    reverse_v4: tuple[tuple[str, str], ...]  # (ip, name) overrides of the default PTR
    reverse_v6: tuple[tuple[str, str], ...]  # (ip as the client wrote it, name)
    sshkey_ids: tuple[str, ...]
    script_id: str
    snapshot_id: str
    iso_id: str
    resize_started_at: float = -1.0
    resize_from_plan: str = ""
    backup_schedule: BackupSchedule = BackupSchedule()

    def __repr__(self) -> str:
        return f"InstanceRecord(id={self.id!r}, label={self.label!r}, plan={self.plan!r})"


@dataclass(frozen=True, slots=True)
class SshKeyRecord:
    """An account SSH key."""

    KIND: ClassVar[str] = KIND_SSH_KEY
    id: str
    name: str
    ssh_key: str
    created_at: float


@dataclass(frozen=True, slots=True)
class ScriptRecord:
    """A startup script; ``script`` is the base64 body as sent."""

    KIND: ClassVar[str] = KIND_SCRIPT
    id: str
    name: str
    type: str
    script: str
    created_at: float
    modified_at: float

    def __repr__(self) -> str:
        # Script bodies are secrets.
        return f"ScriptRecord(id={self.id!r}, name={self.name!r}, type={self.type!r})"


@dataclass(frozen=True, slots=True)
class SnapshotRecord:
    """A snapshot; ``pending`` (size 0) until ``snapshot_seconds`` after ``created_at``."""

    KIND: ClassVar[str] = KIND_SNAPSHOT
    id: str
    description: str
    size: int
    os_id: int
    app_id: int
    created_at: float


@dataclass(frozen=True, slots=True)
class IsoRecord:
    """An ISO of the account, fetched from a URL; ``pending`` until ``snapshot_seconds`` after creation."""

    KIND: ClassVar[str] = KIND_ISO
    id: str
    filename: str
    size: int
    md5sum: str
    sha512sum: str
    created_at: float


Record = InstanceRecord | SshKeyRecord | ScriptRecord | SnapshotRecord | IsoRecord
R = TypeVar("R", InstanceRecord, SshKeyRecord, ScriptRecord, SnapshotRecord, IsoRecord)
RECORD_TYPES = (InstanceRecord, SshKeyRecord, ScriptRecord, SnapshotRecord, IsoRecord)


def _tuples(value: Any) -> Any:
    """JSON lists back to tuples, recursively (every sequence field of a record is a tuple)."""
    return tuple(_tuples(item) for item in value) if isinstance(value, list) else value


def _encode(record: Record) -> dict[str, Any]:
    row = {f.name: getattr(record, f.name) for f in fields(record)}
    if isinstance(record, InstanceRecord):
        schedule = record.backup_schedule
        row["backup_schedule"] = {f.name: getattr(schedule, f.name) for f in fields(schedule)}
    return row


def _decoder(cls: type[R]) -> Any:
    def decode(row: dict[str, Any]) -> R:
        values = {name: _tuples(value) for name, value in row.items()}
        if cls is InstanceRecord and "backup_schedule" in values:
            values["backup_schedule"] = BackupSchedule(**row["backup_schedule"])
        return cls(**values)

    return decode


CODECS = {cls.KIND: Codec(encode=_encode, decode=_decoder(cls)) for cls in RECORD_TYPES}
