"""``POST /instances``: validation of a create request and the new instance record.

Validation order: ``region`` (missing: the recorded 400 ``Bad request.``; unknown: chosen text), ``plan``
(unknown: the recorded ``Invalid plan chosen.``; not orderable in the region: chosen text), exactly one
boot source (``os_id``, ``iso_id``, ``snapshot_id``, ``app_id``, ``image_id``; a ``0`` or ``""`` value
counts as not given), ``sshkey_id`` (each a UUID, else the recorded ``Invalid UUID format.``, and a key of
the account), ``script_id``, ``firewall_group_id`` (the emulated account has none), ``user_data``
(base64), ``user_scheme``. Then the instance is saved and listed at once as pending (202).

Chosen behaviour (never established): an instance booted from a snapshot reports the snapshot's
``os_id``/``app_id`` (as v1 did); from an ISO ``os_id`` 159 "Custom"; from an application 186
"Application". ``backups`` other than ``"enabled"`` means no backups, as the real service silently
accepted ``"true"`` (terraform-provider-vultr#119). The hostname defaults to ``vultr.guest``.
"""

from __future__ import annotations

from dataclasses import asdict, dataclass

from vultr_state.emulator.core import allocate
from vultr_state.emulator.core.lifecycle import done_after
from vultr_state.emulator.core.reply import Reply
from vultr_state.emulator.v2 import ids
from vultr_state.emulator.v2.catalog import OS_APPLICATION, OS_CUSTOM, PSEUDO_OS_IDS, short_os_name
from vultr_state.emulator.v2.handlers.base import single_instance
from vultr_state.emulator.v2.models import (
    InstanceRecord,
    IsoRecord,
    ScriptRecord,
    SnapshotRecord,
    SshKeyRecord,
    load,
    save,
)
from vultr_state.emulator.v2.request import Call, is_uuid
from vultr_state.emulator.v2.views import iso_done
from vultr_state.emulator.v2.wire import (
    BAD_REQUEST,
    INVALID_APP,
    INVALID_FIREWALL_GROUP,
    INVALID_IMAGE,
    INVALID_ISO,
    INVALID_OS,
    INVALID_PLAN,
    INVALID_REGION,
    INVALID_SNAPSHOT,
    INVALID_SSH_KEY,
    INVALID_STARTUP_SCRIPT,
    INVALID_USER_SCHEME,
    INVALID_UUID,
    NO_BOOT_SOURCE,
    PLAN_NOT_IN_REGION,
    SNAPSHOT_NOT_READY,
    TWO_BOOT_SOURCES,
    ApiError,
)

BOOT_FIELDS = ("os_id", "iso_id", "snapshot_id", "app_id", "image_id")
USER_SCHEMES = ("root", "limited")
DEFAULT_HOSTNAME = "vultr.guest"
VPC_FIELDS = ("enable_vpc", "enable_vpc2", "enable_private_network")
VPC_LISTS = ("attach_vpc", "attach_vpc2", "attach_private_network")


@dataclass(frozen=True, slots=True)
class BootSource:
    """The image an install writes: OS id and name, application, and where it came from."""

    os_id: int
    os_name: str
    app_id: int = 0
    image_id: str = ""
    snapshot_id: str = ""
    iso_id: str = ""


def boot_source(call: Call) -> BootSource | None:
    """The one boot source the body names, or ``None`` when it names none."""
    given = [name for name in BOOT_FIELDS if call.body.get(name) not in (None, 0, "")]
    if len(given) > 1:
        raise ApiError(400, TWO_BOOT_SOURCES)
    if not given:
        return None
    catalog, store, name = call.backend.catalog, call.backend.store, given[0]
    if name == "os_id":
        os_id = call.integer("os_id")
        if os_id not in catalog.oses or os_id in PSEUDO_OS_IDS:
            raise ApiError(400, INVALID_OS)
        return BootSource(os_id, short_os_name(catalog.oses[os_id]["name"]))
    if name == "app_id":
        app = catalog.apps.get(call.integer("app_id") or 0)
        if app is None or app["type"] != "one-click":
            raise ApiError(400, INVALID_APP)
        return BootSource(OS_APPLICATION, "Application", app_id=app["id"])
    if name == "image_id":
        app = catalog.app_by_image(call.string("image_id"))
        if app is None:
            raise ApiError(400, INVALID_IMAGE)
        return BootSource(OS_APPLICATION, "Application", app_id=app["id"], image_id=app["image_id"])
    if name == "iso_id":
        iso = load(store, IsoRecord, call.uuid("iso_id").lower())
        if iso is None or not iso_done(iso, call.now, call.backend.config):
            raise ApiError(400, INVALID_ISO)
        return BootSource(OS_CUSTOM, "Custom", iso_id=iso.id)
    snapshot = load(store, SnapshotRecord, call.uuid("snapshot_id").lower())
    if snapshot is None:
        raise ApiError(400, INVALID_SNAPSHOT)
    if not done_after(snapshot.created_at, now=call.now, seconds=call.backend.config.snapshot_seconds):
        raise ApiError(400, SNAPSHOT_NOT_READY)
    os_entry = catalog.oses.get(snapshot.os_id)
    os_name = short_os_name(os_entry["name"]) if os_entry else "Snapshot"
    return BootSource(snapshot.os_id, os_name, app_id=snapshot.app_id, snapshot_id=snapshot.id)


