"""The real CLI under trouble: a refused call midway, a lost create answer, Ctrl-C and SIGKILL. Each
ends with the documented exit code, and a rerun converges without creating anything twice."""

from __future__ import annotations

import signal
import time

import pytest
from executor.support import DropAnswers

from e2e.conftest import make_account, manifest_text

REPLACE_WEB1 = "  - label: web-1\n    plan: 2048 MB RAM,55 GB SSD,2.00 TB BW\n"


def _wait_until(condition, timeout: float = 30.0) -> None:
    deadline = time.monotonic() + timeout
    while not condition():
        if time.monotonic() > deadline:
            raise AssertionError("condition not reached in time")
        time.sleep(0.05)


def _read_until(process, marker: str) -> str:
    seen = []
    for line in process.stdout:
        seen.append(line)
        if marker in line:
            return "".join(seen)
    raise AssertionError(f"{marker!r} never printed; output: {''.join(seen)}")


def test_failure_midway_is_reported_and_a_rerun_converges(tmp_path):
    # Like the real service, this emulator refuses to destroy a server in its first minutes of life. Its
    # clock runs in real time (provisioning waits for real) but jumps ahead once, when the test says the
    # servers are old enough: a loaded machine cannot make the first apply outlast the minimum age.
    jumped = [0.0]
    clock = lambda: time.time() + jumped[0]  # noqa: E731
    for account in make_account(tmp_path, destroy_min_age_seconds=300.0, clock=clock):
        assert account.cli.apply().returncode == 0
        account.write(manifest_text(labels=("web-2",), extra=REPLACE_WEB1))
        failed = account.cli.apply("--allow-replace")
        assert failed.returncode == 1
        assert "-/+ server.web-1: FAILED after" in failed.stdout
        assert "Servers cannot be destroyed within 5 minutes of being created" in failed.stdout
        assert "Apply failed: 0 done, 1 failed" in failed.stdout
        assert "apply stopped" in failed.stderr and "Traceback" not in failed.stderr
        assert account.labels() == ["web-1", "web-2"]

        jumped[0] = 301.0  # the servers are old enough now
        rerun = account.cli.apply("--allow-replace")
        assert rerun.returncode == 0, rerun.stdout + rerun.stderr
        assert account.labels() == ["web-1", "web-2"]
        web1 = next(s for s in account.emulator.servers() if s["label"] == "web-1")
        assert web1["VPSPLANID"] == "202"
        assert "No changes" in account.cli.apply().stdout


def test_lost_create_answer_is_adopted_without_a_duplicate(tmp_path):
    def drop_first_create(app):
        return DropAnswers(app, "/v1/server/create", commit=True)

    for account in make_account(tmp_path, app_wrapper=drop_first_create):
        result = account.cli.apply()
        assert result.returncode == 0, result.stdout + result.stderr
        assert account.labels() == ["web-1", "web-2"]  # one of each, though one answer was lost
        assert account.emulator.call_counts["/v1/server/create"] == 2  # the lost create was not re-sent
        assert "No changes" in account.cli.apply().stdout


def test_ctrl_c_exits_130_and_a_rerun_converges(tmp_path):
    for account in make_account(tmp_path, provision_seconds=4.0):
        process = account.cli.start("apply", "manifest.yaml", "--auto-approve", "--rate-limit", "0")
        _read_until(process, "+ server.web-2: creating...")
        _wait_until(lambda emulator=account.emulator: len(emulator.servers()) == 2)
        process.send_signal(signal.SIGINT)
        out, err = process.communicate(timeout=60)
        assert process.returncode == 130, out + err
        assert "Apply interrupted:" in out
        assert "Interrupted: finishing" in out and "Traceback" not in err
        assert err.rstrip().endswith("Interrupted.")

        rerun = account.cli.apply()
        assert rerun.returncode == 0, rerun.stdout + rerun.stderr
        assert account.labels() == ["web-1", "web-2"]
        assert "No changes" in account.cli.apply().stdout


@pytest.mark.parametrize("kill_after", ["+ server.web-1: creating...", "+ ssh_key.deploy: creating..."])
def test_sigkill_midway_then_rerun_converges_without_duplicates(tmp_path, kill_after):
    for account in make_account(tmp_path, provision_seconds=4.0):
        process = account.cli.start("apply", "manifest.yaml", "--auto-approve", "--rate-limit", "0")
        _read_until(process, kill_after)
        process.send_signal(signal.SIGKILL)
        process.communicate(timeout=30)

        # The dead apply's lock holds until it expires: no guess from host name or pid. The user who
        # killed it takes it over with --force-unlock; what the dead apply created is adopted.
        refused = account.cli.apply()
        assert refused.returncode == 1 and "--force-unlock" in refused.stderr
        rerun = account.cli.apply("--force-unlock")
        assert rerun.returncode == 0, rerun.stdout + rerun.stderr
        assert account.labels() == ["web-1", "web-2"]
        assert [k["name"] for k in account.emulator.ssh_keys()] == ["deploy"]
        names = sorted(s["name"] for s in account.emulator.startup_scripts())
        assert names == ["bootstrap", "vultr-state:e2e"]
        assert "No changes" in account.cli.apply().stdout
