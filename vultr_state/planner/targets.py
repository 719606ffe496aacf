"""Targeted plans (``--target KIND.NAME``, repeatable): only those entries and what they depend on.

Called by ``planner.core`` when ``PlanOptions.targets`` is set, after every action is built and
ordered. A target names a manifest entry or an owned object by kind and identity (``server.web-1``,
``ssh_key.deploy``, ``startup_script.bootstrap``, ``snapshot.golden``; a server's target takes its
reverse DNS and adoption with it, ``reverse_dns.web-1`` the names alone). The plan keeps the targeted
actions and, transitively, every action they depend on (the key a new server needs, the source server of
a snapshot to take...); refusals are kept for what is kept. A target that names nothing is an error with
a near name.
"""

from __future__ import annotations

import difflib
from collections.abc import Iterable, Sequence

from vultr_state.errors import PlanError
from vultr_state.model.plan import Action, Kind, Refusal
from vultr_state.planner.collect import ADOPT_SUFFIX

KINDS = tuple(kind.value for kind in Kind)


def parse_target(text: str) -> tuple[Kind, str]:
    """``KIND.NAME`` → (kind, name); names may hold dots (the kind has none).

    Raises:
        PlanError: no kind, an unknown kind, or no name.
    """
    kind, dot, name = text.strip().partition(".")
    if not dot or not name or kind not in KINDS:
        raise PlanError(
            f"--target {text!r}: expected KIND.NAME with KIND one of {', '.join(KINDS)} "
            "(for example server.web-1)"
        )
    return Kind(kind), name


def select(
    actions: Sequence[Action],
    refusals: Sequence[Refusal],
    targets: Iterable[str],
    known: Iterable[str],
) -> tuple[tuple[Action, ...], tuple[Refusal, ...]]:
    """The targeted actions with their dependencies (in plan order), and the refusals that concern them.

    Args:
        actions: Every action of the plan, ordered.
        refusals: Every refusal of the plan.
        targets: ``KIND.NAME`` texts.
        known: ``kind:name`` of every manifest entry and owned object (what a target may name).

    Raises:
        PlanError: a target names nothing (with a near name when there is one).
    """
    known_keys = set(known) | {a.key.split("#", 1)[0] for a in actions}
    wanted: set[str] = set()
    problems = []
    for text in targets:
        kind, name = parse_target(text)
        key = f"{kind.value}:{name}"
        if key not in known_keys:
            near = difflib.get_close_matches(key, sorted(known_keys), n=1, cutoff=0.6)
            hint = f" (did you mean {near[0].replace(':', '.', 1)}?)" if near else ""
            problems.append(f"--target {text}: no manifest entry or owned object is called that{hint}")
            continue
        wanted.add(key)
        if kind is Kind.SERVER:
            wanted.add(f"{Kind.REVERSE_DNS.value}:{name}")
    if problems:
        raise PlanError("cannot plan: " + "; ".join(problems))
    by_key = {a.key: a for a in actions}
    keep = {
        a.key
        for a in actions
        if a.key.split("#", 1)[0] in wanted or a.key.removesuffix(ADOPT_SUFFIX) in wanted
    }
    stack = list(keep)
    while stack:
        for dep in by_key[stack.pop()].depends_on:
            if dep in by_key and dep not in keep:
                keep.add(dep)
                stack.append(dep)
    kept_refusals = tuple(
        r for r in refusals if r.action_key in keep or r.action_key.split("#", 1)[0] in wanted
    )
    return tuple(a for a in actions if a.key in keep), kept_refusals
