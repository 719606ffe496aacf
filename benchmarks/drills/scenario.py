"""What a drill asks for: a seeded, realistic manifest (keys, scripts, servers with reverse DNS,
snapshots), its YAML text, and seeded mutations of it with the permission flags each mutation needs.

Used by the fault drill (``drills.fault``), the crash drill (``drills.crash``) and the security tests. Pure:
no I/O besides ``write`` (which writes the manifest file a loader or the CLI then reads).
"""

from __future__ import annotations

import base64
import random
from dataclasses import dataclass, field, replace
from pathlib import Path

import yaml

from vultr_state.planner import PlanOptions

REGION = "New Jersey"
PLANS = ("1024 MB RAM,25 GB SSD,1.00 TB BW", "2048 MB RAM,55 GB SSD,2.00 TB BW")
OSES = ("Ubuntu 22.04 x64", "Debian 12 x64 (bookworm)")
ABSENT = "absent"


def public_key(seed: int, index: int) -> str:
    """A syntactically valid, distinctive ed25519 public key (the blob is seeded random bytes)."""
    name = b"ssh-ed25519"
    material = random.Random(f"key-{seed}-{index}").randbytes(32)
    blob = len(name).to_bytes(4, "big") + name + len(material).to_bytes(4, "big") + material
    return f"ssh-ed25519 {base64.b64encode(blob).decode()} drill-{seed}-{index}@vultr-state"


def script_body(seed: int, index: int, revision: int = 0) -> str:
    """A distinctive startup-script body (the secrets audit looks for it in every output)."""
    return f"#!/bin/sh\n# drill-script-secret-{seed}-{index}-r{revision}\necho provisioned > /root/drill\n"


@dataclass(frozen=True, slots=True)
class Key:
    """An SSH key entry."""

    name: str
    body: str
    state: str = "present"


@dataclass(frozen=True, slots=True)
class Script:
    """A startup-script entry."""

    name: str
    body: str
    state: str = "present"


@dataclass(frozen=True, slots=True)
class Server:
    """A server entry; ``domain`` set means reverse DNS is managed for IPv4 and IPv6."""

    label: str
    script: str | None
    keys: tuple[str, ...]
    domain: str | None = None
    power: str = "running"
    plan: str = PLANS[0]
    os: str = OSES[0]
    protect: bool = False
    state: str = "present"


@dataclass(frozen=True, slots=True)
class Snapshot:
    """A snapshot entry taken from ``server``."""

    description: str
    server: str
    state: str = "present"


@dataclass(frozen=True, slots=True)
class Scenario:
    """A whole drill manifest."""

    project: str
    keys: tuple[Key, ...]
    scripts: tuple[Script, ...]
    servers: tuple[Server, ...]
    snapshots: tuple[Snapshot, ...] = ()
    revision: int = 0

    def identities(self) -> dict[str, set[str]]:
        """Per kind, the identities the manifest wants present (what the account must hold)."""
        return {
            "ssh_key": {k.name for k in self.keys if k.state != ABSENT},
            "startup_script": {s.name for s in self.scripts if s.state != ABSENT},
            "server": {s.label for s in self.servers if s.state != ABSENT},
            "snapshot": {s.description for s in self.snapshots if s.state != ABSENT},
        }

    def absent(self) -> dict[str, set[str]]:
        """Per kind, the identities the manifest explicitly wants gone (``state: absent``)."""
        return {
            "ssh_key": {k.name for k in self.keys if k.state == ABSENT},
            "startup_script": {s.name for s in self.scripts if s.state == ABSENT},
            "server": {s.label for s in self.servers if s.state == ABSENT},
            "snapshot": {s.description for s in self.snapshots if s.state == ABSENT},
        }

    def secrets(self) -> tuple[str, ...]:
        """Every startup-script body of the manifest."""
        return tuple(s.body for s in self.scripts)

    def to_yaml(self) -> str:
        """The manifest as YAML text."""
        doc: dict[str, object] = {
            "project": self.project,
            "defaults": {"region": REGION, "plan": PLANS[0], "os": OSES[0]},
            "safety": {"max_destroy_percent": 100},
            "ssh_keys": [_entry({"name": k.name, "public_key": k.body}, k.state) for k in self.keys],
            "startup_scripts": [
                _entry({"name": s.name, "type": "boot", "script": s.body}, s.state) for s in self.scripts
            ],
            "servers": [_server_entry(s) for s in self.servers],
        }
        if self.snapshots:
            doc["snapshots"] = [
                _entry({"description": s.description, "server": s.server}, s.state) for s in self.snapshots
            ]
        return yaml.safe_dump(doc, sort_keys=False, width=200)

    def write(self, path: Path) -> Path:
        """Write the manifest to ``path`` and return it."""
        path.write_text(self.to_yaml(), encoding="utf-8")
        return path


def _entry(fields: dict[str, object], state: str) -> dict[str, object]:
    return {**fields, "state": ABSENT} if state == ABSENT else fields


def _server_entry(server: Server) -> dict[str, object]:
    if server.state == ABSENT:
        return {"label": server.label, "state": ABSENT}
    entry: dict[str, object] = {"label": server.label, "ssh_keys": list(server.keys), "ipv6": True}
    if server.script:
        entry["startup_script"] = server.script
    if server.plan != PLANS[0]:
        entry["plan"] = server.plan
    if server.os != OSES[0]:
        entry["os"] = server.os
    entry["power"] = server.power
    if server.domain:
        entry["reverse_dns"] = {
            "ipv4": f"{server.label}.{server.domain}",
            "ipv6": f"{server.label}.{server.domain}",
        }
    if server.protect:
        entry["protect"] = True
    return entry


