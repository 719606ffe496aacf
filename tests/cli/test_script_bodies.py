"""Startup-script bodies on a plan, counted at the emulator: v2 lists omit bodies, so a plan reads the
body of a script the manifest names only when the listed ``date_modified`` is not the one the registry
recorded at the last apply. A no-change plan reads none (its call count does not grow with the number
of scripts); a script edited behind vultr-state's back is read, shown as an update and converged; v1
lists carry every body and never need a read. The real CLI (in process through ``main``), per API.
"""

from __future__ import annotations

import base64
from collections.abc import Iterator
from pathlib import Path

import pytest
import requests

from vultr_state.emulator import DEFAULT_API_KEY, Emulator, EmulatorConfig, EmulatorServer, ManualClock


def _manifest(scripts: int) -> str:
    entries = "".join(
        f"  - name: setup-{n}\n    script: |\n      #!/bin/sh\n      echo body-{n}\n" for n in range(scripts)
    )
    return f"project: bodies\nstartup_scripts:\n{entries}"


class Account:
    """A served emulator on a manual clock, the CLI pointed at it through the environment."""

    def __init__(self, server: EmulatorServer, clock: ManualClock, api: str):
        self.server, self.clock, self.api = server, clock, api

    @property
    def emulator(self) -> Emulator:
        return self.server.emulator

    def calls(self) -> dict[str, int]:
        return dict(self.emulator.call_counts)

    def body_reads(self, before: dict[str, int]) -> int:
        """GETs of single user scripts since ``before`` (registry parts excluded)."""
        registry = {
            s["id"] for s in self.emulator.v2.startup_scripts() if s["name"].startswith("vultr-state:")
        }
        return sum(
            count - before.get(path, 0)
            for path, count in self.calls().items()
            if path.startswith("/v2/startup-scripts/") and path.rsplit("/", 1)[1] not in registry
        )

    def total(self, before: dict[str, int]) -> int:
        return sum(self.calls().values()) - sum(before.values())


@pytest.fixture(params=["v1", "v2"])
def account(request, monkeypatch) -> Iterator[Account]:
    clock = ManualClock()
    emulator = Emulator(
        EmulatorConfig(
            rate_limit=0, provision_seconds=0, snapshot_seconds=0, clock=clock, sleep=clock.advance
        )
    )
    with EmulatorServer(emulator) as server:
        monkeypatch.setenv("VULTR_API_URL", server.url)
        monkeypatch.setenv("VULTR_API_KEY", DEFAULT_API_KEY)
        yield Account(server, clock, request.param)
    emulator.close()


def _apply(cli, account: Account, path: Path) -> None:
    done = cli("apply", str(path), "--api", account.api, "--auto-approve", "--rate-limit", "0")
    assert done.code == 0, done.err


def _plan(cli, account: Account, path: Path):
    return cli("plan", str(path), "--api", account.api, "--detailed-exitcode", "--rate-limit", "0")


@pytest.mark.parametrize("scripts", [1, 6])
def test_a_no_change_plan_reads_no_body_and_costs_the_same_for_any_number_of_scripts(
    cli, account, tmp_path, scripts
):
    path = tmp_path / "bodies.yaml"
    path.write_text(_manifest(scripts))
    _apply(cli, account, path)
    account.clock.advance(5)

    before = account.calls()
    done = _plan(cli, account, path)

    assert done.code == 0, done.out + done.err
    if account.api == "v2":
        assert account.body_reads(before) == 0
    # Catalog and account lists, one page each (plus, on v2, the registry's one body): never per script.
    expected = {"v1": 7, "v2": 8}[account.api]
    assert account.total(before) == expected, account.calls()


def test_a_script_edited_behind_our_back_is_read_updated_and_then_known_again(cli, account, tmp_path):
    if account.api == "v1":
        pytest.skip("v1 lists carry every body: nothing is read per script")
    path = tmp_path / "bodies.yaml"
    path.write_text(_manifest(3))
    _apply(cli, account, path)
    account.clock.advance(5)
    (edited,) = [s for s in account.emulator.v2.startup_scripts() if s["name"] == "setup-1"]
    body = base64.b64encode(b"#!/bin/sh\necho changed by hand\n").decode()
    answer = requests.patch(
        f"{account.server.url}/v2/startup-scripts/{edited['id']}",
        json={"script": body},
        headers={"Authorization": f"Bearer {DEFAULT_API_KEY}"},
        timeout=10,
    )
    assert answer.status_code == 204
    account.clock.advance(5)

    before = account.calls()
    changed = _plan(cli, account, path)
    assert changed.code == 2, changed.out + changed.err
    assert "~ startup_script.setup-1 (update in place)" in changed.out
    assert "setup-0" not in changed.out and "setup-2" not in changed.out
    assert account.body_reads(before) == 1  # only the edited script

    _apply(cli, account, path)
    account.clock.advance(5)
    before = account.calls()
    assert _plan(cli, account, path).code == 0
    assert account.body_reads(before) == 0
