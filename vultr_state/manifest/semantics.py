"""Checks that need the whole manifest: identities, references and impossible combinations.

Runs on a schema-valid ``MergedManifest`` (so types are known) and reports, each at its location:
duplicate identities (even across files, naming both places); reserved script names; entries whose
body is missing or given twice; ``protect`` on an entry marked absent; servers missing a region,
plan or boot source after defaults, or naming two boot sources; references to unknown or absent
SSH keys, scripts and snapshots (with "did you mean" suggestions; a snapshot's source server is
checked by the planner, which knows whether the snapshot already exists); reverse IPv6 without
IPv6; invalid or repeated extra IPv6 addresses; snapshot/server boot cycles; reserved
``vultr-state:`` tags; user data given twice; ``renamed_from`` that names the entry itself, a name
another entry still holds, or a name two entries claim (naming both places). ``manifest_warnings``
finds what is allowed but probably wrong (a pxe-type script as a server's startup script). Called by
``manifest.load``; ``manifest.build`` relies on these checks having passed.
"""

from __future__ import annotations

import difflib
import ipaddress

from vultr_state.errors import ManifestIssue
from vultr_state.manifest.merge import BOOT_SOURCES, IDENTITY, Entry, MergedManifest
from vultr_state.manifest.prune import Damage

REGISTRY_PREFIX = "vultr-state:"

_NOUN = {
    "ssh_keys": "SSH key",
    "startup_scripts": "startup script",
    "servers": "server",
    "snapshots": "snapshot",
}
_IDENTITY_NOUN = {"name": "name", "label": "label", "description": "description"}


class _Named(dict[str, dict[str, list[Entry]]]):
    """kind → identity → the entries of that kind with that identity, in load order. ``targets``
    records, for each reference problem found (by ``id``), the kind its name was looked up in."""

    def __init__(self) -> None:
        super().__init__()
        self.targets: dict[int, str] = {}


_BODIES = {"ssh_keys": ("public_key", "public_key_file"), "startup_scripts": ("script", "script_file")}


def check_semantics(manifest: MergedManifest, damage: Damage | None = None) -> list[ManifestIssue]:
    """Every semantic problem of ``manifest``.

    Args:
        manifest: The combined, schema-valid manifest.
        damage: What ``manifest.prune`` removed to make it schema-valid, if anything: then only the
            problems that the removed values cannot have caused are reported (references from intact
            fields into complete kinds, checks of intact entries).

    Returns:
        The issues, in no particular order (the loader sorts them).
    """
    named = _index(manifest)
    issues = _all_problems(manifest, named)
    if not damage:
        return issues
    return [issue for issue in issues if _unaffected(issue, named, damage)]


def _unaffected(issue: ManifestIssue, named: _Named, damage: Damage) -> bool:
    target = named.targets.get(id(issue))
    if target is not None:  # a reference: the name looked up is intact; the kind may not be
        return target not in damage.incomplete
    path = issue.path
    if not path or issue.location is None:
        return True
    if path[0] == "defaults":
        return not damage.defaults
    if path[0] == "servers" and damage.defaults:
        return False
    return (issue.location.file, path[:2]) not in damage.entries


def _all_problems(manifest: MergedManifest, named: _Named) -> list[ManifestIssue]:
    issues: list[ManifestIssue] = []
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
    for server in manifest.servers:
        if "user_data" in server.data and "user_data_file" in server.data:
            issues.append(
                server.issue("give either user_data or user_data_file, not both", "user_data_file", key=True)
            )
    for entry in (manifest.defaults, *manifest.servers):
        if entry is not None:
            issues += _reserved_tags(entry)
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
    for kind in IDENTITY:
        issues += _renames(manifest, named, kind)
    return issues


def manifest_warnings(manifest: MergedManifest) -> list[ManifestIssue]:
    """What a valid manifest says that is probably not meant: a pxe-type startup script given to a
    server (directly or as the default), which Vultr runs through iPXE rather than on first boot; a
    snapshot whose source server is not in the manifest but close to a label that is (a typo, unless
    the snapshot exists already: then its server no longer matters)."""
    return _snapshot_source_warnings(manifest) + _pxe_warnings(manifest)


def _snapshot_source_warnings(manifest: MergedManifest) -> list[ManifestIssue]:
    labels = [s.identity for s in manifest.servers]
    warnings = []
    for snapshot in manifest.snapshots:
        source = snapshot.data.get("server")
        if not snapshot.present or not isinstance(source, str) or source in labels:
            continue
        close = difflib.get_close_matches(source, labels, n=1, cutoff=0.6)
        if close:
            warnings.append(
                snapshot.issue(
                    f"server '{source}' is not in the manifest (did you mean '{close[0]}'?): fine if the "
                    "snapshot exists already (its server is used only to take it); a plan that has to take "
                    "it refuses",
                    "server",
                )
            )
    return warnings


