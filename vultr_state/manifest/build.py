"""Turning a checked ``MergedManifest`` into the frozen ``Desired`` model.

Applies server defaults, converts catalog ids to strings, normalises extra IPv6 addresses, reads
``public_key_file`` / ``script_file`` / ``user_data_file`` bodies relative to the manifest file that
names them and checks public-key syntax (``manifest.digest`` digests the result when a plan file
needs it). A body file must lie inside the
directory of the manifest file naming it (``files.confine``) unless the caller allows outside files.
Entries marked absent keep only their identity (their files are not read: they may already be gone).
Called by ``manifest.load`` after the semantic checks ran (it tolerates what they reported, so both
sets of issues come at once); file problems come back as issues, never as exceptions.
"""

from __future__ import annotations

import ipaddress
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from vultr_state.errors import ManifestIssue, SourceLocation
from vultr_state.manifest.files import TextFile, confine, read_text
from vultr_state.manifest.merge import Entry, MergedManifest
from vultr_state.manifest.pubkey import normalize_public_key
from vultr_state.model.desired import (
    CATALOG_FIELDS,
    Desired,
    DesiredServer,
    DesiredSnapshot,
    DesiredSshKey,
    DesiredStartupScript,
    Ensure,
    Power,
    ReverseDns,
    Safety,
    ScriptType,
)

MAX_PUBLIC_KEY_BYTES = 16 * 1024
MAX_SCRIPT_BYTES = 1024 * 1024
MAX_USER_DATA_BYTES = 1024 * 1024


def build_desired(
    manifest: MergedManifest, *, allow_outside_files: bool = False
) -> tuple[Desired | None, list[ManifestIssue]]:
    """Build the desired state.

    Args:
        manifest: A combined manifest that passed the schema and semantic checks.
        allow_outside_files: Read body files wherever they are (``--allow-outside-files``).

    Returns:
        The desired state, or None with the issues (unreadable body files or ones outside the
        manifest directory, invalid public keys).
    """
    issues: list[ManifestIssue] = []
    bodies = _Bodies(allow_outside_files, issues)
    ssh_keys = tuple(_ssh_key(entry, bodies) for entry in manifest.ssh_keys)
    scripts = tuple(_script(entry, bodies) for entry in manifest.startup_scripts)
    servers = tuple(_server(manifest, entry, bodies) for entry in manifest.servers)
    snapshots = tuple(_snapshot(entry) for entry in manifest.snapshots)
    safety = Safety(**manifest.safety.data) if manifest.safety is not None else Safety()
    if issues:
        return None, issues
    desired = Desired(
        project=manifest.project,
        ssh_keys=ssh_keys,
        startup_scripts=scripts,
        servers=servers,
        snapshots=snapshots,
        safety=safety,
        sources=manifest.files,
    )
    return desired, []


def _common(entry: Entry) -> dict[str, Any]:
    return {
        "state": Ensure(entry.data.get("state", "present")),
        "protect": entry.data.get("protect", False),
        "location": entry.locate(),
        "renamed_from": entry.data.get("renamed_from"),
    }


def _ssh_key(entry: Entry, bodies: _Bodies) -> DesiredSshKey:
    public_key = None
    if entry.present:
        body = bodies.read(entry, "public_key", "public_key_file", MAX_PUBLIC_KEY_BYTES, "public key file")
        if body is not None:
            field = "public_key" if "public_key" in entry.data else "public_key_file"
            public_key, problem = normalize_public_key(body)
            if problem is not None:
                bodies.issues.append(entry.issue(problem, field))
    return DesiredSshKey(name=entry.identity, public_key=public_key, **_common(entry))


def _script(entry: Entry, bodies: _Bodies) -> DesiredStartupScript:
    script = None
    if entry.present:
        script = bodies.read(entry, "script", "script_file", MAX_SCRIPT_BYTES, "script file")
        if script is not None and not script.strip():
            field = "script" if "script" in entry.data else "script_file"
            bodies.issues.append(entry.issue("the script is empty", field))
    return DesiredStartupScript(
        name=entry.identity,
        script=script,
        type=ScriptType(entry.data.get("type", "boot")),
        **_common(entry),
    )


