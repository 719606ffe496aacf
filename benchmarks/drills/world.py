"""An emulated account for a drill, on either API: the emulator on a manual clock, a provider (v1 or v2)
on its in-process adapter, foreign objects that exist before the drill, and the plan → apply loop run
until convergence.

Used by ``drills.fault`` (every run) and ``drills.crash`` (to set up and to check with plans that are not
killed). Time is a ``ManualClock`` shared by the emulator, the client's retry sleeps and the executor's
waits, so provisioning, backoff and latency cost no real time.
"""

from __future__ import annotations

import random
import traceback
from dataclasses import dataclass, field
from pathlib import Path

import requests

from vultr_state.emulator import (
    DEFAULT_API_KEY,
    Emulator,
    EmulatorAdapter,
    EmulatorConfig,
    FaultConfig,
    ManualClock,
)
from vultr_state.errors import LockError, VultrStateError
from vultr_state.executor import apply
from vultr_state.http.settings import ClientSettings
from vultr_state.manifest import load_manifest
from vultr_state.model.plan import Plan
from vultr_state.model.server import BootSource, ServerCreate
from vultr_state.planner import PlanOptions, plan
from vultr_state.planner.pending import OUTCOME_UNKNOWN
from vultr_state.providers.base import Provider, read_live
from vultr_state.providers.v1 import V1Provider
from vultr_state.providers.v1.client import VultrClient
from vultr_state.providers.v2.provider import V2Provider

from .scenario import Scenario, public_key, script_body

BASE_URL = "https://api.vultr.com"
NJ, PLAN_1GB, UBUNTU = 1, 201, 1743
# The same catalog entries per API: (region, plan, OS) ids.
FOREIGN_SERVER = {"v1": ("1", "201", "1743"), "v2": ("ewr", "vc2-1c-1gb", "1743")}
HOLD_PAUSE = 60.0  # what a held plan asks for: "rerun after a minute"
MAX_PLAN_FAILURES = 30  # plans whose read failed under faults (they change nothing; the user reruns)
MAX_HOLDS = 12  # per round: more than the pending-create window holds a plan for (10 minutes)


class DrillError(Exception):
    """The drill itself is wrong (e.g. a mutation needs a flag it was not given), not the product."""


@dataclass
class Attempt:
    """One round of plan (+ apply): what went wrong, if anything."""

    actions: int = 0
    error: str | None = None
    unexpected: bool = False


@dataclass
class PhaseResult:
    """How one convergence went: the rounds it took and whether it got there."""

    converged: bool = False
    attempts: list[Attempt] = field(default_factory=list)
    locks_taken_over: int = 0
    holds: int = 0  # plans held back by a create of unknown outcome (each followed by a minute's wait)

    @property
    def applies(self) -> list[Attempt]:
        """The rounds that got as far as an apply (a plan whose read failed changed nothing)."""
        return [a for a in self.attempts if a.actions]

    @property
    def reruns(self) -> int:
        """Rounds of plan + apply after the first one that were needed to converge."""
        return max(0, len(self.applies) - 1)

    @property
    def unexpected(self) -> list[str]:
        """Errors outside vultr-state's own error tree (bugs)."""
        return [a.error or "" for a in self.attempts if a.unexpected]


def make_provider(
    api: str,
    app: object,
    clock: ManualClock | None = None,
    api_key: str = DEFAULT_API_KEY,
    seed: int | None = None,
) -> Provider:
    """A ``api`` provider with no rate limit that reaches ``app`` in process (see ``make_client``)."""
    if api == "v1":
        return V1Provider(make_client(app, clock, api_key, seed))
    session = requests.Session()
    session.mount(BASE_URL + "/", EmulatorAdapter(app))
    settings = ClientSettings(api_key=api_key, api_url=BASE_URL, rate_limit=0.0)
    sleep = clock.advance if clock is not None else (lambda _s: None)
    rng = None if seed is None else random.Random(seed)
    return V2Provider(settings, session=session, sleep=sleep, clock=clock or ManualClock(), rng=rng)


def make_client(
    app: object, clock: ManualClock | None = None, api_key: str = DEFAULT_API_KEY, seed: int | None = None
) -> VultrClient:
    """A client with no rate limit that reaches ``app`` in process; its sleeps advance ``clock``; ``seed``
    makes its backoff jitter reproducible."""
    session = requests.Session()
    session.mount(BASE_URL + "/", EmulatorAdapter(app))
    settings = ClientSettings(api_key=api_key, api_url=BASE_URL, rate_limit=0.0)
    sleep = clock.advance if clock is not None else (lambda _s: None)
    rng = None if seed is None else random.Random(seed)
    return VultrClient(settings, session=session, sleep=sleep, rng=rng)


