"""Properties of the planner on random manifests and accounts (hypothesis).

1. Determinism: planning twice gives equal plans, and the same canonical JSON.
2. Convergence: applying the plan (all permissions given) to a simple in-memory model of the account,
   then planning again, gives no actions: the plan really leads to the manifest.
"""

from __future__ import annotations

import dataclasses
import itertools

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from planner.dump import canonical_json, plan_view
from vultr_state.model.desired import Desired, DesiredServer, DesiredSshKey, Ensure, Power
from vultr_state.model.live import (
    Catalog,
    CatalogOs,
    CatalogPlan,
    CatalogRegion,
    Live,
    LiveServer,
    LiveSshKey,
)
from vultr_state.model.plan import ActionType, Kind, Plan, ServerSpec, SshKeySpec
from vultr_state.model.registry import OwnedObject, Registry
from vultr_state.model.server import BootKind, InstallState, PowerState
from vultr_state.planner import PlanOptions, plan
from vultr_state.registry import with_owned, without_owned

CATALOG = Catalog(
    regions=(CatalogRegion("1", "New Jersey"), CatalogRegion("7", "Amsterdam")),
    plans=(CatalogPlan("201", "small", ("1", "7")), CatalogPlan("202", "large", ("1", "7"))),
    oses=(CatalogOs("387", "Ubuntu 20.04 x64"), CatalogOs("352", "Debian 10 x64")),
)
ALL = PlanOptions(allow_destroy=True, allow_prune=True, allow_replace=True, allow_reinstall=True, force=True)
LABELS = ["a", "b", "c", "d"]
KEYS = ["k1", "k2", "k3"]
BODIES = ["ssh-ed25519 AAAA one", "ssh-ed25519 AAAA two"]

desired_servers = st.lists(
    st.builds(
        DesiredServer,
        label=st.sampled_from(LABELS),
        region=st.sampled_from(["New Jersey", "7"]),
        plan=st.sampled_from(["small", "202"]),
        os=st.sampled_from(["387", "Debian 10 x64"]),
        ssh_keys=st.lists(st.sampled_from(KEYS), max_size=2, unique=True).map(tuple),
        power=st.sampled_from(list(Power)),
        tag=st.sampled_from([None, "", "blue"]),
        state=st.sampled_from([Ensure.PRESENT, Ensure.PRESENT, Ensure.ABSENT]),
    ),
    unique_by=lambda s: s.label,
    max_size=4,
)
live_servers = st.lists(
    st.builds(
        LiveServer,
        id=st.just(""),
        label=st.sampled_from([*LABELS, "x"]),
        region_id=st.sampled_from(["1", "7"]),
        plan_id=st.sampled_from(["201", "202"]),
        os_id=st.sampled_from(["387", "352"]),
        os_name=st.just(""),
        boot=st.just(BootKind.OS),
        install=st.just(InstallState.READY),
        power=st.sampled_from([PowerState.RUNNING, PowerState.STOPPED]),
        main_ip=st.just("192.0.2.1"),
        v6_main_ip=st.none(),
        v6_network=st.none(),
        internal_ip=st.none(),
        auto_backups=st.just(False),
        tag=st.sampled_from(["", "blue"]),
    ),
    max_size=4,
)