@dataclass(frozen=True, slots=True)
class _Bodies:
    """Reads entry bodies given inline or in files, collecting the problems."""

    allow_outside_files: bool
    issues: list[ManifestIssue]

    def read(self, entry: Entry, inline: str, from_file: str, limit: int, what: str) -> str | None:
        """The inline body, or the text of the file named (relative to the manifest file)."""
        if inline in entry.data:
            return entry.data[inline]
        written = entry.data.get(from_file)
        if written is None:  # neither given: already reported by the semantic checks
            return None
        base = Path(entry.document.file).parent
        shown = base / written
        target = shown if self.allow_outside_files else confine(written, base)
        if isinstance(target, str):
            self.issues.append(entry.issue(target, from_file))
            return None
        result = read_text(target, str(shown), limit=limit, what=what, at=entry.locate(from_file))
        if isinstance(result, TextFile):
            return result.text
        self.issues.append(ManifestIssue(result.location, (*entry.path, from_file), result.message))
        return None


def _server(manifest: MergedManifest, entry: Entry, bodies: _Bodies) -> DesiredServer:
    if not entry.present:
        return DesiredServer(label=entry.identity, **_common(entry))
    data = manifest.server_fields(entry)
    user_data = None
    if "user_data" in entry.data or "user_data_file" in entry.data:
        user_data = bodies.read(entry, "user_data", "user_data_file", MAX_USER_DATA_BYTES, "user data file")
    return DesiredServer(
        label=entry.identity,
        region=_catalog(data.get("region")),
        plan=_catalog(data.get("plan")),
        os=_catalog(data.get("os")),
        snapshot=data.get("snapshot"),
        iso=data.get("iso"),
        ssh_keys=tuple(data.get("ssh_keys", ())),
        startup_script=data.get("startup_script"),
        ipv6=data.get("ipv6", False),
        private_network=data.get("private_network", False),
        auto_backups=data.get("auto_backups", False),
        power=Power(data.get("power", "running")),
        hostname=data.get("hostname"),
        tag=data.get("tag"),
        tags=tuple(data.get("tags", ())),
        user_data=user_data,
        reverse_dns=_reverse_dns(data.get("reverse_dns")),
        field_locations=_catalog_locations(manifest, entry, data),
        **_common(entry),
    )


def _catalog_locations(
    manifest: MergedManifest, entry: Entry, data: dict[str, Any]
) -> tuple[tuple[str, SourceLocation], ...]:
    """Where each catalog reference of a server was written: on the entry, or in ``defaults``."""
    located = []
    for name in CATALOG_FIELDS:
        if name in entry.data:
            located.append((name, entry.locate(name)))
        elif name in data and manifest.defaults is not None:
            located.append((name, manifest.defaults.locate(name)))
    return tuple(located)


def _catalog(value: str | int | None) -> str | None:
    return None if value is None else str(value)


def _reverse_dns(data: dict[str, Any] | None) -> ReverseDns | None:
    if data is None:
        return None
    extra = tuple((_ipv6(item["ip"]), item["name"]) for item in data.get("ipv6_extra", []))
    return ReverseDns(ipv4=data.get("ipv4"), ipv6=data.get("ipv6"), ipv6_extra=extra)


def _ipv6(text: str) -> str:
    """The canonical (compressed, lower-case) form of an IPv6 address; invalid ones were reported already."""
    try:
        return ipaddress.IPv6Address(text).compressed
    except ValueError:
        return text


def _snapshot(entry: Entry) -> DesiredSnapshot:
    server = entry.data.get("server") if entry.present else None
    return DesiredSnapshot(description=entry.identity, server=server, **_common(entry))
