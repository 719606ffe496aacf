"""``apply(plan, provider)``: carry out a plan against the account and record the result in the registry.

Called by the ``apply`` and ``destroy`` commands (``cli/apply.py``), the tests and the benchmarks. It is
the executor's composition: the one module of it that sees the whole ``Provider`` (its ``operations`` go
to the steps and the waiter, its ``blobs`` to the registry store). It wires the pieces together: refuse a
plan with refusals; list each kind it creates once (the same-identity objects already there are never
taken for a lost create); take the registry lock and record pending creates
(``vultr_state.registry.store``), renewing the lock while the apply runs (``lease``);
run the actions in dependency order with bounded parallelism (``scheduler`` + ``steps``), waiting for
servers and snapshots through one shared poller (``waiter``); check the lock is still ours, then write the
owned ids and release it (a lost lock writes nothing and fails loudly);
report progress and a summary (``progress``). A failure stops new work and ends in ``ApplyError``; Ctrl-C
ends in ``ApplyInterrupted`` (a ``KeyboardInterrupt``, so the CLI exits 130); both carry the
``ApplyResult`` and both leave the registry written.
"""

from __future__ import annotations

import logging
import time
from collections.abc import Callable
from functools import partial

from vultr_state.errors import ApplyError, LockError, UnsafePlanError, VultrStateError
from vultr_state.executor.context import ApplyContext, Timing
from vultr_state.executor.defaults import DEFAULT_PARALLELISM, DEFAULT_WAIT_TIMEOUT
from vultr_state.executor.lease import LockLease
from vultr_state.executor.ownership import intent_pending, result_registry
from vultr_state.executor.result import ApplyResult
from vultr_state.executor.scheduler import ProgressSink, Scheduler
from vultr_state.executor.steps import run_step
from vultr_state.executor.waiter import Waiter
from vultr_state.model.plan import Plan
from vultr_state.providers.base import Provider
from vultr_state.registry.store import DEFAULT_LOCK_TTL, DEFAULT_SETTLE, RegistryStore, make_holder

log = logging.getLogger(__name__)


class ApplyInterrupted(KeyboardInterrupt):
    """Ctrl-C stopped the apply; ``result`` says what was done, failed and not started."""

    def __init__(self, result: ApplyResult):
        super().__init__(result.summary())
        self.result = result


def refusal_message(plan: Plan, done: str = "applied") -> str:
    """One sentence saying why a plan with refusals is not carried out (``done``: ``applied``,
    ``destroyed``), listing each refusal."""
    lines = [f"the plan has {len(plan.refusals)} refused change(s); nothing was {done}:"]
    for refusal in plan.refusals:
        flag = f"--{refusal.needs.value}" if refusal.needs else ""
        needs = f" (needs {flag})" if flag and flag not in refusal.message else ""
        lines.append(f"  {refusal.action_key}: {refusal.message}{needs}")
    return "\n".join(lines)


