"""Checks that need the whole manifest: identities, references and impossible combinations.

Runs on a schema-valid ``MergedManifest`` (so types are known) and reports, each at its location:
duplicate identities (even across files, naming both places); reserved script names; entries whose
body is missing or given twice; ``protect`` on an entry marked absent; servers missing a region,
plan or boot source after defaults, or naming two boot sources; references to unknown or absent
SSH keys, scripts, snapshots and servers (with "did you mean" suggestions); reverse IPv6 without
IPv6; invalid or repeated extra IPv6 addresses; snapshot/server boot cycles. Called by
``manifest.load``; ``manifest.build`` relies on these checks having passed.
"""

from __future__ import annotations

import difflib
import ipaddress

from vultr_state.errors import ManifestIssue
from vultr_state.manifest.merge import BOOT_SOURCES, IDENTITY, Entry, MergedManifest

REGISTRY_PREFIX = "vultr-state:"

_NOUN = {
    "ssh_keys": "SSH key",
    "startup_scripts": "startup script",
    "servers": "server",
    "snapshots": "snapshot",
}
_IDENTITY_NOUN = {"name": "name", "label": "label", "description": "description"}
# kind → identity → the entries of that kind with that identity, in load order
_Named = dict[str, dict[str, list[Entry]]]
_BODIES = {"ssh_keys": ("public_key", "public_key_file"), "startup_scripts": ("script", "script_file")}


def check_semantics(manifest: MergedManifest) -> list[ManifestIssue]:
    """Every semantic problem of ``manifest``.

    Args:
        manifest: The combined, schema-valid manifest.

    Returns:
        The issues, in no particular order (the loader sorts them).
    """
    issues: list[ManifestIssue] = []
    named = _index(manifest)
    for kind in IDENTITY:
        issues += _duplicates(manifest, kind)
        for entry in manifest.kind(kind):
            if not entry.present and entry.data.get("protect"):
                issues.append(
                    entry.issue(
                        "protect: true cannot go with state: absent (nothing would be destroyed)", "protect"
                    )
                )
    for kind, (inline, from_file) in _BODIES.items():
        for entry in manifest.kind(kind):
            if entry.present:
                issues += _one_body(entry, inline, from_file)
    for script in manifest.startup_scripts:
        if script.identity.startswith(REGISTRY_PREFIX):
            issues.append(
                script.issue(
                    f"script names starting with '{REGISTRY_PREFIX}' are reserved for the ownership registry",
                    "name",
                )
            )
    if manifest.defaults is not None:
        issues += _references(manifest, named, manifest.defaults)
    for server in manifest.servers:
        if server.present:
            issues += _server(manifest, named, server)
    issues += _snapshots(manifest, named)
    issues += _cycles(manifest)
    return issues


def _index(manifest: MergedManifest) -> _Named:
    """Every entry of each kind by identity (in load order), so a reference resolves in one look-up."""
    named: _Named = {kind: {} for kind in IDENTITY}
    for kind, by_identity in named.items():
        for entry in manifest.kind(kind):
            by_identity.setdefault(entry.identity, []).append(entry)
    return named


def _duplicates(manifest: MergedManifest, kind: str) -> list[ManifestIssue]:
    field = IDENTITY[kind]
    first: dict[str, Entry] = {}
    issues = []
    for entry in manifest.kind(kind):
        earlier = first.setdefault(entry.identity, entry)
        if earlier is not entry:
            issues.append(
                entry.issue(
                    f"duplicate {_NOUN[kind]} {_IDENTITY_NOUN[field]} '{entry.identity}' "
                    f"(first defined at {earlier.locate(field)})",
                    field,
                )
            )
    return issues


def _one_body(entry: Entry, inline: str, from_file: str) -> list[ManifestIssue]:
    given = [name for name in (inline, from_file) if name in entry.data]
    if not given:
        return [entry.issue(f"needs {inline} or {from_file}")]
    if len(given) == 2:
        return [entry.issue(f"give either {inline} or {from_file}, not both", from_file, key=True)]
    return []


