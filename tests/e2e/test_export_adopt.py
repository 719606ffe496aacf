"""Adopting an account made by other means, on both APIs, with the real CLI: ``export`` writes a
manifest of what is there, its plan adopts every object (no create, no destroy), the apply writes
nothing but the registry, and the next plan has no changes."""

from __future__ import annotations

import json
import time

from e2e.conftest import KEY
from vultr_state.model.server import BootSource, ServerCreate

SCRIPT = "#!/bin/sh\necho made-by-hand\n"


def _wait_until(condition, timeout: float = 30.0) -> None:
    deadline = time.monotonic() + timeout
    while not condition():
        if time.monotonic() > deadline:
            raise AssertionError("condition not reached in time")
        time.sleep(0.05)


def test_export_then_apply_adopts_the_account_without_creating_anything(account) -> None:
    api = account.api
    operations = account.provider().operations  # as a control panel or another tool would
    key_id = operations.create_ssh_key("by-hand", KEY)
    script_id = operations.create_startup_script("by-hand-boot", SCRIPT, "boot")
    for label in ("legacy-1", "legacy-2"):
        operations.create_server(
            ServerCreate(
                label=label, region_id=api.nj, plan_id=api.plan_1gb, boot=BootSource.os(api.ubuntu),
                ssh_key_ids=(key_id,), startup_script_id=script_id,
            )
        )  # fmt: skip
    _wait_until(lambda: all(s.status == "active" for s in account.servers()))
    ids = sorted(s.id for s in account.servers())

    exported = account.cli.run("export", "--project", "adopted", "--out", "adopted.yaml", "--rate-limit", "0")
    assert exported.returncode == 0, exported.stdout + exported.stderr
    planned = account.cli.run("plan", "adopted.yaml", "--detailed-exitcode", "--json", "--rate-limit", "0")
    assert planned.returncode == 2, planned.stdout + planned.stderr  # changes: the adoptions
    summary = json.loads(planned.stdout)["summary"]
    assert summary["adopt"] == 4 and sum(summary.values()) == 4  # a key, a script, two servers

    posts = account.posts()
    applied = account.cli.run("apply", "adopted.yaml", "--auto-approve", "--rate-limit", "0")
    assert applied.returncode == 0, applied.stdout + applied.stderr
    assert account.posts() - posts <= 2  # the registry's intent and result writes, nothing else
    assert sorted(s.id for s in account.servers()) == ids
    assert [name for _id, name in account.ssh_keys()] == ["by-hand"]
    assert sorted(name for _id, name, _body in account.scripts()) == ["by-hand-boot", "vultr-state:adopted"]

    again = account.cli.run("plan", "adopted.yaml", "--detailed-exitcode", "--rate-limit", "0")
    assert again.returncode == 0, again.stdout + again.stderr
