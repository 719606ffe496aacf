"""Server subscription endpoints: server/create, server/list, server/destroy, label_set, tag_set, bandwidth.

Validation order of server/create: DCID, VPSPLANID, plan available in DCID (real text), OSID, then the
boot source of special OSIDs (SNAPSHOTID for 164, ISOID or ipxe_chain_url for 159, APPID for 186 — each
ignored for any other OSID, like the real service), SCRIPTID, SSHKEYID (comma list), FIREWALLGROUPID.
"""

from __future__ import annotations

from vultr_state.emulator.core import allocate
from vultr_state.emulator.v1 import ids
from vultr_state.emulator.v1.catalog import OS_APPLICATION, OS_BACKUP, OS_CUSTOM, OS_SNAPSHOT
from vultr_state.emulator.v1.handlers.backup import add_backup
from vultr_state.emulator.v1.handlers.base import Call, find_server, update_server
from vultr_state.emulator.v1.models import (
    KIND_BACKUP,
    KIND_SERVER,
    BackupRecord,
    ScriptRecord,
    ServerRecord,
    SnapshotRecord,
    SshKeyRecord,
    load,
    load_all,
    save,
)
from vultr_state.emulator.v1.views import daily_bandwidth, server_view
from vultr_state.emulator.v1.wire import (
    DESTROY_LOCKED,
    DESTROY_TOO_YOUNG,
    INVALID_APP,
    INVALID_DCID,
    INVALID_FIREWALL_GROUP,
    INVALID_ISO,
    INVALID_OSID,
    INVALID_PLAN,
    INVALID_SCRIPT,
    INVALID_SNAPSHOT,
    INVALID_SSHKEY,
    PLAN_NOT_AVAILABLE,
    ApiFailure,
    Reply,
    empty_reply,
    json_reply,
    keyed_reply,
)

_FILTERS = ("tag", "label", "main_ip")


def server_list(call: Call) -> Reply:
    """GET server/list: SUBID → server, or one unwrapped server with ``SUBID``.

    Filters ``tag``, ``label``, ``main_ip`` (one at a time, the first given wins); no match gives ``[]``.
    """
    backend = call.backend
    if call.param("SUBID"):
        return json_reply(server_view(find_server(call), backend.catalog, call.now, backend.config))
    views = [
        server_view(server, backend.catalog, call.now, backend.config)
        for server in load_all(backend.store, ServerRecord)
    ]
    for name in _FILTERS:
        if name in call.params:
            wanted = call.params[name]
            views = [view for view in views if view[name] == wanted]
            break
    return keyed_reply({view["SUBID"]: view for view in views})


def _boot_source(call: Call, osid: int) -> tuple[str, str, int, int]:
    """Validate the boot source; returns (os name, snapshot id, attached ISOID, APPID)."""
    catalog, store = call.backend.catalog, call.backend.store
    if osid == OS_SNAPSHOT:
        snapshot_id = call.param("SNAPSHOTID")
        if load(store, SnapshotRecord, snapshot_id) is None:
            raise ApiFailure(INVALID_SNAPSHOT)
        return "Snapshot", snapshot_id, 0, 0
    if osid == OS_CUSTOM:
        isoid = call.int_param("ISOID")
        if isoid in catalog.isos:
            return "Custom", "", isoid, 0
        if call.param("ipxe_chain_url"):
            return "Custom", "", 0, 0
        raise ApiFailure(INVALID_ISO)
    if osid == OS_APPLICATION:
        appid = call.int_param("APPID")
        if appid not in catalog.apps:
            raise ApiFailure(INVALID_APP)
        return "Application", "", 0, appid
    return catalog.oses[osid]["name"], "", 0, 0


def _validated_refs(call: Call) -> tuple[str, tuple[str, ...]]:
    """Check SCRIPTID, SSHKEYID and FIREWALLGROUPID; returns (script id, ssh key ids)."""
    store = call.backend.store
    script_id = call.param("SCRIPTID")
    if script_id and load(store, ScriptRecord, script_id) is None:
        raise ApiFailure(INVALID_SCRIPT)
    key_ids = tuple(k.strip() for k in call.param("SSHKEYID").split(",") if k.strip())
    if any(load(store, SshKeyRecord, key_id) is None for key_id in key_ids):
        raise ApiFailure(INVALID_SSHKEY)
    if call.param("FIREWALLGROUPID") not in ("", "0"):
        raise ApiFailure(INVALID_FIREWALL_GROUP)  # the emulated account has no firewall groups
    return script_id, key_ids