def merged_tags(call: Call, tags: tuple[str, ...], tag: str) -> tuple[tuple[str, ...], str]:
    """``tags`` and the legacy ``tag`` after a request: either may be given; the other follows it."""
    given_tags = call.strings("tags")
    given_tag = call.string("tag") if call.has("tag") else None
    if given_tags is not None:
        tags, tag = given_tags, given_tags[0] if given_tags else ""
    if given_tag is not None:
        tag = given_tag
        if given_tags is None:
            tags = (given_tag,) if given_tag else ()
    return tags, tag


def wants_vpc(call: Call) -> bool:
    """Whether the body attaches the instance to a VPC (any of the current or older spellings)."""
    return any(call.boolean(name) for name in VPC_FIELDS) or any(call.strings(name) for name in VPC_LISTS)


def _references(call: Call) -> tuple[tuple[str, ...], str]:
    store = call.backend.store
    key_ids = call.strings("sshkey_id") or ()
    for key_id in key_ids:
        if not is_uuid(key_id):
            raise ApiError(400, INVALID_UUID)
        if load(store, SshKeyRecord, key_id.lower()) is None:
            raise ApiError(400, INVALID_SSH_KEY)
    script_id = call.uuid("script_id").lower()
    if script_id and load(store, ScriptRecord, script_id) is None:
        raise ApiError(400, INVALID_STARTUP_SCRIPT)
    if call.uuid("firewall_group_id"):
        raise ApiError(400, INVALID_FIREWALL_GROUP)
    return tuple(k.lower() for k in key_ids), script_id


def features_from(call: Call, features: tuple[str, ...]) -> tuple[str, ...]:
    """Features after a request (order as documented: ddos_protection, ipv6, auto_backups)."""
    wanted = set(features)
    if call.has("ddos_protection"):
        wanted.discard("ddos_protection")
        if call.boolean("ddos_protection"):
            wanted.add("ddos_protection")
    if call.boolean("enable_ipv6"):
        wanted.add("ipv6")
    if call.has("backups"):
        wanted.discard("auto_backups")
        if call.string("backups") == "enabled":
            wanted.add("auto_backups")
    return tuple(name for name in ("ddos_protection", "ipv6", "auto_backups") if name in wanted)


def user_scheme(call: Call, current: str) -> str:
    """The ``user_scheme`` after a request."""
    scheme = call.string("user_scheme", current)
    if scheme not in USER_SCHEMES:
        raise ApiError(400, INVALID_USER_SCHEME)
    return scheme


def create_instance(call: Call) -> Reply:
    """POST /instances → 202 ``{"instance": {..., "default_password"}}`` (see the module docstring)."""
    backend = call.backend
    catalog, store, config = backend.catalog, backend.store, backend.config
    region = call.string("region")
    if not region:
        raise ApiError(400, BAD_REQUEST)
    if region not in catalog.regions:
        raise ApiError(400, INVALID_REGION)
    plan = call.string("plan")
    if plan not in catalog.plans:
        raise ApiError(400, INVALID_PLAN)
    if plan not in catalog.available(region):
        raise ApiError(400, PLAN_NOT_IN_REGION)
    source = boot_source(call)
    if source is None:
        raise ApiError(400, NO_BOOT_SOURCE)
    key_ids, script_id = _references(call)
    user_data = call.base64_field("user_data") or ""
    scheme = user_scheme(call, "root")
    tags, tag = merged_tags(call, (), "")
    features = features_from(call, ())
    with store.transaction():
        instance_id = ids.next_uuid(store, config.seed)
        main_ip, gateway = allocate.next_ipv4(store)
        v6_network, v6_main = allocate.next_ipv6(store) if "ipv6" in features else ("", "")
        instance = InstanceRecord(
            id=instance_id,
            region=region,
            plan=plan,
            label=call.string("label"),
            hostname=call.string("hostname") or DEFAULT_HOSTNAME,
            tag=tag,
            tags=tags,
            created_at=call.now,
            install_started_at=call.now,
            install_count=1,
            power_status="running",
            main_ip=main_ip,
            gateway_v4=gateway,
            secondary_ips=(),
            v6_network=v6_network,
            v6_main_ip=v6_main,
            internal_ip=ids.vpc_ipv4(store) if wants_vpc(call) else "",
            features=features,
            firewall_group_id="",
            user_data=user_data,
            user_scheme=scheme,
            default_password=allocate.password(config.seed, "v2", instance_id, 1),
            password_issued_at=call.now,
            kvm_token=allocate.kvm_token(config.seed, "v2", instance_id),
            reverse_v4=(),
            reverse_v6=(),
            sshkey_ids=key_ids,
            script_id=script_id,
            **asdict(source),
        )
        save(store, instance, new=True)
    return single_instance(call, instance, 202)
