"""Two applies of one project at once, in process (two threads, two clients) and as two CLI processes.

What protects the account (``vultr_state.registry.store``): the project's registry script carries an
advisory lock. An apply re-reads the registry, refuses with ``LockError`` when another apply holds an
unexpired lock, writes its own lock together with its pending creates, waits ``lock_settle`` seconds and
reads the registry again; v1 has no compare-and-swap, so the last writer wins and the loser sees it on
that re-read and refuses. When the registry does not exist yet, both applies create a registry script;
the lowest script id wins, the loser deletes its own and refuses. A refused apply changes nothing, and
its message says another apply of the project is running (or took the lock at the same moment).

Limits, shown by the tests below:

* The lock covers apply only, not the time between reading the account and applying. A plan made before
  another apply ran is caught when it is applied: every plan carries a digest of the registry it was made
  against, and the executor compares it with the registry it finds when it takes the lock, refusing with
  ``StalePlanError`` (nothing written) when another apply changed it in between
  (``test_a_plan_made_before_another_apply_...``).
* An apply slower than ``lock_settle`` between its read and its write can still interleave with another.
* A lock left by a crashed apply blocks other hosts for its TTL (an hour) unless ``--force-unlock``; on
  the same host it is taken over at once when the holder's process is gone.
"""

from __future__ import annotations

import subprocess
import threading
from collections import Counter

import pytest

from benchmarks.drills.audit import audit
from benchmarks.drills.crash import CrashAccount
from benchmarks.drills.scenario import build_scenario
from benchmarks.drills.world import make_client
from vultr_state.emulator import Emulator, EmulatorConfig
from vultr_state.errors import LockError, StalePlanError
from vultr_state.executor import apply
from vultr_state.manifest import load_manifest
from vultr_state.planner import PlanOptions, plan
from vultr_state.providers.base import read_live
from vultr_state.providers.v1 import V1Provider


def _emulator() -> Emulator:
    return Emulator(EmulatorConfig(rate_limit=0, provision_seconds=0.2, snapshot_seconds=0.2))


def _plan(client, scenario, tmp_path):
    desired = load_manifest([str(scenario.write(tmp_path / "manifest.yaml"))], env={})
    return plan(desired, read_live(V1Provider(client), desired), PlanOptions())


def _race(emulator, plans) -> list[object]:
    """Apply each plan on its own thread and client, all released at once; return each outcome."""
    barrier = threading.Barrier(len(plans))
    outcomes: list[object] = [None] * len(plans)

    def run(index: int) -> None:
        client = make_client(emulator)
        barrier.wait()
        try:
            outcomes[index] = apply(
                plans[index], V1Provider(client), poll_interval=(0.05, 0.1), lock_settle=0.2
            )
        except Exception as exc:  # the outcome is what the test looks at
            outcomes[index] = exc
        finally:
            client.close()

    threads = [threading.Thread(target=run, args=(i,)) for i in range(len(plans))]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)
    return outcomes


@pytest.mark.parametrize("round_", range(3))
def test_two_threads_applying_from_empty_one_refuses_and_nothing_is_duplicated(tmp_path, round_):
    emulator = _emulator()
    client = make_client(emulator)
    scenario = build_scenario(round_, servers=3, project="race")
    plans = [_plan(client, scenario, tmp_path) for _ in range(2)]  # both see an empty account
    outcomes = _race(emulator, plans)
    errors = [o for o in outcomes if isinstance(o, Exception)]
    assert len(errors) == 1 and isinstance(errors[0], LockError), outcomes
    assert "another apply of project 'race'" in str(errors[0])
    findings = audit(emulator, scenario)
    assert findings.ok, findings.lines()
    assert not _plan(client, scenario, tmp_path).has_changes


def test_two_threads_changing_an_existing_project_one_refuses(tmp_path):
    emulator = _emulator()
    client = make_client(emulator)
    base = build_scenario(5, servers=2, project="race")
    apply(_plan(client, base, tmp_path), V1Provider(client), poll_interval=(0.05, 0.1), lock_settle=0.0)
    grown = build_scenario(5, servers=4, project="race")
    plans = [_plan(client, grown, tmp_path) for _ in range(2)]
    outcomes = _race(emulator, plans)
    errors = [o for o in outcomes if isinstance(o, Exception)]
    assert len(errors) == 1 and isinstance(errors[0], LockError), outcomes
    assert audit(emulator, grown).ok
    assert Counter(s["label"] for s in emulator.servers()) == Counter(grown.identities()["server"])


def test_a_plan_made_before_another_apply_ran_does_not_duplicate_its_objects(tmp_path):
    emulator = _emulator()
    client = make_client(emulator)
    scenario = build_scenario(3, servers=2, project="race")
    first, second = _plan(client, scenario, tmp_path), _plan(client, scenario, tmp_path)
    apply(first, V1Provider(client), poll_interval=(0.05, 0.1), lock_settle=0.0)
    with pytest.raises(StalePlanError, match="changed since this plan was made"):
        apply(second, V1Provider(client), poll_interval=(0.05, 0.1), lock_settle=0.0)
    assert audit(emulator, scenario).duplicates == ()


def test_two_cli_processes_started_at_once_one_refuses_and_nothing_is_duplicated(tmp_path):
    account = CrashAccount(tmp_path)
    try:
        scenario = build_scenario(9, servers=4, project="race")
        scenario.write(tmp_path / "manifest.yaml")
        command = account.command(PlanOptions())
        processes = [
            subprocess.Popen(
                command,
                cwd=tmp_path,
                env=account.env(),
                stdin=subprocess.DEVNULL,
                stdout=subprocess.PIPE,
                stderr=subprocess.PIPE,
                text=True,
            )
            for _ in range(2)
        ]
        results = [(p.wait(timeout=120), *p.communicate()) for p in processes]
        codes = sorted(code for code, _, _ in results)
        assert codes == [0, 1], results
        refused = next(err for code, _, err in results if code == 1)
        assert "another apply of project 'race'" in refused and "Traceback" not in refused
        assert len(refused.strip().splitlines()) == 1
        assert audit(account.emulator, scenario).ok
        again = account.rerun(PlanOptions(), timeout=120)
        assert again.returncode == 0 and "No changes" in again.stdout
    finally:
        account.close()