def apply(
    plan: Plan,
    provider: Provider,
    *,
    parallelism: int = DEFAULT_PARALLELISM,
    wait_timeout: float = DEFAULT_WAIT_TIMEOUT,
    progress: ProgressSink | None = None,
    clock: Callable[[], float] = time.time,
    sleep: Callable[[float], None] = time.sleep,
    poll_interval: tuple[float, float] = (2.0, 5.0),
    force_unlock: bool = False,
    lock_ttl: float = DEFAULT_LOCK_TTL,
    lock_settle: float = DEFAULT_SETTLE,
) -> ApplyResult:
    """Carry out ``plan`` through ``provider``.

    Args:
        plan: A plan from ``vultr_state.planner.plan`` (it must have no refusals).
        provider: The account's provider; every call goes through its shared rate limiter.
        parallelism: Most actions calling the API at once (waiting servers do not count).
        wait_timeout: Seconds a server or snapshot may take to become ready.
        progress: Receives a line per action start and finish and the summary (silent when None).
        clock: Wall clock in epoch seconds (elapsed times, lock expiry, wait deadlines).
        sleep: Sleep function (poll pauses, lock settle time).
        poll_interval: Shortest and longest pause between two polling rounds of the waiter.
        force_unlock: Take the registry lock even if another apply holds it.
        lock_ttl: Seconds after which our lock expires if this process dies (renewed every third of it
            while the apply runs).
        lock_settle: Seconds between writing the lock and reading it back.

    Returns:
        The result; every action done.

    Raises:
        UnsafePlanError: the plan has refusals; nothing was executed.
        LockError: another apply of the project holds the registry lock; nothing was executed.
        ApplyError: an action failed; ``.result`` lists done / failed / not started.
        ApplyInterrupted: Ctrl-C; ``.result`` likewise.
    """
    if plan.refusals:
        raise UnsafePlanError(refusal_message(plan))
    sink = progress or ProgressSink()
    started = clock()
    if not plan.actions and not plan.kept_reverse_dns:  # (reverse DNS to record: a registry write)
        result = ApplyResult()
        sink.summary(result)
        return result

    timing = Timing(clock=clock, sleep=sleep, wait_timeout=wait_timeout)
    leases: list[LockLease] = []  # set once the lock is taken; the waiter's pauses renew it too

    def waiting_sleep(seconds: float) -> None:
        sleep(seconds)
        for lease in leases:
            lease.tick()

    ops = provider.operations
    waiter = Waiter(
        {
            "server": lambda: {s.id: s for s in ops.list_servers()},
            "snapshot": lambda: {s.id: s for s in ops.list_snapshots()},
        },
        timeout=wait_timeout,
        clock=clock,
        sleep=waiting_sleep,
        min_interval=poll_interval[0],
        max_interval=poll_interval[1],
    )
    ctx = ApplyContext(
        ops, waiter, timing, project=plan.project, owner_tags=provider.capabilities.owner_tagged_servers
    )
    store = RegistryStore(
        provider.blobs,
        plan.project,
        make_holder(),
        clock=clock,
        sleep=sleep,
        lock_ttl=lock_ttl,
        settle=lock_settle,
        api=provider.capabilities.api,
    )
    known = ctx.look_before_creating(plan.actions)
    base = store.acquire(
        intent_pending(plan.actions, clock(), known),
        expected_digest=plan.registry_digest,
        force_unlock=force_unlock,
    )
    lease = LockLease(store, clock, lock_ttl)
    leases.append(lease)
    ctx.set_owned({kind: base.owned_ids(kind) for kind in {o.kind for o in base.owned}})
    ctx.seed(plan.actions)

    scheduler = Scheduler(
        plan.actions,
        partial(run_step, ctx),
        parallelism=parallelism,
        clock=clock,
        progress=sink,
        on_interrupt=waiter.close,
        on_tick=lease.tick,
    )
    try:
        results = scheduler.run()
    finally:
        waiter.close()

    written, registry_error = True, None
    try:
        store.release(
            result_registry(
                base, results, ctx.unresolved, plan.forget, clock(), kept_reverse_dns=plan.kept_reverse_dns
            )
        )
    except VultrStateError as exc:
        written, registry_error = False, exc
        log.error("apply: the registry could not be written: %s", exc)
    result = ApplyResult(results, clock() - started, scheduler.interrupted, written)
    sink.summary(result)
    if scheduler.interrupted:
        raise ApplyInterrupted(result)
    if isinstance(registry_error, LockError):
        raise ApplyError(
            f"{registry_error}: the registry was NOT written and this apply stopped. What it did: "
            f"{result.summary()} Done: {', '.join(r.action.key for r in result.done) or 'nothing'}. "
            "The other apply's registry stands; run plan again once it has finished (what this apply "
            "created matches the manifest by identity and is adopted).",
            result,
        )
    if registry_error is not None:
        raise ApplyError(
            f"the ownership registry could not be written ({registry_error}); the next plan adopts what "
            "this apply created",
            result,
        )
    if not result.ok:
        raise ApplyError(
            f"apply stopped: {len(result.failed)} action(s) failed, {len(result.not_started)} not started "
            "(rerun plan and apply to converge)",
            result,
        )
    return result
