"""Fixtures for the safety rules of issue 12: the real CLI (a subprocess) against an emulator on a
loopback port, parametrised over the APIs the CLI speaks end to end.

``API_VERSIONS`` lists them; every test that takes the ``site`` fixture runs once per API. Objects that
are *not* the project's (a colleague's hand-made server, another project's key) are put into the
account through ``Stranger``, which speaks the chosen API's wire itself, so each API's account gets
them (the emulator keeps one account per API face).
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest
from e2e.conftest import Account, Cli, make_account

from safety_rules.stranger import Stranger

API_VERSIONS = ("v1",)


@dataclass
class ApiCli(Cli):
    """The e2e ``Cli`` with ``VULTR_API_VERSION`` chosen (the CLI's way to pick a provider)."""

    api: str = "v1"

    def env(self) -> dict[str, str]:
        env = super().env()
        env["VULTR_API_VERSION"] = self.api
        return env


@dataclass
class Site:
    """One API's view of an emulated account: the CLI pointed at it and a stranger acting on it."""

    api: str
    account: Account
    stranger: Stranger

    def run(self, *args: str, timeout: float = 120):
        """Run the CLI with ``VULTR_API_VERSION`` set to this site's API."""
        return self.account.cli.run(*args, timeout=timeout)

    def plan(self, *args: str):
        """``plan manifest.yaml`` plus ``args``."""
        return self.run("plan", "manifest.yaml", "--rate-limit", "0", *args)

    def apply(self, *args: str, timeout: float = 120):
        """``apply manifest.yaml --auto-approve`` plus ``args``."""
        return self.account.cli.apply(*args, timeout=timeout)


def make_site(api: str, tmp_path: Path, **config) -> Iterator[Site]:
    """An emulator on a free port with the CLI aimed at its ``api`` face."""
    for account in make_account(tmp_path, **config):
        account.cli = ApiCli(account.cli.url, account.cli.cwd, api)
        yield Site(api, account, Stranger(api, account.server.url))


@pytest.fixture(params=API_VERSIONS)
def site(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[Site]:
    yield from make_site(request.param, tmp_path)
