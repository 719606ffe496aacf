"""The server fields the planner compares beyond the golden cases: user data (create-time only, shown
as a digest, compatible with digests recorded before it existed), v2's tags and host name read back,
and the boot source trusted to the registry where the API cannot read it back."""

from __future__ import annotations

from vultr_state.model.desired import DesiredServer
from vultr_state.model.live import LiveServer
from vultr_state.model.plan import ChangeClass
from vultr_state.model.registry import OwnedObject
from vultr_state.model.server import BootKind, InstallState, PowerState
from vultr_state.providers.v1.capabilities import CAPABILITIES as V1
from vultr_state.providers.v2.capabilities import CAPABILITIES as V2
from vultr_state.resources.server import Names, Resolved, compare, create_digest

RESOLVED = Resolved(region_id="ewr", plan_id="vc2-1c-1gb", os_id="1743")
NAMES = Names(region=str, plan=str, os=str)
SECRET = "#cloud-config\nruncmd: [echo planner-user-data-secret]\n"


def _live(**fields) -> LiveServer:
    values = dict(id="s-1", label="web-1", region_id="ewr", plan_id="vc2-1c-1gb", os_id="1743",
                  os_name="Ubuntu", boot=BootKind.OS, install=InstallState.READY, power=PowerState.RUNNING,
                  main_ip="192.0.2.1", v6_main_ip=None, v6_network=None, internal_ip=None,
                  auto_backups=False)  # fmt: skip
    values.update(fields)
    return LiveServer(**values)  # type: ignore[arg-type]


def _owned(desired: DesiredServer, resolved: Resolved = RESOLVED) -> OwnedObject:
    return OwnedObject("server", "s-1", desired.label, create_digest=create_digest(desired, resolved))


def test_user_data_changes_are_create_time_only_and_never_shown_in_clear():
    created = DesiredServer(label="web-1", os="Ubuntu", user_data=SECRET)
    changed = DesiredServer(label="web-1", os="Ubuntu", user_data=SECRET + "# more\n")
    assert compare(created, _live(), RESOLVED, _owned(created), NAMES, V2) == ()
    (change,) = compare(changed, _live(), RESOLVED, _owned(created), NAMES, V2)
    assert change.field == "user_data" and change.change_class is ChangeClass.CREATE_TIME_ONLY
    assert change.sensitive and change.old is None and SECRET not in str(change.new)


def test_a_digest_recorded_before_user_data_existed_still_matches_a_server_without_any():
    plain = DesiredServer(label="web-1", os="Ubuntu", ssh_keys=("deploy",))
    digest = create_digest(plain, RESOLVED)
    assert len(digest.split(".")) == 4
    owned = OwnedObject("server", "s-1", "web-1", create_digest=digest)
    assert compare(plain, _live(), RESOLVED, owned, NAMES, V1) == ()


def test_v2_tags_and_hostname_are_compared_with_what_v2_reads_back():
    desired = DesiredServer(label="web-1", os="Ubuntu", tags=("web", "blue"), hostname="web-1.example.com")
    live = _live(tags=("blue", "web"), hostname="web-1.example.com")
    assert compare(desired, live, RESOLVED, _owned(desired), NAMES, V2) == ()
    moved = DesiredServer(label="web-1", os="Ubuntu", tags=("green",), hostname="www.example.com")
    changes = {c.field: c.change_class for c in compare(moved, live, RESOLVED, _owned(desired), NAMES, V2)}
    assert changes == {"tags": ChangeClass.IN_PLACE, "hostname": ChangeClass.REINSTALL}


def test_a_hostname_change_of_a_snapshot_booted_v2_server_is_create_time_only():
    desired = DesiredServer(label="web-1", snapshot="golden", hostname="www.example.com")
    resolved = Resolved(region_id="ewr", plan_id="vc2-1c-1gb", os_id=None)
    live = _live(hostname="web-1.example.com")
    (change,) = compare(desired, live, resolved, _owned(desired, resolved), NAMES, V2)
    assert (change.field, change.change_class) == ("hostname", ChangeClass.CREATE_TIME_ONLY)


def test_v2_trusts_the_recorded_boot_source_and_v1_the_listed_one():
    desired = DesiredServer(label="web-1", snapshot="golden")
    resolved = Resolved(region_id="ewr", plan_id="vc2-1c-1gb", os_id=None)
    restored = _live(boot=BootKind.OS)  # v2 reports the snapshot's OS, not that it came from one
    assert compare(desired, restored, resolved, _owned(desired, resolved), NAMES, V2) == ()
    (change,) = compare(desired, restored, resolved, _owned(desired, resolved), NAMES, V1)
    assert (change.field, change.change_class) == ("snapshot", ChangeClass.REINSTALL)
    other = DesiredServer(label="web-1", snapshot="golden-v2")
    (change,) = compare(other, restored, resolved, _owned(desired, resolved), NAMES, V2)
    assert (change.field, change.old, change.change_class) == ("snapshot", None, ChangeClass.REINSTALL)