def _server(manifest: MergedManifest, named: _Named, server: Entry) -> list[ManifestIssue]:
    issues = []
    given = [source for source in BOOT_SOURCES if source in server.data]
    if len(given) > 1:
        issues.append(
            server.issue(
                f"conflicting boot sources: {' and '.join(given)} (give only one)", given[1], key=True
            )
        )
    fields = manifest.server_fields(server)
    for required in ("region", "plan"):
        if required not in fields:
            issues.append(
                ManifestIssue(
                    server.locate(), (*server.path, required), f"required (no default {required} given)"
                )
            )
    if not any(source in fields for source in BOOT_SOURCES):
        issues.append(
            ManifestIssue(
                server.locate(),
                (*server.path, "os"),
                "required (no os, snapshot or iso given, and no default os)",
            )
        )
    if "iso" in server.data:
        for field in ("ssh_keys", "startup_script"):
            if field in server.data:
                issues.append(
                    server.issue(
                        f"{field} cannot be used with a server that boots from an ISO", field, key=True
                    )
                )
    issues += _references(manifest, named, server)
    reverse = fields.get("reverse_dns", {})
    if not fields.get("ipv6"):
        for field in ("ipv6", "ipv6_extra"):
            if field in reverse:
                issues.append(
                    server.issue(
                        "reverse DNS for IPv6 needs ipv6: true on the server", "reverse_dns", field, key=True
                    )
                )
    seen: dict[ipaddress.IPv6Address, int] = {}
    for index, extra in enumerate(reverse.get("ipv6_extra", [])):
        try:
            address = ipaddress.IPv6Address(extra["ip"])
        except ValueError:
            issues.append(
                server.issue(
                    f"'{extra['ip']}' is not an IPv6 address", "reverse_dns", "ipv6_extra", index, "ip"
                )
            )
            continue
        if address in seen:
            issues.append(
                server.issue(
                    f"IPv6 address {address} is already listed (ipv6_extra.{seen[address]})",
                    "reverse_dns",
                    "ipv6_extra",
                    index,
                    "ip",
                )
            )
        seen.setdefault(address, index)
    return issues


def _references(manifest: MergedManifest, named: _Named, entry: Entry) -> list[ManifestIssue]:
    """The SSH key, script and snapshot references written in ``entry`` (a server or defaults)."""
    issues = []
    for index, name in enumerate(entry.data.get("ssh_keys", [])):
        issues += _resolve(manifest, named, entry, "ssh_keys", name, ("ssh_keys", index))
    if "startup_script" in entry.data:
        issues += _resolve(
            manifest, named, entry, "startup_scripts", entry.data["startup_script"], ("startup_script",)
        )
    if "snapshot" in entry.data:
        issues += _resolve(manifest, named, entry, "snapshots", entry.data["snapshot"], ("snapshot",))
    return issues


def _resolve(
    manifest: MergedManifest,
    named: _Named,
    entry: Entry,
    kind: str,
    name: str,
    sub: tuple[str | int, ...],
) -> list[ManifestIssue]:
    matches = named[kind].get(name, [])
    noun = _NOUN[kind]
    if not matches:
        known = [target.identity for target in manifest.kind(kind) if target.present]
        close = difflib.get_close_matches(name, known, n=1, cutoff=0.6)
        hint = (
            f"did you mean '{close[0]}'?" if close else f"no entry of {kind} in the manifest is called that"
        )
        return [entry.issue(f"unknown {noun} '{name}' ({hint})", *sub)]
    if not any(target.present for target in matches):
        return [entry.issue(f"{noun} '{name}' is marked absent (at {matches[0].locate('state')})", *sub)]
    return []


def _snapshots(manifest: MergedManifest, named: _Named) -> list[ManifestIssue]:
    issues = []
    for snapshot in manifest.snapshots:
        if not snapshot.present:
            continue
        if "server" not in snapshot.data:
            issues.append(snapshot.issue("needs server (the label of the server to take it from)"))
            continue
        issues += _resolve(manifest, named, snapshot, "servers", snapshot.data["server"], ("server",))
    return issues


def _cycles(manifest: MergedManifest) -> list[ManifestIssue]:
    """Servers that (through snapshots) would have to exist before themselves."""
    sources = {s.identity: s.data.get("server") for s in manifest.snapshots if s.present}
    needs = {
        server.identity: sources.get(server.data.get("snapshot", ""))
        for server in manifest.servers
        if server.present and "snapshot" in server.data
    }
    issues = []
    for server in manifest.servers:
        if not server.present or server.identity not in needs:
            continue
        chain = [server.identity]
        current = needs[server.identity]
        while current is not None and current not in chain:
            chain.append(current)
            current = needs.get(current)
        if current == server.identity:
            loop = " → ".join([*chain, server.identity])
            issues.append(
                server.issue(
                    f"boots from a snapshot that needs this server first (cycle: {loop})", "snapshot"
                )
            )
    return issues
