"""Planning servers and their reverse DNS.

Called by ``planner.core``. Each present server's region, plan and OS (or ISO) are resolved against the
catalog (an id a live server already carries is accepted even when the catalog no longer lists it, as
v1 hides retired plans), and server specs carry the catalog's names of those ids for display; creates,
replaces and in-place plan upgrades are checked for plan availability in the region (the executor checks
again before a replace destroys anything). Whether a plan change is an upgrade is read from the catalog
(``resources.server.is_upgrade``), never from a per-server call. More tags than the API lets a server
carry (``Capabilities.max_server_tags``: one on v1) is a problem of the entry. Reverse DNS is its own action
(``reverse_dns:<label>``): a create when the server is new, an update when the names of an existing
server differ or the server is replaced (the names are set again on the replacement; nothing new is
created, so a replace is not counted as a reverse-DNS create).
On an API that tags the servers it creates with the project's owner tag (v2), a server that appeared
under a pending create's label is taken for that lost create only when it carries the tag; an untagged
one is someone else's namesake, matched by identity (an adoption) at most.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import replace
from functools import partial

from vultr_state.model.capabilities import Capabilities
from vultr_state.model.desired import DesiredServer, Ensure
from vultr_state.model.live import CatalogPlan, Live, LiveServer
from vultr_state.model.plan import Action, ActionType, Kind, ServerSpec
from vultr_state.model.server import BootKind
from vultr_state.planner.catalog import CatalogIndex, CatalogProblem, Subject
from vultr_state.planner.collect import Collector, action_key
from vultr_state.planner.entries import Entry, plan_absent, plan_present, plan_prunes
from vultr_state.planner.matching import KindMatches, match_kind
from vultr_state.planner.renames import follow_renames
from vultr_state.planner.simple import subject
from vultr_state.resources import reverse_dns, server
from vultr_state.resources.server import Names, Resolved

_NEW_ADDRESS = {ActionType.CREATE, ActionType.REPLACE}


def _reference(
    index: CatalogIndex,
    desired: DesiredServer,
    table_name: str,
    live_value: str | None,
    problems: list[CatalogProblem],
) -> str | None:
    """The id field ``table_name`` of ``desired`` names; None after recording a problem that points at
    the field's own value (or its default)."""
    value = getattr(desired, table_name)
    at = partial(_field_subject, desired, table_name)
    if value is None or not value.strip():
        problems.append(CatalogProblem(at(), f"no {table_name} given (set it on the entry or in defaults)"))
        return None
    if live_value and value.strip() == live_value:
        return live_value  # the id the server already has, even if the catalog hides it (retired plan)
    table = {"region": index.regions, "plan": index.plans, "os": index.oses, "iso": index.isos}[table_name]
    return index.resolve(table, value, at, problems)


def _field_subject(desired: DesiredServer, name: str) -> Subject:
    return subject(Kind.SERVER, desired.label, desired.location_of(name))


def resolve(
    desired: DesiredServer, live: LiveServer | None, index: CatalogIndex, problems: list[CatalogProblem]
) -> Resolved | None:
    """The server's catalog references as ids; None (after recording problems) when one is unknown."""
    region = _reference(index, desired, "region", live.region_id if live else None, problems)
    plan = _reference(index, desired, "plan", live.plan_id if live else None, problems)
    iso_id = None
    if desired.snapshot:
        os_id: str | None = index.placeholder_os(BootKind.SNAPSHOT)
    elif desired.iso:
        os_id = index.placeholder_os(BootKind.ISO)
        iso_id = _reference(index, desired, "iso", None, problems)
        if iso_id is None:
            return None
    else:
        os_id = _reference(index, desired, "os", live.os_id if live else None, problems)
    if region is None or plan is None or (os_id is None and not desired.snapshot and not desired.iso):
        return None
    return Resolved(region_id=region, plan_id=plan, os_id=os_id, iso_id=iso_id)


def _plan(index: CatalogIndex, plan_id: str) -> CatalogPlan | None:
    entry = index.plans.find(plan_id)
    return entry if isinstance(entry, CatalogPlan) else None


def _spec(desired: DesiredServer, resolved: Resolved, index: CatalogIndex) -> ServerSpec:
    """The create spec of a server, with the catalog's names of its ids."""
    return _named(server.to_spec(desired, resolved), index)


def _named(spec: ServerSpec, index: CatalogIndex) -> ServerSpec:
    """``spec`` with the catalog's names of its ids, for reviewers (the ids are what the API gets)."""

    def shown(display: Callable[[str], str], entry_id: str | None) -> str | None:
        name = display(entry_id) if entry_id else None
        return name if name != entry_id else None  # display() falls back to the id itself

    return replace(
        spec,
        region_name=shown(index.regions.display, spec.region_id),
        plan_name=shown(index.plans.display, spec.plan_id),
        os_name=shown(index.oses.display, spec.os_id),
        iso_name=shown(index.isos.display, spec.iso_id),
    )


