"""Fixtures for the documentation tests: where the examples live, and an emulated account in process
whose clock only moves when the code under test sleeps (so waiting for servers and snapshots is instant).
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
from vultr_state.providers.base import read_live
from vultr_state.providers.v1 import V1Provider
from vultr_state.providers.v1.client import ClientSettings, VultrClient

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
    """An emulated account, a client wired to it in process, and the manual clock they share."""

    emulator: Emulator
    client: VultrClient
    clock: ManualClock

    def plan(self, paths: list[Path], options: PlanOptions = PlanOptions()) -> Plan:
        """Load the manifest (with an empty environment, so only ``${VAR:-default}`` values apply),
        read the account and plan."""
        desired = load_manifest(paths, env={})
        return plan(desired, read_live(V1Provider(self.client), desired), options)

    def apply(self, result: Plan) -> ApplyResult:
        """Carry out a plan; sleeping (polls, lock settle) advances the manual clock."""
        return apply(
            result, V1Provider(self.client), clock=self.clock, sleep=self.clock.advance, lock_settle=0.0
        )


@pytest.fixture
def account() -> Iterator[Account]:
    """A fresh account: servers take 10 emulated seconds to provision, snapshots 6; no rate limit."""
    clock = ManualClock()
    emulator = Emulator(
        EmulatorConfig(
            rate_limit=0, provision_seconds=10, snapshot_seconds=6, clock=clock, sleep=clock.advance
        )
    )
    session = requests.Session()
    session.mount(BASE_URL + "/", EmulatorAdapter(emulator))
    settings = ClientSettings(api_key=DEFAULT_API_KEY, api_url=BASE_URL, rate_limit=0)
    client = VultrClient(settings, session=session, sleep=clock.advance)
    yield Account(emulator, client, clock)
    client.close()
    emulator.close()