def server_create(call: Call) -> Reply:
    """POST server/create → ``{"SUBID":"..."}``; the server is listed at once as pending.

    Ignored parameters: ``notify_activate``, ``ddos_protection``, ``reserved_ip_v4``, the content of
    ``ipxe_chain_url``, ``SNAPSHOTID``/``ISOID``/``APPID`` for other OSIDs, ``SCRIPTID`` type checks;
    ``NETWORKID[]`` only enables private networking.
    """
    catalog, store, config = call.backend.catalog, call.backend.store, call.backend.config
    dcid = call.int_param("DCID")
    if dcid not in catalog.regions:
        raise ApiFailure(INVALID_DCID)
    plan_id = call.int_param("VPSPLANID")
    if plan_id not in catalog.plans:
        raise ApiFailure(INVALID_PLAN)
    if dcid not in catalog.plans[plan_id]["available_locations"]:
        raise ApiFailure(PLAN_NOT_AVAILABLE)
    osid = call.int_param("OSID")
    if osid not in catalog.oses or osid == OS_BACKUP:
        raise ApiFailure(INVALID_OSID)
    os_name, snapshot_id, isoid, appid = _boot_source(call, osid)
    script_id, key_ids = _validated_refs(call)
    private = call.flag("enable_private_network") or bool(call.arrays.get("NETWORKID"))
    with store.transaction():
        subid = ids.next_subid(store)
        main_ip, gateway = allocate.next_ipv4(store)
        v6_network, v6_main = allocate.next_ipv6(store) if call.flag("enable_ipv6") else ("", "")
        server = ServerRecord(
            subid=subid,
            dcid=dcid,
            plan_id=plan_id,
            osid=osid,
            os_name=os_name,
            label=call.params.get("label", ""),
            tag=call.params.get("tag", ""),
            hostname=call.param("hostname"),
            created_at=call.now,
            install_started_at=call.now,
            install_count=1,
            power_status="running",
            main_ip=main_ip,
            gateway_v4=gateway,
            secondary_ips=(),
            v6_network=v6_network,
            v6_main_ip=v6_main,
            internal_ip=ids.private_ipv4(dcid, subid) if private else "",
            auto_backups=call.flag("auto_backups"),
            appid=appid,
            iso_attached=isoid,
            snapshot_id=snapshot_id,
            script_id=script_id,
            sshkey_ids=key_ids,
            firewall_group=call.param("FIREWALLGROUPID") or "0",
            userdata=call.param("userdata"),
            default_password=allocate.password(config.seed, subid, 1),
            kvm_token=allocate.kvm_token(config.seed, subid),
            reverse_v4=(),
            reverse_v6=(),
        )
        save(store, server, new=True)
        if server.auto_backups:
            add_backup(call, server)
    return json_reply({"SUBID": subid})


def server_destroy(call: Call) -> Reply:
    """POST server/destroy: removes the server and its backups at once (snapshots stay). No ignored params.

    With ``destroy_min_age_seconds`` > 0 a younger server is refused with the real 5-minute text; with
    ``refuse_destroy_when_locked`` a ``locked`` server is refused with the real lock text.
    """
    backend = call.backend
    with backend.store.transaction():
        server = find_server(call)
        min_age = backend.config.destroy_min_age_seconds
        if min_age > 0 and call.now - server.created_at < min_age:
            raise ApiFailure(DESTROY_TOO_YOUNG)
        if backend.config.refuse_destroy_when_locked and call.phase_of(server).server_state == "locked":
            raise ApiFailure(DESTROY_LOCKED)
        backend.store.delete(KIND_SERVER, server.subid)
        for backup in load_all(backend.store, BackupRecord):
            if backup.subid == server.subid:
                backend.store.delete(KIND_BACKUP, backup.backup_id)
    return empty_reply()


def server_label_set(call: Call) -> Reply:
    """POST server/label_set: ``SUBID``, ``label`` (absent = empty label). No ignored params."""
    update_server(call, label=call.params.get("label", ""))
    return empty_reply()


def server_tag_set(call: Call) -> Reply:
    """POST server/tag_set: ``SUBID``, ``tag`` (absent = no tag). No ignored params."""
    update_server(call, tag=call.params.get("tag", ""))
    return empty_reply()


def server_bandwidth(call: Call) -> Reply:
    """GET server/bandwidth: per-day ``[date, bytes]`` pairs (byte counts as strings). No ignored params."""
    server = find_server(call)
    days = daily_bandwidth(server, call.now, call.backend.config)
    return json_reply(
        {
            "incoming_bytes": [[day, str(incoming)] for day, incoming, _ in days],
            "outgoing_bytes": [[day, str(outgoing)] for day, _, outgoing in days],
        }
    )