@st.composite
def scenarios(draw):
    servers = draw(desired_servers)
    used = sorted({k for s in servers if s.state is Ensure.PRESENT for k in s.ssh_keys})
    keys = tuple(DesiredSshKey(name=k, public_key=draw(st.sampled_from(BODIES))) for k in used)
    lives = [dataclasses.replace(s, id=str(100 + i)) for i, s in enumerate(draw(live_servers))]
    # At most one live server per label, so every scenario can be planned (clashes are golden cases).
    lives = list({s.label: s for s in lives}.values())
    key_names = draw(st.lists(st.sampled_from(KEYS), unique=True, max_size=3))
    live_keys = [
        LiveSshKey(id=f"key{i}", name=n, public_key=draw(st.sampled_from(BODIES)))
        for i, n in enumerate(key_names)
    ]
    owned = [OwnedObject("server", s.id, s.label) for s in lives if draw(st.booleans())] + [
        OwnedObject("ssh_key", k.id, k.name) for k in live_keys if draw(st.booleans())
    ]
    desired = Desired(project="p", ssh_keys=keys, servers=tuple(servers))
    live = Live(catalog=CATALOG, ssh_keys=tuple(live_keys), servers=tuple(lives),
                registry=Registry(project="p", owned=tuple(owned)))  # fmt: skip
    return desired, live


def apply_in_memory(result: Plan, live: Live) -> Live:
    """What the account and registry look like after the plan ran (a model, not the executor)."""
    servers = {s.id: s for s in live.servers}
    keys = {k.id: k for k in live.ssh_keys}
    reg = live.registry
    ids = itertools.count(1000)
    for action in result.actions:
        kind = action.kind.value
        if action.type in (ActionType.DESTROY, ActionType.PRUNE):
            (servers if action.kind is Kind.SERVER else keys).pop(action.live_id)
            reg = without_owned(reg, kind, [action.live_id])
            continue
        spec = action.spec
        if action.type in (ActionType.CREATE, ActionType.REPLACE):
            if action.live_id:
                (servers if action.kind is Kind.SERVER else keys).pop(action.live_id)
                reg = without_owned(reg, kind, [action.live_id])
            new_id = str(next(ids))
            if isinstance(spec, ServerSpec):
                servers[new_id] = LiveServer(new_id, spec.label, spec.region_id, spec.plan_id, spec.os_id, "",
                                             BootKind.OS, InstallState.READY, PowerState(spec.power),
                                             "192.0.2.9", None, None, None, False,
                                             spec.tag or "")  # fmt: skip
            elif isinstance(spec, SshKeySpec):
                keys[new_id] = LiveSshKey(new_id, spec.name, spec.public_key)
            digest = spec.create_digest if isinstance(spec, ServerSpec) else ""
            reg = with_owned(reg, [OwnedObject(kind, new_id, action.name, action.protect, digest)])
            continue
        digest = spec.create_digest if isinstance(spec, ServerSpec) else ""
        reg = with_owned(reg, [OwnedObject(kind, action.live_id, action.name, action.protect, digest)])
        if action.kind is Kind.SERVER:
            server = servers[action.live_id]
            for change in action.changes:
                if change.field == "label":
                    server = dataclasses.replace(server, label=change.new)
                elif change.field == "power":
                    server = dataclasses.replace(server, power=PowerState(change.new))
                elif change.field == "tag":
                    server = dataclasses.replace(server, tag=change.new)
                elif change.field == "os":
                    server = dataclasses.replace(server, os_id=spec.os_id)
            servers[action.live_id] = server
        elif action.kind is Kind.SSH_KEY and isinstance(spec, SshKeySpec):
            keys[action.live_id] = LiveSshKey(action.live_id, spec.name, spec.public_key)
    return dataclasses.replace(
        live, servers=tuple(servers.values()), ssh_keys=tuple(keys.values()), registry=reg
    )


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(scenarios())
def test_plan_is_deterministic_and_converges(scenario):
    desired, live = scenario
    first = plan(desired, live, ALL)
    assert first == plan(desired, live, ALL)
    assert canonical_json(plan_view(first)) == canonical_json(plan_view(plan(desired, live, ALL)))
    assert not first.refusals
    after = apply_in_memory(first, live)
    again = plan(desired, after, ALL)
    assert again.actions == (), [a.key for a in again.actions]
    present = {s.label for s in desired.servers if s.state is Ensure.PRESENT}
    owned_labels = {s.label for s in after.servers if s.id in after.registry.owned_ids("server")}
    assert owned_labels == present