def _pxe_warnings(manifest: MergedManifest) -> list[ManifestIssue]:
    scripts = {
        entry.identity: entry
        for entry in manifest.startup_scripts
        if entry.present and entry.data.get("type") == "pxe"
    }
    warnings: list[ManifestIssue] = []
    if not scripts:
        return warnings
    for server in manifest.servers:
        if not server.present:
            continue
        name = manifest.server_fields(server).get("startup_script")
        script = scripts.get(name) if name is not None else None
        if script is None:
            continue
        given = "startup_script" in server.data
        warnings.append(
            ManifestIssue(
                server.locate("startup_script") if given else server.locate(),
                (*server.path, "startup_script"),
                f"startup script '{name}'{'' if given else ' (the default)'} has type pxe (defined at "
                f"{script.locate('type')}): Vultr runs it through iPXE instead of booting the OS, so the "
                "server's OS never runs it; give a boot script unless the server really boots over iPXE",
            )
        )
    return warnings


def _renames(manifest: MergedManifest, named: _Named, kind: str) -> list[ManifestIssue]:
    """``renamed_from`` that cannot be followed: onto itself, from a name still listed, or claimed twice."""
    field = IDENTITY[kind]
    claimed: dict[str, Entry] = {}
    issues = []
    for entry in manifest.kind(kind):
        old = entry.data.get("renamed_from")
        if old is None:
            continue
        if not entry.present:
            issues.append(entry.issue("renamed_from cannot go with state: absent", "renamed_from"))
            continue
        if old == entry.identity:
            issues.append(entry.issue(f"renamed_from names this entry's own {field}", "renamed_from"))
            continue
        holders = named[kind].get(old, [])
        if holders:
            issues.append(
                entry.issue(
                    f"renamed from '{old}', but the {_NOUN[kind]} at {holders[0].locate(field)} is still "
                    f"called '{old}' (one object cannot become both; remove that entry or this renamed_from)",
                    "renamed_from",
                )
            )
        earlier = claimed.setdefault(old, entry)
        if earlier is not entry:
            issues.append(
                entry.issue(
                    f"'{old}' is already renamed to '{earlier.identity}' at {earlier.locate('renamed_from')} "
                    "(one object can be renamed only once)",
                    "renamed_from",
                )
            )
    return issues


def _index(manifest: MergedManifest) -> _Named:
    """Every entry of each kind by identity (in load order), so a reference resolves in one look-up."""
    named = _Named()
    named.update({kind: {} for kind in IDENTITY})
    for kind, by_identity in named.items():
        for entry in manifest.kind(kind):
            by_identity.setdefault(entry.identity, []).append(entry)
    return named


def _reserved_tags(entry: Entry) -> list[ManifestIssue]:
    return [
        entry.issue(
            f"tags starting with '{REGISTRY_PREFIX}' are reserved (vultr-state marks the servers a project "
            "owns with them)",
            "tags",
            index,
        )
        for index, tag in enumerate(entry.data.get("tags", []))
        if tag.startswith(REGISTRY_PREFIX)
    ]


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
            if server.data.get(field) is not None:
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
    if entry.data.get("startup_script") is not None:  # null: no script, not even the default one
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
        renamed = next((t for t in manifest.kind(kind) if t.data.get("renamed_from") == name), None)
        known = [target.identity for target in manifest.kind(kind) if target.present]
        close = difflib.get_close_matches(name, known, n=1, cutoff=0.6)
        if renamed is not None:
            hint = f"it is renamed to '{renamed.identity}' at {renamed.locate('renamed_from')}"
        elif close:
            hint = f"did you mean '{close[0]}'?"
        else:
            hint = f"no entry of {kind} in the manifest is called that"
        problem = entry.issue(f"unknown {noun} '{name}' ({hint})", *sub)
    elif not any(target.present for target in matches):
        problem = entry.issue(f"{noun} '{name}' is marked absent (at {matches[0].locate('state')})", *sub)
    else:
        return []
    named.targets[id(problem)] = kind
    return [problem]


def _snapshots(manifest: MergedManifest, named: _Named) -> list[ManifestIssue]:
    issues = []
    for snapshot in manifest.snapshots:
        if not snapshot.present:
            continue
        if "server" not in snapshot.data:
            issues.append(snapshot.issue("needs server (the label of the server to take it from)"))
        # The source server is create-time only: once the snapshot exists its server may be absent or
        # gone (a golden image outlives its builder). Whether it must exist depends on the account, so
        # the planner checks it, and only for a snapshot it has to take.
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
