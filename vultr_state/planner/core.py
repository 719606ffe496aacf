"""``plan(desired, live, options, capabilities=...) -> Plan``: the pure heart of vultr-state.

Called by the CLI (``plan``, ``apply``, ``destroy``) and the saved-plan check. No client, no files, no
clock (the time that ages pending creates is an argument), no environment: the same inputs give a
byte-identical plan. Steps:

1. check every reference (keys, scripts, snapshots, source servers) and plan each kind in dependency
   order, matching entries with live objects through the registry (``planner.matching``);
2. gather every problem (unknown catalog names, dangling references, identity clashes, unavailable
   plans) and raise them together in one ``PlanError``;
3. add the "looks like a rename" hints (``planner.renames``), fill dependencies and order the
   actions (``planner.order``);
4. apply the destroy-share safety valve, count unmanaged objects, fingerprint what the plan touches
   (``planner.touches``: a saved plan goes stale only on that).
"""

from __future__ import annotations

from vultr_state.heap import cyclic_gc_paused
from vultr_state.model.capabilities import Capabilities
from vultr_state.model.desired import Desired
from vultr_state.model.live import Live
from vultr_state.model.plan import Action, ActionType, Kind, Permission, Plan, Refusal
from vultr_state.planner.catalog import CatalogIndex, CatalogProblem, raise_problems
from vultr_state.planner.collect import Collector, noun
from vultr_state.planner.matching import KindMatches
from vultr_state.planner.options import PlanOptions
from vultr_state.planner.order import ordered, with_dependencies
from vultr_state.planner.pending import may_hold
from vultr_state.planner.references import check_references
from vultr_state.planner.refresh import kept_reverse_dns
from vultr_state.planner.renames import rename_hints
from vultr_state.planner.servers import plan_servers
from vultr_state.planner.simple import plan_snapshots, plan_ssh_keys, plan_startup_scripts
from vultr_state.planner.targets import select
from vultr_state.planner.touches import touched_fingerprints
from vultr_state.registry import registry_state_digest

SAFETY_KEY = "plan:safety"
_SHARE_COUNTED = {ActionType.DESTROY, ActionType.PRUNE, ActionType.REPLACE}


@cyclic_gc_paused()
def plan(
    desired: Desired,
    live: Live,
    options: PlanOptions | None = None,
    *,
    capabilities: Capabilities | None = None,
    now: float | None = None,
) -> Plan:
    """Compare a manifest with an account and say what to do.

    Args:
        desired: The loaded manifest.
        live: What ``read_live`` returned for it.
        options: The permission flags (all refused by default).
        capabilities: The provider's overrides of the default change classes (None: the defaults of
            ``vultr_state.resources``, which are v1's).
        now: The caller's clock (epoch seconds), which ages the registry's pending creates: a create
            whose outcome is unknown is held until ``planner.pending.PENDING_CREATE_WINDOW`` has passed
            (None: always held).

    Returns:
        The plan: ordered actions, refusals (protection, missing permissions, the safety valve),
        unmanaged counts, owned count, manifest digest, fingerprints of what it touches, warnings.

    Raises:
        PlanError: the manifest cannot be planned against this account; the message lists every problem
            (unknown region/plan/OS/ISO with a suggestion, dangling references, identity clashes, a plan
            not offered in a region, a dependency cycle).
    """
    options = options or PlanOptions()
    out = Collector(
        options, tuple(r.project for r in live.unreadable_registries), now, may_hold(live.registry, now)
    )
    problems: list[CatalogProblem] = []
    index = CatalogIndex(live.catalog)
    project = desired.project
    check_references(desired, live, problems)
    matched: dict[Kind, KindMatches] = {
        Kind.SSH_KEY: plan_ssh_keys(desired.ssh_keys, live, project, out, problems),
        Kind.STARTUP_SCRIPT: plan_startup_scripts(desired.startup_scripts, live, project, out, problems),
        Kind.SERVER: plan_servers(
            desired.servers, live, index, project, out, problems, capabilities, _renamed_references(desired)
        ),
        Kind.SNAPSHOT: plan_snapshots(desired.snapshots, live, project, out, problems, capabilities),
    }
    raise_problems(problems)
    actions = ordered(with_dependencies(rename_hints(out.actions, live)))
    live_ids = {
        Kind.SSH_KEY: {o.id for o in live.ssh_keys},
        Kind.STARTUP_SCRIPT: {o.id for o in live.startup_scripts},
        Kind.SERVER: {o.id for o in live.servers},
        Kind.SNAPSHOT: {o.id for o in live.snapshots},
    }
    owned_count = sum(len(live.registry.owned_ids(kind.value) & ids) for kind, ids in live_ids.items())
    warnings = list(out.warnings)
    refusals = list(out.refusals)
    notes: tuple[str, ...] = ()
    if options.targets:
        actions, kept = select(actions, refusals, options.targets, _targetable(desired, live))
        refusals = list(kept)
        notes = (
            f"Targeted ({', '.join(options.targets)}): only these entries and what they depend on are "
            "planned; the rest of the manifest is not compared.",
        )
    refusals.extend(_safety_valve(desired, actions, owned_count, options, warnings))
    for kind, km in matched.items():
        warnings.extend(
            f"the registry lists {noun(kind)} {o.id} ({o.name!r}), which is no longer in the account; "
            "the next apply forgets it"
            for o in km.stale
        )
    warnings.extend(_unreadable_warning(r.problem) for r in live.unreadable_registries)
    if live.registry.lock is not None:
        warnings.append(f"the registry is locked by {live.registry.lock.holder!r}: an apply may be running")
    return Plan(
        project=project,
        actions=actions,
        refusals=_in_plan_order(refusals, actions),
        unmanaged=tuple((kind.value, km.unmanaged) for kind, km in matched.items() if km.unmanaged),
        owned_count=owned_count,
        fingerprints=touched_fingerprints(actions, live),
        warnings=tuple(warnings),
        registry_digest=registry_state_digest(live.registry),
        forget=tuple((kind.value, o.id) for kind, km in matched.items() for o in km.stale),
        kept_reverse_dns=kept_reverse_dns(desired, matched[Kind.SERVER], actions, live.registry),
        notes=notes,
    )


