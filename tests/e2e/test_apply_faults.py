"""The real CLI under trouble, on both APIs: a refused call midway, a lost create answer, Ctrl-C and
SIGKILL. Each ends with the documented exit code, and a rerun converges without creating anything twice."""

from __future__ import annotations

import signal
import time

import pytest
from executor.support import APIS, drop_creates

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


def test_v2_create_refused_midway_is_reported_and_the_fixed_rerun_converges(tmp_path):
    """v2 wire: /plans lists vdc-2vcpu-8gb in Amsterdam, but the region's recorded availability does
    not offer it, and the create is refused midway (the plan cannot know). The rerun after the fix
    creates only what is missing."""
    api = APIS["v2"]
    for account in make_account(tmp_path, api=api):
        assert account.cli.apply().returncode == 0
        web3 = "  - label: web-3\n    region: Amsterdam\n"
        account.write(manifest_text(extra=web3 + "    plan: vdc-2vcpu-8gb\n"))
        failed = account.cli.apply()
        assert failed.returncode == 1
        assert "+ server.web-3: FAILED after" in failed.stdout
        assert api.plan_not_in_region in failed.stdout
        assert "Apply failed: 0 done, 1 failed, 0 not started" in failed.stdout
        assert "apply stopped" in failed.stderr and "Traceback" not in failed.stderr
        assert account.labels() == ["web-1", "web-2"]

        account.write(manifest_text(extra=web3))
        creates = account.calls_to("POST", api.paths["create server"])
        rerun = account.cli.apply()
        assert rerun.returncode == 0, rerun.stdout + rerun.stderr
        assert account.labels() == ["web-1", "web-2", "web-3"]
        assert account.calls_to("POST", api.paths["create server"]) == creates + 1
        assert "No changes" in account.cli.apply().stdout


def test_v1_refused_destroy_midway_is_reported_and_a_rerun_converges(tmp_path):
    # v1 wire: like the real v1 service, this emulator refuses to destroy a server in its first minutes
    # of life (v2 has no such rule: a young v2 server refuses a delete while locked, and the provider
    # waits that out, tests/executor). Its clock runs in real time (provisioning waits for real) but
    # jumps ahead once, when the test says the servers are old enough: a loaded machine cannot make the
    # first apply outlast the minimum age.
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
        web1 = next(s for s in account.servers() if s.label == "web-1")
        assert web1.plan_id == "202"
        assert "No changes" in account.cli.apply().stdout


def test_lost_create_answer_is_adopted_without_a_duplicate(tmp_path, api):
    wrapper = drop_creates(api, "server", commit=True)
    for account in make_account(tmp_path, app_wrapper=wrapper, api=api):
        result = account.cli.apply()
        assert result.returncode == 0, result.stdout + result.stderr
        assert account.labels() == ["web-1", "web-2"]  # one of each, though one answer was lost
        # The lost create was not re-sent: two creates reached the emulator, one answer was dropped.
        assert account.calls_to("POST", api.paths["create server"]) == 2
        assert account.log.app.dropped == 1
        assert "No changes" in account.cli.apply().stdout


def test_ctrl_c_exits_130_and_a_rerun_converges(tmp_path, api):
    for account in make_account(tmp_path, provision_seconds=4.0, api=api):
        process = account.cli.start("apply", "manifest.yaml", "--auto-approve", "--rate-limit", "0")
        _read_until(process, "+ server.web-2: creating...")
        _wait_until(lambda account=account: len(account.servers()) == 2)
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
def test_sigkill_midway_then_rerun_converges_without_duplicates(tmp_path, kill_after, api):
    for account in make_account(tmp_path, provision_seconds=4.0, api=api):
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
        assert [name for _id, name in account.ssh_keys()] == ["deploy"]
        names = sorted(name for _id, name, _body in account.scripts())
        assert names == ["bootstrap", "vultr-state:e2e"]
        assert "No changes" in account.cli.apply().stdout
