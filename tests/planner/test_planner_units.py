"""Planner details not worth a golden each: references to live-only objects, absent references,
dependency cycles, catalog lookups, and option handling."""

from __future__ import annotations

import pytest

from vultr_state.errors import PlanError
from vultr_state.model.desired import Desired, DesiredServer, DesiredSnapshot, DesiredSshKey, Ensure
from vultr_state.model.live import Catalog, CatalogOs, CatalogPlan, CatalogRegion, Live, LiveSshKey
from vultr_state.model.plan import ActionType, Permission
from vultr_state.planner import PlanOptions, plan
from vultr_state.planner.catalog import CatalogIndex

CATALOG = Catalog(
    regions=(CatalogRegion("1", "New Jersey", code="EWR"),),
    plans=(CatalogPlan("201", "1024 MB RAM,25 GB SSD,1.00 TB BW", ("1",)),),
    oses=(CatalogOs("387", "Ubuntu 20.04 x64"),),
)
SERVER = {"region": "1", "plan": "201", "os": "387"}


def test_a_server_may_use_a_key_that_only_exists_in_the_account():
    live = Live(catalog=CATALOG, ssh_keys=(LiveSshKey("k1", "laptop", "ssh-ed25519 AAAA x"),))
    desired = Desired(project="p", servers=(DesiredServer("web", ssh_keys=("laptop",), **SERVER),))
    result = plan(desired, live)
    assert [a.type for a in result.actions] == [ActionType.CREATE]
    assert result.actions[0].depends_on == ()
    assert result.unmanaged == (("ssh_key", 1),)


def test_dangling_and_absent_references_are_listed_together():
    desired = Desired(
        project="p",
        ssh_keys=(DesiredSshKey("gone", None, state=Ensure.ABSENT),),
        servers=(DesiredServer("web", ssh_keys=("gone", "deploi"), **SERVER),),
        snapshots=(DesiredSnapshot("golden", server="nowhere"),),
    )
    live = Live(catalog=CATALOG, ssh_keys=(LiveSshKey("k1", "deploy", "ssh-ed25519 AAAA x"),))
    with pytest.raises(PlanError) as info:
        plan(desired, live)
    text = str(info.value)
    assert "3 problems" in text
    assert "ssh key 'gone', which the manifest marks absent" in text
    assert "unknown ssh key 'deploi' (did you mean 'deploy'?)" in text
    assert "unknown server 'nowhere'" in text


def test_a_server_booting_from_a_snapshot_of_itself_is_a_cycle():
    desired = Desired(
        project="p",
        servers=(DesiredServer("web", region="1", plan="201", snapshot="self"),),
        snapshots=(DesiredSnapshot("self", server="web"),),
    )
    with pytest.raises(PlanError, match="wait for each other: server:web, snapshot:self"):
        plan(desired, Live(catalog=CATALOG))


def test_catalog_lookup_accepts_ids_names_and_codes():
    index = CatalogIndex(CATALOG)
    assert index.regions.find("ewr").id == "1"
    assert index.regions.find(" new  JERSEY ").id == "1"
    assert index.plans.find("1024 mb ram, 25 gb ssd, 1.00 tb bw").id == "201"
    assert index.oses.find("387").name == "Ubuntu 20.04 x64"
    assert index.regions.find("Paris") is None
    assert index.plans.display("999") == "999"


def test_options_grant_exactly_what_was_given():
    options = PlanOptions(allow_prune=True)
    assert options.grants(Permission.PRUNE)
    assert not any(options.grants(p) for p in Permission if p is not Permission.PRUNE)


def test_missing_region_is_reported_with_a_hint():
    desired = Desired(project="p", servers=(DesiredServer("web", plan="201", os="387"),))
    with pytest.raises(PlanError, match="no region given"):
        plan(desired, Live(catalog=CATALOG))
