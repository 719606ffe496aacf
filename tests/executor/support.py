"""Helpers for the executor tests: an in-process emulator with a manual clock, a client wired to it,
hand-built plan actions, and a progress sink that records what it was told."""

from __future__ import annotations

import threading
from dataclasses import dataclass, field

import requests

from vultr_state.emulator import DEFAULT_API_KEY, Emulator, EmulatorAdapter, EmulatorConfig, ManualClock
from vultr_state.emulator.core.faults import DropConnection
from vultr_state.executor import apply
from vultr_state.executor.result import ActionResult, ApplyResult
from vultr_state.executor.scheduler import ProgressSink
from vultr_state.http.settings import ClientSettings
from vultr_state.model.plan import (
    Action,
    ActionType,
    Kind,
    Plan,
    ReverseDnsSpec,
    ServerSpec,
    SnapshotSpec,
    SshKeySpec,
    StartupScriptSpec,
)
from vultr_state.providers.v1 import V1Provider
from vultr_state.providers.v1.client import VultrClient

BASE_URL = "https://api.vultr.com"
NJ, PLAN_1GB, UBUNTU = "1", "201", "387"
KEY_BODY = "ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAIExecutorTestKeyBody executor@test"
SCRIPT_BODY = "#!/bin/sh\necho executor-test-secret-body\n"


@dataclass
class World:
    """An emulator, a client on its in-process adapter and the manual clock both share."""

    emulator: Emulator
    client: VultrClient
    clock: ManualClock

    def apply(self, plan: Plan, **options) -> ApplyResult:
        """Apply with the manual clock (sleeping advances it) and a near-zero lock settle time."""
        options.setdefault("lock_settle", 0.0)
        return apply(plan, V1Provider(self.client), clock=self.clock, sleep=self.clock.advance, **options)

    def labels(self) -> list[str]:
        return sorted(s["label"] for s in self.emulator.servers())


def make_client(app, clock: ManualClock | None = None, rate_limit: float = 0.0) -> VultrClient:
    """A client that reaches ``app`` through the in-process adapter."""
    session = requests.Session()
    session.mount(BASE_URL + "/", EmulatorAdapter(app))
    settings = ClientSettings(api_key=DEFAULT_API_KEY, api_url=BASE_URL, rate_limit=rate_limit)
    sleep = clock.advance if clock is not None else (lambda _s: None)
    return VultrClient(settings, session=session, sleep=sleep)


def make_world(provision_seconds: float = 10.0, snapshot_seconds: float = 6.0, **config) -> World:
    clock = ManualClock()
    emulator = Emulator(
        EmulatorConfig(
            rate_limit=0,
            provision_seconds=provision_seconds,
            snapshot_seconds=snapshot_seconds,
            clock=clock,
            sleep=clock.advance,
            **config,
        )
    )
    return World(emulator, make_client(emulator, clock), clock)


class DropAnswers:
    """WSGI middleware: for the first ``times`` calls to ``path``, let the emulator process (and commit)
    the call when ``commit`` is true, then drop the connection instead of answering - a lost answer.
    Works in process (the adapter) and over a socket (``EmulatorServer`` closes the connection)."""

    def __init__(self, app, path: str, *, times: int = 1, commit: bool = True):
        self.app, self.path, self.left, self.commit = app, path, times, commit
        self._lock = threading.Lock()

    def __call__(self, environ, start_response):
        if environ.get("PATH_INFO") == self.path:
            with self._lock:
                drop, self.left = self.left > 0, self.left - 1
            if drop:
                if self.commit:
                    list(self.app(environ, lambda *_a, **_k: None))
                raise DropConnection(self.path)
        return self.app(environ, start_response)


# -- hand-built actions --------------------------------------------------------------------------------


def key_create(name: str = "deploy") -> Action:
    return Action(f"ssh_key:{name}", Kind.SSH_KEY, name, ActionType.CREATE, spec=SshKeySpec(name, KEY_BODY))


def script_create(name: str = "bootstrap") -> Action:
    return Action(
        f"startup_script:{name}",
        Kind.STARTUP_SCRIPT,
        name,
        ActionType.CREATE,
        spec=StartupScriptSpec(name, "boot", SCRIPT_BODY),
    )


def server_spec(label: str, **fields) -> ServerSpec:
    fields.setdefault("region_id", NJ)
    fields.setdefault("plan_id", PLAN_1GB)
    fields.setdefault("os_id", UBUNTU)
    return ServerSpec(label=label, **fields)


def server_create(label: str, *, depends_on: tuple[str, ...] = (), **fields) -> Action:
    return Action(
        f"server:{label}",
        Kind.SERVER,
        label,
        ActionType.CREATE,
        spec=server_spec(label, **fields),
        depends_on=depends_on,
    )


def rdns_create(label: str, ipv4: str | None = None, ipv6: str | None = None) -> Action:
    return Action(
        f"reverse_dns:{label}",
        Kind.REVERSE_DNS,
        label,
        ActionType.CREATE,
        spec=ReverseDnsSpec(server=label, ipv4=ipv4, ipv6=ipv6),
        depends_on=(f"server:{label}",),
    )


def snapshot_create(description: str, server: str) -> Action:
    return Action(
        f"snapshot:{description}",
        Kind.SNAPSHOT,
        description,
        ActionType.CREATE,
        spec=SnapshotSpec(description, server),
        depends_on=(f"server:{server}",),
    )


def plan_of(*actions: Action, project: str = "web") -> Plan:
    return Plan(project=project, actions=tuple(actions))


# -- progress recorder ---------------------------------------------------------------------------------


@dataclass
class Recorder(ProgressSink):
    """Remembers every event in order (thread-safe)."""

    events: list[tuple[str, str]] = field(default_factory=list)
    results: list[ActionResult] = field(default_factory=list)
    summaries: list[ApplyResult] = field(default_factory=list)
    _lock: threading.Lock = field(default_factory=threading.Lock)

    def started(self, action: Action) -> None:
        with self._lock:
            self.events.append(("start", action.key))

    def finished(self, result: ActionResult) -> None:
        with self._lock:
            self.events.append(("finish", result.action.key))
            self.results.append(result)

    def note(self, text: str) -> None:
        with self._lock:
            self.events.append(("note", text))

    def summary(self, result: ApplyResult) -> None:
        self.summaries.append(result)

    def index(self, kind: str, key: str) -> int:
        return self.events.index((kind, key))
