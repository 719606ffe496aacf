"""Helpers for the executor tests, on either API: an in-process emulator with a manual clock, a provider
of ``v1`` or ``v2`` wired to it (``make_world(api=...)``), the catalog ids of each API, neutral views of
what the emulator holds, hand-built plan actions, and a progress sink that records what it was told.

The suites parametrise over ``API_NAMES`` through the ``api`` fixture of ``tests/executor/conftest.py``
(and ``tests/e2e/conftest.py``); ``Api`` holds what differs per wire (ids, endpoint labels, paths).
"""

from __future__ import annotations

import base64
import json
import random
import threading
from collections import Counter
from dataclasses import dataclass, field
from typing import Any

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
from vultr_state.providers.v2.provider import V2Provider
from vultr_state.registry import registry_script_name

BASE_URL = "https://api.vultr.com"
KEY_BODY = "ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAIExecutorTestKeyBody executor@test"
SCRIPT_BODY = "#!/bin/sh\necho executor-test-secret-body\n"
API_NAMES = ("v1", "v2")
NJ, PLAN_1GB, UBUNTU = "1", "201", "387"  # v1 ids: what server_spec uses when no api is given


@dataclass(frozen=True)
class Api:
    """What differs between the two wires, for tests: catalog ids, call labels and paths.

    ``labels`` and ``paths`` are keyed by neutral names (``"create server"``); ``labels`` holds the
    provider pipeline's call labels (``{id}`` stands for any object id), ``paths`` the emulator's
    PATH_INFO of that call.
    """

    name: str
    nj: str  # New Jersey
    chicago: str
    plan_1gb: str
    plan_only_in_nj: str  # a plan the emulator's catalog offers in New Jersey only
    ubuntu: str  # Ubuntu 20.04 x64 (spelt alike on both APIs)
    snapshot_os: str | None  # the placeholder OS id of a snapshot boot
    labels: dict[str, str]
    paths: dict[str, str]  # neutral name -> emulator PATH_INFO (DropAnswers, call_counts)
    plan_not_in_region: str  # the API's refusal text

    def label(self, what: str) -> str:
        return self.labels[what]


V1 = Api(
    name="v1",
    nj="1",
    chicago="2",
    plan_1gb="201",
    plan_only_in_nj="116",
    ubuntu="387",
    snapshot_os="164",
    labels={
        "create server": "POST server/create",
        "create ssh_key": "POST sshkey/create",
        "create startup_script": "POST startupscript/create",
        "update startup_script": "POST startupscript/update",
        "list servers": "GET server/list",
    },
    paths={
        "create server": "/v1/server/create",
        "create ssh_key": "/v1/sshkey/create",
        "list servers": "/v1/server/list",
    },
    plan_not_in_region="Plan is not available in the selected datacenter",
)
V2 = Api(
    name="v2",
    nj="ewr",
    chicago="ord",
    plan_1gb="vc2-1c-1gb",
    plan_only_in_nj="vdc-6vcpu-24gb",
    ubuntu="387",
    snapshot_os=None,
    labels={
        "create server": "POST /instances",
        "create ssh_key": "POST /ssh-keys",
        "create startup_script": "POST /startup-scripts",
        "update startup_script": "PATCH /startup-scripts/{id}",
        "list servers": "GET /instances",
    },
    paths={
        "create server": "/v2/instances",
        "create ssh_key": "/v2/ssh-keys",
        "list servers": "/v2/instances",
    },
    plan_not_in_region="Plan is not available in the selected region.",
)
APIS = {"v1": V1, "v2": V2}


@dataclass(frozen=True)
class SeenServer:
    """A server as the emulator holds it, in neutral terms (either face)."""

    id: str
    label: str
    status: str  # pending | active | resizing ...
    power: str  # running | stopped
    plan_id: str
    os_id: str
    os: str
    v6_main_ip: str


def _seen_v1(record: dict) -> SeenServer:
    return SeenServer(
        id=record["SUBID"], label=record["label"], status=record["status"], power=record["power_status"],
        plan_id=str(record["VPSPLANID"]), os_id=str(record["OSID"]), os=record["os"],
        v6_main_ip=record["v6_main_ip"],
    )  # fmt: skip


def _seen_v2(record: dict) -> SeenServer:
    return SeenServer(
        id=record["id"], label=record["label"], status=record["status"], power=record["power_status"],
        plan_id=record["plan"], os_id=str(record["os_id"]), os=record["os"],
        v6_main_ip=record["v6_main_ip"],
    )  # fmt: skip