def _targetable(desired: Desired, live: Live) -> set[str]:
    """``kind:name`` of every manifest entry and owned object: what ``--target`` may name."""
    names = {f"{Kind.SSH_KEY.value}:{k.name}" for k in desired.ssh_keys}
    names |= {f"{Kind.STARTUP_SCRIPT.value}:{s.name}" for s in desired.startup_scripts}
    names |= {f"{Kind.SERVER.value}:{s.label}" for s in desired.servers}
    names |= {f"{Kind.REVERSE_DNS.value}:{s.label}" for s in desired.servers if s.reverse_dns}
    names |= {f"{Kind.SNAPSHOT.value}:{s.description}" for s in desired.snapshots}
    return names | {f"{o.kind}:{o.name}" for o in live.registry.owned}


def _renamed_references(desired: Desired) -> dict[tuple[Kind, str], str]:
    """(kind, new name) -> old name of every SSH key, startup script and snapshot renamed with
    ``renamed_from``."""
    keys = {(Kind.SSH_KEY, k.name): k.renamed_from for k in desired.ssh_keys if k.renamed_from}
    scripts = {
        (Kind.STARTUP_SCRIPT, s.name): s.renamed_from for s in desired.startup_scripts if s.renamed_from
    }
    snapshots = {(Kind.SNAPSHOT, s.description): s.renamed_from for s in desired.snapshots if s.renamed_from}
    return keys | scripts | snapshots


def _unreadable_warning(problem: str) -> str:
    return (
        f"another project's registry is unreadable: {problem}. Its objects look unowned here, so "
        "nothing is adopted by identity until it is repaired (--allow-adopt-with-damaged-registry "
        "overrides)"
    )


def _safety_valve(
    desired: Desired, actions: tuple[Action, ...], owned: int, options: PlanOptions, warnings: list[str]
) -> list[Refusal]:
    """Refuse destroying/replacing more than the allowed share of owned objects without --force."""
    safety = desired.safety
    count = sum(1 for a in actions if a.type in _SHARE_COUNTED)
    if owned < safety.min_owned or count * 100 <= safety.max_destroy_percent * owned:
        return []
    share = f"{count} of {owned} owned objects ({count * 100 // owned}%)"
    if options.force:
        warnings.append(f"--force: this plan destroys or replaces {share}")
        return []
    message = (
        f"this plan destroys or replaces {share}, more than max_destroy_percent "
        f"({safety.max_destroy_percent}%)"
    )
    return [Refusal(SAFETY_KEY, message, needs=Permission.FORCE)]


def _in_plan_order(refusals: list[Refusal], actions: tuple[Action, ...]) -> tuple[Refusal, ...]:
    position = {a.key: i for i, a in enumerate(actions)}
    return tuple(sorted(refusals, key=lambda r: (position.get(r.action_key, len(position)), r.action_key)))
