"""Planning without refreshing (``plan --no-refresh``, Terraform's ``-refresh=false``), and what an apply
records so that it can.

Called by the CLI and by ``planner.core``. The list calls show every server, key, script and snapshot;
only reverse DNS needs one read per server (v1 ``server/list_ipv4`` and ``list_ipv6``; v2 the same per
instance), which at v1's 2 requests per second dominates a no-change plan of many servers. An apply
records in the registry the names it set or found set on each owned server (``kept_reverse_dns`` gives
the executor those the plan found already right but not yet recorded, so that an apply with nothing
else to do still records them, once); ``with_recorded_reverse_dns`` rebuilds the reverse-DNS records a
plan compares from those names and the listed servers' addresses, and says which managed servers have
no record yet (the CLI reads just those).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import replace

from vultr_state.model.desired import Desired, Ensure
from vultr_state.model.live import Live, LiveReverseDns
from vultr_state.model.plan import Action, ActionType, Kind, ReverseDnsSpec
from vultr_state.model.registry import RecordedReverseDns, Registry
from vultr_state.planner.collect import action_key
from vultr_state.planner.matching import KindMatches
from vultr_state.resources import reverse_dns

_NEW_SERVER = {ActionType.CREATE, ActionType.REPLACE}


def kept_reverse_dns(
    desired: Desired, servers: KindMatches, actions: Sequence[Action], registry: Registry
) -> tuple[tuple[str, ReverseDnsSpec], ...]:
    """(server id, names) of each present, active, matched server whose managed reverse DNS already
    matches the manifest (no reverse-DNS action, no create or replace of the server) but which the
    registry has not recorded so (an apply before this version set it): an apply records them, even
    when it has nothing else to do."""
    by_key = {a.key: a for a in actions}
    kept = []
    for server in desired.servers:
        match = servers.matches.get(server.label)
        if server.state is not Ensure.PRESENT or server.reverse_dns is None or match is None:
            continue
        live = match.live
        if live is None or not live.ready or action_key(Kind.REVERSE_DNS, server.label) in by_key:
            continue
        own = by_key.get(action_key(Kind.SERVER, server.label))
        if own is not None and own.type in _NEW_SERVER:
            continue
        spec = reverse_dns.to_spec(server.label, server.reverse_dns)
        recorded = registry.recorded_reverse_dns(live.id)
        if recorded != RecordedReverseDns(live.id, spec.ipv4, spec.ipv6, spec.ipv6_extra):
            kept.append((live.id, spec))
    return tuple(sorted(kept, key=lambda pair: pair[0]))


def managed_labels(desired: Desired) -> frozenset[str]:
    """Labels (and old labels of declared renames) of the present servers that manage reverse DNS."""
    return frozenset(
        name
        for s in desired.servers
        if s.state is Ensure.PRESENT and s.reverse_dns is not None
        for name in (s.label, s.renamed_from)
        if name
    )


def with_recorded_reverse_dns(live: Live, desired: Desired) -> tuple[Live, frozenset[str]]:
    """``live`` (read without per-server reads) with reverse-DNS records rebuilt from the registry.

    Returns:
        The live state to plan with, and the labels of active managed servers the registry has no record
        of (an apply before this version set their names, or one failed midway): the caller reads those.
    """
    wanted = managed_labels(desired)
    names = {o.id: o.name for o in live.registry.owned if o.kind == Kind.SERVER.value}
    records = []
    missing = set()
    for server in live.servers:
        if not server.ready:
            continue  # no addresses yet: a refreshing read would not list names either
        recorded = live.registry.recorded_reverse_dns(server.id)
        if recorded is None:
            if server.label in wanted or names.get(server.id) in wanted:
                missing.add(server.label)
            continue
        ipv4 = ((server.main_ip or "", recorded.ipv4),) if recorded.ipv4 else ()
        ipv6 = ((server.v6_main_ip, recorded.ipv6),) if recorded.ipv6 and server.v6_main_ip else ()
        records.append(LiveReverseDns(server.id, ipv4, (*ipv6, *recorded.ipv6_extra)))
    return replace(live, reverse_dns=tuple(records)), frozenset(missing)
