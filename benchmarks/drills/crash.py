"""The crash drill: ``vultr-state apply`` as a subprocess against an emulator on a real port, SIGKILLed at a
seeded point (the n-th API call it makes, either before the emulator processes that call or right after
it commits it), then rerun until a plan shows no changes, then audited like the fault drill.

Called by ``benchmarks/crash_drill.py`` and ``tests/drills/test_crash_drill.py``. The emulator lives in this
process (on a real clock with short provisioning) so it survives the kill; set-up and convergence checks
use an in-process client that bypasses the kill switch.
"""

from __future__ import annotations

import os
import random
import signal
import subprocess
import sys
import tempfile
import threading
import time
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from vultr_state.emulator import DEFAULT_API_KEY, Emulator, EmulatorConfig, EmulatorServer
from vultr_state.emulator.core.faults import DropConnection
from vultr_state.executor import apply
from vultr_state.manifest import load_manifest
from vultr_state.model.plan import Plan
from vultr_state.planner import PlanOptions, plan
from vultr_state.providers.base import read_live

from .audit import Findings, audit, snapshot_of
from .scenario import Scenario, build_scenario, mutate
from .world import make_provider, seed_foreign

RERUN_BOUND = 5
LOCK_HELD = "is running (lock held by"
PROVISION_SECONDS = 0.3
CLI_FLAGS = {
    "allow_destroy": "--allow-destroy",
    "allow_prune": "--allow-prune",
    "allow_replace": "--allow-replace",
    "allow_reinstall": "--allow-reinstall",
}


class KillSwitch:
    """WSGI middleware that SIGKILLs a process when its n-th API call arrives.

    ``before``: the call is not processed (the process dies with its request in flight); ``after``: the
    call is processed and committed, then the process is killed before it can read the answer.
    """

    def __init__(self, app: Any, api: str = "v1"):
        self.app = app
        self.prefix = f"/{api}/"
        self._lock = threading.Lock()
        self._pid: int | None = None
        self._target = 0
        self._after = False
        self.calls = 0
        self.fired = False

    def arm(self, pid: int, target: int, after: bool) -> None:
        """Kill ``pid`` at its ``target``-th API call (1-based)."""
        with self._lock:
            self._pid, self._target, self._after = pid, target, after
            self.calls, self.fired = 0, False

    def disarm(self) -> None:
        """Let every call through."""
        with self._lock:
            self._pid = None

    def __call__(self, environ: dict[str, Any], start_response: Any) -> Any:
        path = environ.get("PATH_INFO", "")
        if path.startswith(self.prefix):
            with self._lock:
                self.calls += 1
                fire = self._pid is not None and not self.fired and self.calls == self._target
                self.fired = self.fired or fire
                pid, after = self._pid, self._after
            if fire and pid is not None:
                if after:
                    list(self.app(environ, lambda *_a, **_k: None))
                os.kill(pid, signal.SIGKILL)
                raise DropConnection(path)
        return self.app(environ, start_response)


def cli_flags(options: PlanOptions) -> list[str]:
    """The ``apply`` permission flags granting ``options``."""
    return [flag for name, flag in CLI_FLAGS.items() if getattr(options, name)]


@dataclass
class KillReport:
    """One kill and its aftermath."""

    seed: int
    phase: str
    target: int
    after: bool
    killed: bool = False
    reruns: int = 0
    unlocked: int = 0  # reruns refused by the killed apply's lock, then rerun with --force-unlock
    converged: bool = False
    findings: Findings = field(default_factory=Findings)
    errors: list[str] = field(default_factory=list)
    seconds: float = 0.0

    def describe(self) -> str:
        """A multi-line account, for failure reports."""
        when = "after committing" if self.after else "before processing"
        lines = [
            f"seed {self.seed} ({self.phase}): killed at API call {self.target} {when}: killed={self.killed} "
            f"converged={self.converged} reruns={self.reruns}"
        ]
        lines += [f"  {error}" for error in self.errors]
        lines += [f"  {line}" for line in self.findings.lines()]
        return "\n".join(lines)