def plan_servers(
    servers: tuple[DesiredServer, ...],
    live: Live,
    index: CatalogIndex,
    project: str,
    out: Collector,
    problems: list[CatalogProblem],
    capabilities: Capabilities | None = None,
    references_renamed: Mapping[tuple[Kind, str], str] | None = None,
) -> KindMatches:
    """Plan every server and the reverse DNS of those that manage it (classes from ``capabilities``;
    ``references_renamed``: (kind, new name) -> old name of the keys and scripts renamed in place)."""
    references_renamed = references_renamed or {}
    entries = [(s.label, subject(Kind.SERVER, s.label, s.location)) for s in servers]
    renamed = {s.label: s.renamed_from for s in servers if s.renamed_from}
    tagged = capabilities is not None and capabilities.owner_tagged_servers
    km = match_kind(
        Kind.SERVER.value, entries, live.servers, lambda o: o.label, live.registry, problems, renamed,
        confirms=(lambda o: project in o.owners) if tagged else None,
    )  # fmt: skip
    names = Names(
        region=index.regions.display,
        plan=index.plans.display,
        os=index.oses.display,
        plan_entry=lambda plan_id: _plan(index, plan_id),
    )
    for desired in sorted(servers, key=lambda s: s.label):
        match = km.matches.get(desired.label)
        if match is None:
            continue
        if desired.state is Ensure.ABSENT:
            plan_absent(Kind.SERVER, desired.label, match, desired.protect, out)
            continue
        resolved = resolve(desired, match.live, index, problems)
        if resolved is None:
            continue
        limit = capabilities.max_server_tags if capabilities else None
        if limit is not None and len(desired.tags) > limit:
            subj = subject(Kind.SERVER, desired.label, desired.location)
            problems.append(CatalogProblem(subj, f"{capabilities.api} servers carry at most {limit} tag(s), "
                                                 f"not {len(desired.tags)}: use one tag"))  # fmt: skip
            continue
        changes = (
            follow_renames(
                server.compare(desired, match.live, resolved, match.owned, names, capabilities),
                desired,
                match.owned,
                references_renamed,
            )
            if match.live
            else ()
        )
        entry = Entry(Kind.SERVER, desired.label, desired.protect, partial(_spec, desired, resolved, index))
        action_type = plan_present(entry, match, changes, project, out)
        if action_type in _NEW_ADDRESS or (
            action_type is ActionType.UPDATE and any(c.field == "plan" for c in changes)
        ):
            subj = subject(Kind.SERVER, desired.label, desired.location_of("plan"))
            index.check_available(resolved.plan_id, resolved.region_id, subj, problems)
        _plan_reverse_dns(desired, match.live, action_type, live, out, problems)
    plan_prunes(Kind.SERVER, km.prune, lambda o: o.label, out)
    return km


def _plan_reverse_dns(
    desired: DesiredServer,
    live_server: LiveServer | None,
    server_action: ActionType | None,
    live: Live,
    out: Collector,
    problems: list[CatalogProblem],
) -> None:
    wanted = desired.reverse_dns
    if wanted is None:
        return
    if (wanted.ipv6 is not None or wanted.ipv6_extra) and not desired.ipv6:
        subj = subject(Kind.SERVER, desired.label, desired.location)
        problems.append(CatalogProblem(subj, "reverse_dns.ipv6 needs ipv6: true on the server"))
        return
    fresh = server_action in _NEW_ADDRESS or live_server is None
    existing = None if fresh else live_server
    record = None
    if existing is not None:
        record = next((r for r in live.reverse_dns if r.server_id == existing.id), None)
    changes = reverse_dns.compare(wanted, existing, record)
    if not changes:
        return
    if server_action is ActionType.REPLACE:
        # The names belong to a server that stays (under a new id): set again, not a new object.
        action_type, live_id = ActionType.UPDATE, None
        reason = "set again on the replacement once it is active"
    elif existing is None:
        action_type, live_id, reason = ActionType.CREATE, None, "set once the new server is active"
    else:
        action_type, live_id = ActionType.UPDATE, existing.id
        reason = "" if record is not None else "the server is not active yet: names are set once it is"
    key = action_key(Kind.REVERSE_DNS, desired.label)
    spec = reverse_dns.to_spec(desired.label, wanted)
    out.add(Action(key, Kind.REVERSE_DNS, desired.label, action_type, live_id=live_id, changes=changes,
                   spec=spec, reason=reason))  # fmt: skip
