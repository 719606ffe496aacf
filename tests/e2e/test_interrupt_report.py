"""Ctrl-C while a new server installs, on the real CLI and both APIs: the server was created (the
registry owns it), so apply reports it as created and not active yet, not as a failure."""

from __future__ import annotations

import signal
import time

from e2e.conftest import make_account, manifest_text


def _wait_until(condition, timeout: float = 30.0) -> None:
    deadline = time.monotonic() + timeout
    while not condition():
        if time.monotonic() > deadline:
            raise AssertionError("condition not reached in time")
        time.sleep(0.05)


def test_ctrl_c_reports_a_created_but_not_active_server_as_created(tmp_path, api):
    for account in make_account(tmp_path, provision_seconds=120.0, api=api):
        account.write(manifest_text(labels=("web-1",)))
        process = account.cli.start("apply", "manifest.yaml", "--auto-approve", "--rate-limit", "0")
        # The plan listed the servers once; a second list is the waiter polling for the created server.
        polls = ("GET", api.paths["list servers"])
        _wait_until(lambda a=account, p=polls: len(a.servers()) == 1 and a.log.counts[p] >= 2)
        process.send_signal(signal.SIGINT)
        out, err = process.communicate(timeout=60)
        assert process.returncode == 130, out + err
        subid = account.servers()[0].id
        line = f"+ server.web-1: created {subid}, not active yet (the apply was interrupted while waiting)\n"
        assert line in out
        assert "server.web-1: FAILED" not in out
        assert "Apply interrupted: 2 done, 1 created (not active yet), 0 failed, 1 not started in " in out
        assert f"  created, not active yet: server.web-1 {subid} (the project owns it" in out
        assert "not started: reverse_dns.web-1" in out