class CrashAccount:
    """An emulator on a real port behind a kill switch, plus the CLI pointed at it.

    Args:
        workdir: Where the manifest is written and the CLI runs.
        api_key: The key the emulator accepts and the CLI sends.
        api: The API the CLI and the in-process checks speak (``v1`` or ``v2``).
    """

    def __init__(self, workdir: Path, api_key: str = DEFAULT_API_KEY, api: str = "v1"):
        self.workdir = workdir
        self.api_key = api_key
        self.api = api
        self.emulator = Emulator(
            EmulatorConfig(
                api_keys=(api_key,),
                rate_limit=0,
                provision_seconds=PROVISION_SECONDS,
                snapshot_seconds=PROVISION_SECONDS,
            )
        )
        self.switch = KillSwitch(self.emulator, api)
        self.server = EmulatorServer(self.switch).start()  # type: ignore[arg-type]  (WSGI middleware)
        self.provider = make_provider(api, self.emulator, api_key=api_key)

    def close(self) -> None:
        """Stop the server and release the emulator."""
        self.server.stop()
        self.provider.close()
        self.emulator.close()

    def env(self) -> dict[str, str]:
        """The CLI's environment: the emulator's URL and key, no colour, nothing else of ours inherited."""
        env = {k: v for k, v in os.environ.items() if not k.startswith("VULTR_")}
        env.update(
            VULTR_API_URL=self.server.url,
            VULTR_API_KEY=self.api_key,
            VULTR_API_VERSION=self.api,
            NO_COLOR="1",
        )
        return env

    def command(self, options: PlanOptions) -> list[str]:
        """``vultr-state apply manifest.yaml --api API`` unattended, unthrottled, with permission flags."""
        return [
            sys.executable,
            "-m",
            "vultr_state",
            "apply",
            "manifest.yaml",
            "--api",
            self.api,
            "--auto-approve",
            "--rate-limit",
            "0",
            *cli_flags(options),
        ]

    def plan(self, scenario: Scenario, options: PlanOptions) -> Plan:
        """Plan in process (bypasses the kill switch)."""
        desired = load_manifest([str(scenario.write(self.workdir / "manifest.yaml"))], env={})
        return plan(desired, read_live(self.provider, desired), options, now=time.time())

    def converge_in_process(self, scenario: Scenario, options: PlanOptions) -> None:
        """Bring the account to ``scenario`` without killing anything (set-up of a mutation run)."""
        for _ in range(3):
            current = self.plan(scenario, options)
            if not current.has_changes:
                return
            apply(current, self.provider, poll_interval=(0.05, 0.1), lock_settle=0.0)
        raise RuntimeError("the set-up apply did not converge")

    def seed_foreign(self) -> None:
        """Objects someone else made; the drill must leave them alone."""
        seed_foreign(self.provider, self.api, script=False)

    def run_killed(self, options: PlanOptions, target: int, after: bool, timeout: float) -> tuple[bool, str]:
        """Start an apply, kill it at API call ``target``; return (killed, its stderr)."""
        process = subprocess.Popen(
            self.command(options),
            cwd=self.workdir,
            env=self.env(),
            stdin=subprocess.DEVNULL,
            stdout=subprocess.DEVNULL,
            stderr=subprocess.PIPE,
            text=True,
        )
        self.switch.arm(process.pid, target, after)
        try:
            _, stderr = process.communicate(timeout=timeout)
        finally:
            self.switch.disarm()
            if process.poll() is None:
                process.kill()
                process.wait()
        return process.returncode == -signal.SIGKILL, stderr

    def rerun(
        self, options: PlanOptions, timeout: float, *, force_unlock: bool = False
    ) -> subprocess.CompletedProcess[str]:
        """One unattended apply run to completion (``--force-unlock``: the killed apply's lock)."""
        return subprocess.run(
            self.command(options) + (["--force-unlock"] if force_unlock else []),
            cwd=self.workdir,
            env=self.env(),
            stdin=subprocess.DEVNULL,
            capture_output=True,
            text=True,
            timeout=timeout,
        )


def run_crash_drill(seed: int, *, servers: int = 12, timeout: float = 120.0, api: str = "v1") -> KillReport:
    """One kill: a seeded large manifest, applied from empty (or mutated after a clean apply), killed at a
    seeded API call, rerun until converged, audited.

    Args:
        seed: Drives the manifest, the phase, the kill point and its mode.
        servers: Servers in the manifest (each with keys, most with a script and reverse DNS).
        timeout: Seconds any one CLI run may take.
        api: The API the drill speaks.
    """
    rng = random.Random(f"crash-{seed}")
    started = time.perf_counter()
    scenario = build_scenario(seed, servers=servers, project="crash")
    options = PlanOptions()
    phase = "create" if rng.random() < 0.65 else "mutate"
    with tempfile.TemporaryDirectory(prefix="crash-drill-") as tmp:
        account = CrashAccount(Path(tmp), api=api)
        try:
            account.seed_foreign()
            foreign = snapshot_of(account.emulator, api)
            if phase == "mutate":
                account.converge_in_process(scenario, options)
                mutation = mutate(scenario, seed)
                scenario, options = mutation.scenario, mutation.options
            estimate = 10 + 2 * len(account.plan(scenario, options).actions)
            report = KillReport(seed, phase, rng.randint(1, estimate), rng.random() < 0.5)
            report.killed, stderr = account.run_killed(options, report.target, report.after, timeout)
            if not report.killed and stderr.strip():
                report.errors.append(f"unkilled run: {stderr.strip().splitlines()[-1]}")
            force = False
            for _ in range(RERUN_BOUND):
                current = account.plan(scenario, options)
                if not current.has_changes and not current.refusals:
                    report.converged = True
                    break
                report.reruns += 1
                try:
                    result = account.rerun(options, timeout, force_unlock=force)
                except subprocess.TimeoutExpired:
                    report.errors.append(f"rerun {report.reruns} did not finish within {timeout:.0f} s")
                    continue
                force = False
                if result.returncode != 0 and LOCK_HELD in result.stderr:
                    # The killed apply's lock holds until it expires (no guess from host or pid): the
                    # user who killed it takes it over, as the message says.
                    force, report.unlocked = True, report.unlocked + 1
                    report.reruns -= 1
                elif result.returncode != 0:
                    report.errors.append(
                        f"rerun {report.reruns} exit {result.returncode}: {result.stderr.strip()}"
                    )
            report.findings = audit(account.emulator, scenario, foreign, api)
        finally:
            account.close()
    report.seconds = time.perf_counter() - started
    return report
