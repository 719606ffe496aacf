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
from vultr_state.providers.v1 import V1Provider

from .audit import Findings, audit, snapshot_of
from .scenario import Scenario, build_scenario, mutate
from .world import NJ, PLAN_1GB, UBUNTU, make_client

RERUN_BOUND = 5
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

    def __init__(self, app: Any):
        self.app = app
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
        if path.startswith("/v1/"):
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
    """

    def __init__(self, workdir: Path, api_key: str = DEFAULT_API_KEY):
        self.workdir = workdir
        self.api_key = api_key
        self.emulator = Emulator(
            EmulatorConfig(
                api_keys=(api_key,),
                rate_limit=0,
                provision_seconds=PROVISION_SECONDS,
                snapshot_seconds=PROVISION_SECONDS,
            )
        )
        self.switch = KillSwitch(self.emulator)
        self.server = EmulatorServer(self.switch).start()  # type: ignore[arg-type]  (WSGI middleware)
        self.client = make_client(self.emulator, api_key=api_key)

    def close(self) -> None:
        """Stop the server and release the emulator."""
        self.server.stop()
        self.client.close()
        self.emulator.close()

    def env(self) -> dict[str, str]:
        """The CLI's environment: the emulator's URL and key, no colour, nothing else of ours inherited."""
        env = {k: v for k, v in os.environ.items() if not k.startswith("VULTR_")}
        env.update(VULTR_API_URL=self.server.url, VULTR_API_KEY=self.api_key, NO_COLOR="1")
        return env

    def command(self, options: PlanOptions) -> list[str]:
        """``vultr-state apply manifest.yaml --api v1`` unattended, unthrottled, with the permission flags."""
        return [
            sys.executable,
            "-m",
            "vultr_state",
            "apply",
            "manifest.yaml",
            "--api",
            "v1",
            "--auto-approve",
            "--rate-limit",
            "0",
            *cli_flags(options),
        ]

    def plan(self, scenario: Scenario, options: PlanOptions) -> Plan:
        """Plan in process (bypasses the kill switch)."""
        desired = load_manifest([str(scenario.write(self.workdir / "manifest.yaml"))], env={})
        return plan(desired, read_live(V1Provider(self.client), desired), options, now=time.time())

    def converge_in_process(self, scenario: Scenario, options: PlanOptions) -> None:
        """Bring the account to ``scenario`` without killing anything (set-up of a mutation run)."""
        for _ in range(3):
            current = self.plan(scenario, options)
            if not current.has_changes:
                return
            apply(current, V1Provider(self.client), poll_interval=(0.05, 0.1), lock_settle=0.0)
        raise RuntimeError("the set-up apply did not converge")

    def seed_foreign(self) -> None:
        """Objects someone else made; the drill must leave them alone."""
        self.client.sshkey_create("ops-laptop", build_scenario(-1).keys[0].body)
        self.client.server_create(NJ, PLAN_1GB, UBUNTU, label="legacy-box")

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

    def rerun(self, options: PlanOptions, timeout: float) -> subprocess.CompletedProcess[str]:
        """One unattended apply run to completion."""
        return subprocess.run(
            self.command(options),
            cwd=self.workdir,
            env=self.env(),
            stdin=subprocess.DEVNULL,
            capture_output=True,
            text=True,
            timeout=timeout,
        )


def run_crash_drill(seed: int, *, servers: int = 12, timeout: float = 120.0) -> KillReport:
    """One kill: a seeded large manifest, applied from empty (or mutated after a clean apply), killed at a
    seeded API call, rerun until converged, audited.

    Args:
        seed: Drives the manifest, the phase, the kill point and its mode.
        servers: Servers in the manifest (each with keys, most with a script and reverse DNS).
        timeout: Seconds any one CLI run may take.
    """
    rng = random.Random(f"crash-{seed}")
    started = time.perf_counter()
    scenario = build_scenario(seed, servers=servers, project="crash")
    options = PlanOptions()
    phase = "create" if rng.random() < 0.65 else "mutate"
    with tempfile.TemporaryDirectory(prefix="crash-drill-") as tmp:
        account = CrashAccount(Path(tmp))
        try:
            account.seed_foreign()
            foreign = snapshot_of(account.emulator)
            if phase == "mutate":
                account.converge_in_process(scenario, options)
                mutation = mutate(scenario, seed)
                scenario, options = mutation.scenario, mutation.options
            estimate = 10 + 2 * len(account.plan(scenario, options).actions)
            report = KillReport(seed, phase, rng.randint(1, estimate), rng.random() < 0.5)
            report.killed, stderr = account.run_killed(options, report.target, report.after, timeout)
            if not report.killed and stderr.strip():
                report.errors.append(f"unkilled run: {stderr.strip().splitlines()[-1]}")
            for _ in range(RERUN_BOUND):
                if not account.plan(scenario, options).has_changes:
                    report.converged = True
                    break
                report.reruns += 1
                result = account.rerun(options, timeout)
                if result.returncode != 0:
                    report.errors.append(
                        f"rerun {report.reruns} exit {result.returncode}: {result.stderr.strip()}"
                    )
            report.findings = audit(account.emulator, scenario, foreign)
        finally:
            account.close()
    report.seconds = time.perf_counter() - started
    return report