@dataclass
class World:
    """One drill's account."""

    emulator: Emulator
    provider: Provider
    clock: ManualClock
    workdir: Path
    parallelism: int = 4
    api: str = "v1"

    @property
    def client(self) -> VultrClient:
        """The v1 client under the provider (v1 worlds only: tests act on the account with it)."""
        assert isinstance(self.provider, V1Provider), "a v1 world"
        return self.provider.client

    def manifest(self, scenario: Scenario) -> Path:
        """Write ``scenario`` as the drill's manifest file."""
        return scenario.write(self.workdir / "manifest.yaml")

    def plan(self, scenario: Scenario, options: PlanOptions) -> Plan:
        """Load the manifest, read the account and plan (through the API: faults apply)."""
        desired = load_manifest([str(self.manifest(scenario))], env={})
        return plan(desired, read_live(self.provider, desired), options, now=self.clock())

    def apply(self, current: Plan, *, force_unlock: bool = False) -> None:
        """Apply with the manual clock: waits, backoff and the lock settle time cost no real time."""
        apply(
            current,
            self.provider,
            parallelism=self.parallelism,
            clock=self.clock,
            sleep=self.clock.advance,
            lock_settle=1.0,
            force_unlock=force_unlock,
        )

    def converge(self, scenario: Scenario, options: PlanOptions, bound: int) -> PhaseResult:
        """Plan and apply until a plan shows no changes, at most ``bound`` + 1 rounds.

        A plan held back by a create of unknown outcome is rerun a minute later (on the manual clock), as
        its message asks; such holds are counted in ``holds``, not as rounds. A plan whose read failed
        (faults beyond the client's retries) is rerun too; it changed nothing, so it is no round either.

        A lock left by an earlier round (its acquire failed after writing the lock) is taken over with
        ``force_unlock``, as a user who knows no other apply runs would.
        """
        result = PhaseResult()
        force_unlock = False
        while (
            result.holds <= MAX_HOLDS * (bound + 1)
            and len(result.applies) <= bound + 1
            and len(result.attempts) - len(result.applies) <= MAX_PLAN_FAILURES
        ):
            try:
                current = self.plan(scenario, options)
            except VultrStateError as exc:
                result.attempts.append(Attempt(error=f"plan: {exc}"))
                continue
            except Exception:
                result.attempts.append(Attempt(error=traceback.format_exc(), unexpected=True))
                continue
            if current.refusals and all(OUTCOME_UNKNOWN in r.message for r in current.refusals):
                # A create whose answer was lost and whose object does not show yet: do what the
                # message says (rerun after a minute).
                result.holds += 1
                self.clock.advance(HOLD_PAUSE)
                continue
            if current.refusals:
                raise DrillError(f"the drill's plan has refusals: {current.refusals}")
            if not current.has_changes:
                result.converged = True
                return result
            if len(result.applies) > bound:
                return result
            attempt = Attempt(actions=len(current.actions))
            result.attempts.append(attempt)
            try:
                self.apply(current, force_unlock=force_unlock)
                force_unlock = False
            except LockError as exc:
                attempt.error = f"apply: {exc}"
                # Only this drill applies to the account, so a held lock is one a failed round left
                # (its intent write went through, its answer was lost): take it over as a user who knows
                # would, with --force-unlock.
                force_unlock = "is running (lock held by" in str(exc)
                result.locks_taken_over += int(force_unlock)
            except (VultrStateError, KeyboardInterrupt) as exc:
                attempt.error = f"apply: {exc}"
            except Exception:
                attempt.error, attempt.unexpected = traceback.format_exc(), True
        return result

    def calls(self) -> int:
        """API calls the emulator has processed or faulted so far (rate-limit refusals excluded)."""
        return sum(self.emulator.call_counts.values())

    def quiet(self) -> None:
        """Turn fault injection off (for the final, clean check)."""
        self.emulator.faults = FaultConfig()

    def seed_foreign(self) -> None:
        """Objects someone else made before the drill; the drill must leave them alone."""
        seed_foreign(self.provider, self.api)


def seed_foreign(provider: Provider, api: str, *, script: bool = True) -> None:
    """Objects someone else made (a key, a script, a server), through a provider that never read the
    account (so the v2 server carries no owner tag)."""
    ops = provider.operations
    ops.create_ssh_key("ops-laptop", public_key(-1, 0))
    if script:
        ops.create_startup_script("legacy-init", script_body(-1, 0), "boot")
    region, plan_id, os_id = FOREIGN_SERVER[api]
    ops.create_server(ServerCreate("legacy-box", region, plan_id, BootSource.os(os_id)))


def make_world(
    workdir: Path, *, seed: int = 0, provision_seconds: float = 20.0, parallelism: int = 4, api: str = "v1"
) -> World:
    """A fresh account with fault injection off (set ``world.emulator.faults`` to start them)."""
    clock = ManualClock()
    emulator = Emulator(
        EmulatorConfig(
            rate_limit=0,
            provision_seconds=provision_seconds,
            snapshot_seconds=provision_seconds / 2,
            clock=clock,
            sleep=clock.advance,
            seed=seed,
        )
    )
    provider = make_provider(api, emulator, clock, seed=seed)
    return World(emulator, provider, clock, workdir, parallelism, api)
