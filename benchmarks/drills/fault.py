"""The fault drill: create a seeded manifest under seeded faults, converge, mutate it, converge again,
then audit the account. One run per seed; ``summarize`` turns runs into the figures the script prints.

Called by ``benchmarks/fault_drill.py`` (200 seeds) and ``tests/drills`` (a few seeds). Each run uses a
fresh in-process emulator on a manual clock (see ``drills.world``), so a run costs a fraction of a second.
"""

from __future__ import annotations

import random
import tempfile
import time
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path

from vultr_state.emulator import FaultConfig
from vultr_state.emulator.core.faults import FaultInjector, Outcome
from vultr_state.planner import PlanOptions

from .audit import Findings, audit, snapshot_of
from .scenario import build_scenario, mutate
from .world import PhaseResult, make_world

RERUN_BOUND = 10  # rounds after the first before a phase counts as not converged (each lost create
# whose object is late stops its apply: the next round adopts it)


# Objects made by a lost-answer create stay invisible for a seeded time in this range (manual-clock
# seconds): far longer than the executor's one listing after the lost answer, shorter than the
# pending-create window (10 minutes) after which a plan creates again.
HIDE_SECONDS = (30.0, 480.0)


def fault_profile(seed: int) -> FaultConfig:
    """Seeded fault rates: every kind of fault is on in every run, at a rate drawn from a range; objects
    of lost-answer creates (every kind, registry parts included) show only after a seeded delay."""
    rng = random.Random(f"faults-{seed}")
    return FaultConfig(
        seed=seed,
        latency_ms=rng.uniform(0, 200),
        latency_jitter_ms=rng.uniform(0, 400),
        error_500_rate=rng.uniform(0.02, 0.08),
        burst_503_every=rng.randint(12, 40),
        burst_503_length=rng.randint(1, 4),
        commit_drop_rate=rng.uniform(0.02, 0.06),
        drop_rate=rng.uniform(0.01, 0.05),
        hide_lost_creates_seconds=rng.uniform(*HIDE_SECONDS),
    )


def count_faults(config: FaultConfig, calls: int) -> Counter[str]:
    """The faults the emulator injected into its first ``calls`` API calls under ``config`` (replayed: the
    fault stream depends only on the seed and the call's position)."""
    injector = FaultInjector(config)
    outcomes = (injector.decide().outcome for _ in range(calls))
    return Counter(outcome.value for outcome in outcomes if outcome is not Outcome.NONE)


@dataclass
class RunReport:
    """The outcome of one seeded run."""

    seed: int
    phases: list[PhaseResult] = field(default_factory=list)
    findings: Findings = field(default_factory=Findings)
    clean_plan_changes: int = 0
    changes: tuple[str, ...] = ()
    faults: Counter[str] = field(default_factory=Counter)
    seconds: float = 0.0

    @property
    def converged(self) -> bool:
        """Every phase converged and a fault-free plan afterwards shows no changes."""
        return all(p.converged for p in self.phases) and self.clean_plan_changes == 0

    @property
    def max_reruns(self) -> int:
        """The most reruns any phase needed."""
        return max((p.reruns for p in self.phases), default=0)

    @property
    def unexpected(self) -> list[str]:
        """Errors outside vultr-state's error tree (bugs), from every phase."""
        return [error for p in self.phases for error in p.unexpected]

    def describe(self) -> str:
        """A multi-line account of the run, for failure reports."""
        lines = [f"seed {self.seed}: converged={self.converged} max_reruns={self.max_reruns}"]
        lines += [f"  mutation: {change}" for change in self.changes]
        for number, phase in enumerate(self.phases, 1):
            for attempt in phase.attempts:
                lines.append(f"  phase {number}: {attempt.actions} action(s); {attempt.error or 'ok'}")
        lines += [f"  {line}" for line in self.findings.lines()]
        return "\n".join(lines)


def run_fault_drill(
    seed: int, *, parallelism: int = 4, workdir: Path | None = None, api: str = "v1"
) -> RunReport:
    """One seeded run: create under faults, converge, mutate under faults, converge, audit.

    Args:
        seed: Drives the manifest, its mutation, the fault rates and the fault stream.
        parallelism: The executor's parallelism.
        workdir: Where the manifest file is written (a temporary directory when None).
        api: The API the drill speaks (``v1`` or ``v2``).
    """
    started = time.perf_counter()
    with tempfile.TemporaryDirectory(prefix="fault-drill-") as tmp:
        world = make_world(Path(workdir or tmp), seed=seed, parallelism=parallelism, api=api)
        try:
            world.seed_foreign()
            foreign = snapshot_of(world.emulator, api)
            scenario = build_scenario(seed)
            report = RunReport(seed)
            mutation = mutate(scenario, seed)
            report.changes = mutation.changes
            phases = (
                (scenario, PlanOptions(), seed),
                (mutation.scenario, mutation.options, seed + 1_000_003),
            )
            for wanted, options, fault_seed in phases:
                world.emulator.faults = profile = fault_profile(fault_seed)
                calls_before = world.calls()
                report.phases.append(world.converge(wanted, options, RERUN_BOUND))
                report.faults += count_faults(profile, world.calls() - calls_before)
            world.quiet()
            world.clock.advance(HIDE_SECONDS[1])  # whatever a lost create made shows by now
            report.clean_plan_changes = len(world.plan(mutation.scenario, mutation.options).actions)
            report.findings = audit(world.emulator, mutation.scenario, foreign, api)
        finally:
            world.provider.close()
            world.emulator.close()
    report.seconds = time.perf_counter() - started
    return report


@dataclass(frozen=True, slots=True)
class Summary:
    """The figures over many runs."""

    runs: int
    converged: int
    duplicates: int
    orphans: int
    leftovers: int
    max_reruns: int
    problems: int
    unexpected: int
    faults: Counter[str]
    seconds: float

    def line(self) -> str:
        """``runs R, converged C, duplicates D, orphans O, max reruns M`` plus the other counts."""
        return (
            f"runs {self.runs}, converged {self.converged}, duplicates {self.duplicates}, "
            f"orphans {self.orphans}, max reruns {self.max_reruns} "
            f"(other findings {self.problems}, unexpected errors {self.unexpected}, lost registry intents "
            f"read past {self.leftovers}; "
            f"wall {self.seconds:.1f} s)"
        )

    def fault_line(self) -> str:
        """How many faults of each kind were injected over all runs."""
        return "faults injected: " + ", ".join(f"{kind} {n}" for kind, n in sorted(self.faults.items()))


def summarize(reports: list[RunReport], seconds: float) -> Summary:
    """Add up the runs."""
    return Summary(
        runs=len(reports),
        converged=sum(r.converged for r in reports),
        duplicates=sum(len(r.findings.duplicates) for r in reports),
        leftovers=sum(len(r.findings.leftovers) for r in reports),
        orphans=sum(len(r.findings.orphans) for r in reports),
        max_reruns=max((r.max_reruns for r in reports), default=0),
        problems=sum(
            len(r.findings.missing + r.findings.unowned + r.findings.dangling + r.findings.registry)
            + len(r.findings.foreign)
            for r in reports
        ),
        unexpected=sum(len(r.unexpected) for r in reports),
        faults=sum((r.faults for r in reports), Counter()),
        seconds=seconds,
    )
