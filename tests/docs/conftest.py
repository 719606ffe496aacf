"""Fixtures for the documentation tests: where the examples live, and an emulated account in process,
on each API (the ``account`` fixture runs a test once on v1 and once on v2), whose clock only moves when
the code under test sleeps (so waiting for servers and snapshots is instant).
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest
import requests

from vultr_state.emulator import DEFAULT_API_KEY, Emulator, EmulatorAdapter, EmulatorConfig, ManualClock
from vultr_state.executor import apply
from vultr_state.executor.result import ApplyResult
from vultr_state.manifest import load_manifest
from vultr_state.model.plan import Plan
from vultr_state.planner import PlanOptions, plan
from vultr_state.providers.base import Provider, read_live
from vultr_state.providers.v1 import V1Provider
from vultr_state.providers.v1.client import ClientSettings, VultrClient
from vultr_state.providers.v2.provider import V2Provider

ROOT = Path(__file__).parents[2]
EXAMPLES = ROOT / "examples"
README = ROOT / "README.md"
BASE_URL = "https://api.vultr.com"


def example_manifests() -> list[Path]:
    """Every example manifest: each top-level ``examples/*.yaml`` file, and each directory of
    ``examples/`` that holds ``*.yaml`` files (a directory manifest)."""
    files = sorted(EXAMPLES.glob("*.y*ml"))
    directories = sorted(
        d for d in EXAMPLES.iterdir() if d.is_dir() and d.name != "ci" and any(d.glob("*.y*ml"))
    )
    return files + directories


def manifest_files(example: Path) -> list[Path]:
    """The YAML files an example manifest is made of."""
    return sorted(example.glob("*.y*ml")) if example.is_dir() else [example]


@dataclass
class Account:
    """An emulated account, a provider of ``api`` wired to it in process, and the manual clock they
    share."""

    emulator: Emulator
    provider: Provider
    clock: ManualClock
    api: str

    def plan(self, paths: list[Path], options: PlanOptions = PlanOptions()) -> Plan:
        """Load the manifest (with an empty environment, so only ``${VAR:-default}`` values apply),
        read the account and plan with the API's capabilities, as the CLI does."""
        desired = load_manifest(paths, env={})
        return plan(
            desired, read_live(self.provider, desired), options, capabilities=self.provider.capabilities
        )

    def apply(self, result: Plan) -> ApplyResult:
        """Carry out a plan; sleeping (polls, lock settle) advances the manual clock."""
        return apply(result, self.provider, clock=self.clock, sleep=self.clock.advance, lock_settle=0.0)

    def servers(self) -> dict[str, dict[str, object]]:
        """The account's servers by label, as the API lists them (``os``, ``label``...)."""
        listed = self.emulator.servers() if self.api == "v1" else self.emulator.v2.instances()
        return {str(s["label"]): s for s in listed}

    def snapshots(self) -> list[dict[str, object]]:
        """The account's snapshots as the API lists them."""
        return self.emulator.snapshots() if self.api == "v1" else self.emulator.v2.snapshots()


@pytest.fixture(params=["v1", "v2"])
def account(request) -> Iterator[Account]:
    """A fresh account on each API: servers take 10 emulated seconds to provision, snapshots 6; no rate
    limit."""
    clock = ManualClock()
    emulator = Emulator(
        EmulatorConfig(
            rate_limit=0, provision_seconds=10, snapshot_seconds=6, clock=clock, sleep=clock.advance
        )
    )
    session = requests.Session()
    session.mount(BASE_URL + "/", EmulatorAdapter(emulator))
    settings = ClientSettings(api_key=DEFAULT_API_KEY, api_url=BASE_URL, rate_limit=0)
    provider: Provider
    if request.param == "v1":
        provider = V1Provider(VultrClient(settings, session=session, sleep=clock.advance))
    else:
        provider = V2Provider(settings, session=session, sleep=clock.advance, clock=clock)
    yield Account(emulator, provider, clock, request.param)
    provider.close()
    emulator.close()