@dataclass
class World:
    """An emulator, a provider of ``api`` on its in-process adapter, and the manual clock both share.

    The provider lives as long as the world, so its call counts cover every apply of a test.
    """

    emulator: Emulator
    provider: V1Provider | V2Provider
    clock: ManualClock
    api: Api = V1
    app: Any = None  # the WSGI middleware in front of the emulator, if any

    @property
    def client(self) -> VultrClient:
        """The v1 client (v1-wire tests only)."""
        assert isinstance(self.provider, V1Provider), "a v1-wire helper used on v2"
        return self.provider.client

    @property
    def calls(self) -> int:
        return self.provider.calls

    def calls_to(self, what: str) -> int:
        """Calls the provider sent to a neutral endpoint (``"create server"``), retries included."""
        counts = _pipeline(self.provider).calls_by_endpoint
        label = self.api.label(what)
        if "{id}" not in label:
            return counts[label]
        head, tail = label.split("{id}")
        return sum(n for name, n in counts.items() if name.startswith(head) and name.endswith(tail))

    def apply(self, plan: Plan, **options) -> ApplyResult:
        """Apply with the manual clock (sleeping advances it) and a near-zero lock settle time."""
        options.setdefault("lock_settle", 0.0)
        return apply(plan, self.provider, clock=self.clock, sleep=self.clock.advance, **options)

    def servers(self) -> list[SeenServer]:
        """Every server of this API's account, in creation order."""
        return servers_of(self.emulator, self.api)

    def labels(self) -> list[str]:
        return sorted(s.label for s in self.servers())

    def ssh_keys(self) -> list[tuple[str, str]]:
        """(id, name) of every SSH key."""
        return ssh_keys_of(self.emulator, self.api)

    def scripts(self) -> list[tuple[str, str, str]]:
        """(id, name, decoded body) of every startup script, the registry's included."""
        return scripts_of(self.emulator, self.api)

    def snapshots(self) -> list[tuple[str, str]]:
        """(description, status) of every snapshot."""
        listed = self.emulator.snapshots() if self.api.name == "v1" else self.emulator.v2.snapshots()
        return [(s["description"], s["status"]) for s in listed]

    def registry(self, project: str = "web") -> dict:
        """The project's registry document (exactly one part expected)."""
        (body,) = [b for _id, name, b in self.scripts() if name == registry_script_name(project)]
        return json.loads(body)

    def reverse_dns(self, server_id: str) -> tuple[set[str], set[str]]:
        """(IPv4 main-address names, IPv6 names) the API reports for a server (two real calls)."""
        if isinstance(self.provider, V1Provider):
            client = self.provider.client
            ipv4 = {e["reverse"] for e in client.server_list_ipv4(server_id) if e["type"] == "main_ip"}
            return ipv4, {e["reverse"] for e in client.server_reverse_list_ipv6(server_id)}
        api = self.provider.api
        ipv4 = {
            e["reverse"]
            for e in api.get_list(f"instances/{server_id}/ipv4", "ipv4s")
            if e["type"] == "main_ip"
        }
        ipv6 = {e["reverse"] for e in api.get_list(f"instances/{server_id}/ipv6/reverse", "reverse_ipv6s")}
        return ipv4, ipv6

    def other_provider(self, app=None) -> V1Provider | V2Provider:
        """A second provider of the same API (its own counts) on ``app`` (default: the emulator)."""
        return make_provider(self.api, app or self.emulator, self.clock)


def servers_of(emulator: Emulator, api: Api) -> list[SeenServer]:
    """Every server of ``api``'s account in ``emulator``, in creation order, in neutral terms."""
    if api.name == "v1":
        return [_seen_v1(s) for s in emulator.servers()]
    return [_seen_v2(s) for s in emulator.v2.instances()]


def ssh_keys_of(emulator: Emulator, api: Api) -> list[tuple[str, str]]:
    """(id, name) of every SSH key of ``api``'s account."""
    if api.name == "v1":
        return [(k["SSHKEYID"], k["name"]) for k in emulator.ssh_keys()]
    return [(k["id"], k["name"]) for k in emulator.v2.ssh_keys()]


def scripts_of(emulator: Emulator, api: Api) -> list[tuple[str, str, str]]:
    """(id, name, decoded body) of every startup script of ``api``'s account."""
    if api.name == "v1":
        return [(s["SCRIPTID"], s["name"], s["script"]) for s in emulator.startup_scripts()]
    return [
        (s["id"], s["name"], base64.b64decode(s["script"]).decode()) for s in emulator.v2.startup_scripts()
    ]


def _pipeline(provider: V1Provider | V2Provider) -> Any:
    return provider.client if isinstance(provider, V1Provider) else provider.pipeline


def make_client(app, clock: ManualClock | None = None, rate_limit: float = 0.0) -> VultrClient:
    """A v1 client that reaches ``app`` through the in-process adapter."""
    session = requests.Session()
    session.mount(BASE_URL + "/", EmulatorAdapter(app))
    settings = ClientSettings(api_key=DEFAULT_API_KEY, api_url=BASE_URL, rate_limit=rate_limit)
    sleep = clock.advance if clock is not None else (lambda _s: None)
    return VultrClient(settings, session=session, sleep=sleep)