def build_scenario(seed: int, *, servers: int | None = None, project: str = "drill") -> Scenario:
    """A realistic mix: 2-3 keys, 2 scripts, 3-6 servers (most with reverse DNS), 0-2 snapshots.

    Args:
        seed: Drives every choice.
        servers: Number of servers (seeded 3-6 when None).
        project: The manifest's project.
    """
    rng = random.Random(f"scenario-{seed}")
    keys = tuple(Key(f"key-{i}", public_key(seed, i)) for i in range(rng.randint(2, 3)))
    scripts = tuple(Script(f"boot-{i}", script_body(seed, i)) for i in range(2))
    count = servers if servers is not None else rng.randint(3, 6)
    fleet = tuple(
        Server(
            label=f"web-{i}",
            script=rng.choice([s.name for s in scripts] + [None]),
            keys=tuple(sorted(rng.sample([k.name for k in keys], rng.randint(1, len(keys))))),
            domain="example.com" if rng.random() < 0.8 else None,
            power=rng.choice(("running", "running", "stopped")),
            protect=rng.random() < 0.15,
        )
        for i in range(count)
    )
    snapshots = tuple(
        Snapshot(f"golden-{i}", rng.choice(fleet).label) for i in range(rng.randint(0, min(2, count)))
    )
    return Scenario(project, keys, scripts, fleet, snapshots)


@dataclass(frozen=True, slots=True)
class Mutation:
    """A changed scenario, the flags its plan needs, and what was done (for reports)."""

    scenario: Scenario
    options: PlanOptions
    changes: tuple[str, ...] = field(default=())


def _unprotected(servers: tuple[Server, ...], snapshots: tuple[Snapshot, ...]) -> list[Server]:
    sources = {s.server for s in snapshots if s.state != ABSENT}
    return [s for s in servers if not s.protect and s.state != ABSENT and s.label not in sources]


def mutate(scenario: Scenario, seed: int) -> Mutation:
    """A seeded mix of in-place updates, replaces, reinstalls, explicit destroys, prunes and additions.

    Protected objects are never removed or replaced, so the result always converges with the flags
    returned. Servers a snapshot is taken from are left in place (the snapshot would name a missing
    server otherwise).
    """
    rng = random.Random(f"mutate-{seed}")
    revision = scenario.revision + 1
    changes: list[str] = []
    flags = {"allow_destroy": False, "allow_prune": False, "allow_replace": False, "allow_reinstall": False}
    servers = list(scenario.servers)
    candidates = _unprotected(scenario.servers, scenario.snapshots)
    rng.shuffle(candidates)

    def swap(old: Server, new: Server | None) -> None:
        index = servers.index(old)
        if new is None:
            servers.pop(index)
        else:
            servers[index] = new

    for server in candidates:
        choice = rng.choice(("power", "rdns", "replace", "reinstall", "absent", "prune", "keep", "keep"))
        if choice == "power":
            swap(server, replace(server, power="stopped" if server.power == "running" else "running"))
        elif choice == "rdns":
            swap(server, replace(server, domain="example.org" if server.domain != "example.org" else None))
        elif choice == "replace":
            swap(server, replace(server, plan=PLANS[1] if server.plan == PLANS[0] else PLANS[0]))
            flags["allow_replace"] = True
        elif choice == "reinstall":
            swap(server, replace(server, os=OSES[1] if server.os == OSES[0] else OSES[0]))
            flags["allow_reinstall"] = True
        elif choice == "absent":
            swap(server, Server(server.label, None, (), state=ABSENT))
            flags["allow_destroy"] = True
        elif choice == "prune":
            swap(server, None)
            flags["allow_prune"] = True
        if choice != "keep":
            changes.append(f"{choice} server {server.label}")
    for extra in range(rng.randint(0, 2)):
        label = f"new-{revision}-{extra}"
        keys = tuple(k.name for k in scenario.keys if k.state != ABSENT)[:1]
        servers.append(Server(label, None, keys, domain="example.net"))
        changes.append(f"add server {label}")

    scripts = list(scenario.scripts)
    if rng.random() < 0.5:
        index = rng.randrange(len(scripts))
        scripts[index] = replace(scripts[index], body=script_body(seed, index, revision))
        changes.append(f"update script {scripts[index].name}")

    snapshots = list(scenario.snapshots)
    if snapshots and rng.random() < 0.4:
        victim = rng.choice(snapshots)
        if rng.random() < 0.5:
            snapshots[snapshots.index(victim)] = replace(victim, state=ABSENT)
            flags["allow_destroy"] = True
            changes.append(f"absent snapshot {victim.description}")
        else:
            snapshots.remove(victim)
            flags["allow_prune"] = True
            changes.append(f"prune snapshot {victim.description}")

    mutated = replace(
        scenario,
        servers=tuple(servers),
        scripts=tuple(scripts),
        snapshots=tuple(snapshots),
        revision=revision,
    )
    return Mutation(mutated, PlanOptions(**flags), tuple(changes))