def make_provider(
    api: Api | str,
    app,
    clock: ManualClock | None = None,
    *,
    project: str = "web",
    rate_limit: float = 0.0,
    real_time: bool = False,
    **options,
) -> V1Provider | V2Provider:
    """A provider of ``api`` that reaches ``app`` in process; sleeping advances ``clock`` (or, with
    ``real_time``, really sleeps). On v2 the client paces itself at ``rate_limit`` requests/s (0:
    unpaced)."""
    api = APIS[api] if isinstance(api, str) else api
    if api.name == "v1":
        return V1Provider(make_client(app, clock))
    session = requests.Session()
    session.mount(BASE_URL + "/", EmulatorAdapter(app))
    settings = ClientSettings(api_key=DEFAULT_API_KEY, api_url=BASE_URL, rate_limit=rate_limit)
    if real_time:
        return V2Provider(settings, session=session, project=project, rng=random.Random(7), **options)
    clock = clock or ManualClock()
    return V2Provider(
        settings, session=session, project=project, sleep=clock.advance, clock=clock,
        rng=random.Random(7), **options,
    )  # fmt: skip


def make_world(
    provision_seconds: float = 10.0,
    snapshot_seconds: float = 6.0,
    *,
    api: Api | str = V1,
    wrap=None,
    provider_options: dict | None = None,
    **config,
) -> World:
    """A world on ``api``; ``wrap`` puts WSGI middleware (``DropAnswers``) before the emulator."""
    api = APIS[api] if isinstance(api, str) else api
    clock = ManualClock()
    config.setdefault("rate_limit", 0)
    emulator = Emulator(
        EmulatorConfig(
            provision_seconds=provision_seconds,
            snapshot_seconds=snapshot_seconds,
            clock=clock,
            sleep=clock.advance,
            **config,
        )
    )
    app = wrap(emulator) if wrap else emulator
    provider = make_provider(api, app, clock, **(provider_options or {}))
    return World(emulator, provider, clock, api, app if wrap else None)


class DropAnswers:
    """WSGI middleware: for the first ``times`` calls to ``path`` (with ``method``, when given), let the
    emulator process (and commit) the call when ``commit`` is true, then drop the connection instead of
    answering - a lost answer. Works in process (the adapter) and over a socket (``EmulatorServer``
    closes the connection)."""

    def __init__(self, app, path: str, *, times: int = 1, commit: bool = True, method: str | None = None):
        self.app, self.path, self.left, self.commit, self.method = app, path, times, commit, method
        self.dropped = 0
        self._lock = threading.Lock()

    def __call__(self, environ, start_response):
        if environ.get("PATH_INFO") == self.path and self.method in (None, environ.get("REQUEST_METHOD")):
            with self._lock:
                drop, self.left = self.left > 0, self.left - 1
                self.dropped += drop
            if drop:
                if self.commit:
                    list(self.app(environ, lambda *_a, **_k: None))
                raise DropConnection(self.path)
        return self.app(environ, start_response)


class Statuses:
    """WSGI middleware: counts the emulator's answers by HTTP status (``counts[429]``)."""

    def __init__(self, app):
        self.app = app
        self.counts: Counter[int] = Counter()
        self._lock = threading.Lock()

    def __call__(self, environ, start_response):
        def counting(status: str, headers, *exc_info):
            with self._lock:
                self.counts[int(status.split()[0])] += 1
            return start_response(status, headers, *exc_info)

        return self.app(environ, counting)


def drop_creates(api: Api, kind: str, **options):
    """A ``wrap`` for ``make_world``: ``DropAnswers`` on the create call of ``kind`` of ``api``."""
    method = None if api.name == "v1" else "POST"
    return lambda app: DropAnswers(app, api.paths[f"create {kind}"], method=method, **options)


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


def server_spec(label: str, *, api: Api | None = None, **fields) -> ServerSpec:
    """A server in New Jersey on the 1 GB plan; v1 ids (``UBUNTU`` 387) unless ``api`` is given."""
    fields.setdefault("region_id", api.nj if api else NJ)
    fields.setdefault("plan_id", api.plan_1gb if api else PLAN_1GB)
    fields.setdefault("os_id", api.ubuntu if api else UBUNTU)
    return ServerSpec(label=label, **fields)


def server_create(
    label: str, *, depends_on: tuple[str, ...] = (), api: Api | None = None, **fields
) -> Action:
    return Action(
        f"server:{label}",
        Kind.SERVER,
        label,
        ActionType.CREATE,
        spec=server_spec(label, api=api, **fields),
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
