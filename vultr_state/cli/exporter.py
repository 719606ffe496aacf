"""Export: turn an account's live state into a manifest document and script files, the way to
bring an existing account under vultr-state.

SSH keys are written with their public key inline, startup scripts with their bodies in files under
``scripts/`` next to the manifest (mode 0600; bodies are never printed), servers with region, plan and
OS by catalog name plus IPv6, private networking, backups, power state, tag and reverse DNS; the project's
own objects keep ``protect: true`` and its servers their SSH keys, startup script and host name
(recalled from the registry's digests). Planning the result right away shows adoptions only; after
applying it, no changes. Objects owned by another project are left out (one line per project), nameless
objects and identity clashes with a warning. Snapshots are listed in a comment:
Neither API says which server a snapshot was taken from, and a manifest snapshot must name its server.

Called by ``vultr_state.cli.export``; pure except ``write_export``.
"""

from __future__ import annotations

import os
import re
from collections import Counter
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from vultr_state import __version__
from vultr_state.errors import ConfigError
from vultr_state.manifest.dump import dump_manifest
from vultr_state.model.live import Live, LiveServer
from vultr_state.model.registry import OwnedObject
from vultr_state.model.server import BootKind, PowerState
from vultr_state.resources.server_recall import recall

_UNSAFE_FILE_CHARS = re.compile(r"[^A-Za-z0-9._-]+")
CONTROL_CHARS = re.compile(r"[\x00-\x1f\x7f]")


@dataclass(frozen=True, slots=True)
class Exported:
    """What ``build_export`` produced: the manifest text, script files (relative path → body) and
    warnings about what was left out."""

    manifest: str
    scripts: tuple[tuple[str, str], ...]
    warnings: tuple[str, ...]
    counts: tuple[tuple[str, int], ...]


def build_export(project: str, live: Live, others: dict[tuple[str, str], str]) -> Exported:
    """Turn live state into manifest text and script files (pure).

    Ownership is seen as the planner sees it: objects other projects own are left out (one summary line
    per owning project), the objects ``live.registry`` says the exported project owns are always kept
    (even when an unowned object shares the name), with ``protect: true`` where the registry has it and
    the create-time fields of owned servers recalled from their recorded digests.

    Args:
        project: The new manifest's project.
        live: The account, with reverse DNS read for every server and the project's registry.
        others: ``(kind, id) → project`` for objects other projects own (left out).
    """
    warnings: list[str] = []
    elsewhere: dict[str, Counter[str]] = {}
    mine = {(o.kind, o.id): o for o in live.registry.owned}

    def keep(kind: str, items: list[tuple[str, Any]]) -> list[Any]:
        """Drop objects owned elsewhere, nameless ones and identity clashes (the project's own object
        wins a clash, as in a plan)."""
        items = [
            (name, obj) for name, obj in items if not _counted_elsewhere(kind, obj.id, others, elsewhere)
        ]
        names = Counter(name for name, _ in items)
        owned_names = Counter(name for name, obj in items if (kind, obj.id) in mine)
        kept = []
        for name, obj in items:
            if not name.strip() or name != name.strip() or CONTROL_CHARS.search(name):
                warnings.append(f"{kind} {obj.id} has no usable name ({name!r}); skipped")
            elif names[name] > 1 and owned_names[name] != 1:
                ids = ", ".join(o.id for n, o in items if n == name)
                warnings.append(f"{kind} name {name!r} is used by {names[name]} objects ({ids}); skipped")
            elif names[name] > 1 and (kind, obj.id) not in mine:
                warnings.append(
                    f"{kind} {obj.id} ({name!r}) shares its name with one the project owns; skipped"
                )
            else:
                kept.append(obj)
        return kept

    keys = keep("ssh_key", [(k.name, k) for k in live.ssh_keys])
    scripts = keep("startup_script", [(s.name, s) for s in live.startup_scripts])
    servers = []
    for server in keep("server", [(s.label, s) for s in live.servers]):
        if server.ready:
            servers.append(server)
        else:  # its IPv6 and private network are not readable until it is active
            warnings.append(
                f"server {server.id} ({server.label!r}) is still being installed "
                f"(status {server.install.phase}); skipped: export again once it is active"
            )
    snapshots = keep("snapshot", [(s.description, s) for s in live.snapshots])
    warnings[:0] = [_elsewhere_line(owner, kinds) for owner, kinds in sorted(elsewhere.items())]

    def protect(kind: str, obj_id: str) -> dict[str, bool]:
        owned = mine.get((kind, obj_id))
        return {"protect": True} if owned is not None and owned.protect else {}

    script_files = _script_files(scripts)
    document: dict[str, Any] = {"project": _literal(project)}
    if keys:
        document["ssh_keys"] = [
            {"name": _literal(k.name), "public_key": _literal(k.public_key), **protect("ssh_key", k.id)}
            for k in keys
        ]
    if scripts:
        document["startup_scripts"] = [
            {"name": _literal(s.name), "type": s.type, "script_file": path, **protect("startup_script", s.id)}
            for s, (path, _body) in zip(scripts, script_files, strict=True)
        ]
    if servers:
        names = ([k.name for k in keys], [s.name for s in scripts])
        document["servers"] = [
            {**_server_entry(s, live, warnings, mine.get(("server", s.id)), names), **protect("server", s.id)}
            for s in servers
        ]
    header = (
        f"# Exported by vultr-state {__version__} from the account's live state.\n"
        f"# Plan it (`vultr-state plan`) to review the adoptions, then apply it to take ownership.\n"
    )
    text = header + dump_manifest(document)
    text += _snapshot_comment(snapshots)
    counts = (("SSH key", len(keys)), ("startup script", len(scripts)), ("server", len(servers)))
    return Exported(text, tuple(script_files), tuple(warnings), counts)


def _counted_elsewhere(
    kind: str, obj_id: str, others: dict[tuple[str, str], str], elsewhere: dict[str, Counter[str]]
) -> bool:
    """True (after counting it) when another project owns the object."""
    owner = others.get((kind, obj_id))
    if owner is None:
        return False
    elsewhere.setdefault(owner, Counter())[kind] += 1
    return True


def _elsewhere_line(owner: str, kinds: Counter[str]) -> str:
    listed = ", ".join(f"{n} {_NOUNS[kind]}{'' if n == 1 else 's'}" for kind, n in sorted(kinds.items()))
    return f"left out what project {owner!r} owns: {listed}"


_NOUNS = {
    "ssh_key": "SSH key",
    "startup_script": "startup script",
    "server": "server",
    "snapshot": "snapshot",
}


def _recalled_fields(
    server: LiveServer, owned: OwnedObject, names: tuple[list[str], list[str]], warnings: list[str]
) -> dict[str, Any]:
    """The create-time fields of an owned server, recalled from its registry digest (see
    ``resources.server_recall``), so that a plan of the export shows no change to them."""
    recalled = recall(owned.create_digest, server.label, *names)
    if recalled is None:
        return {}
    fields: dict[str, Any] = {"ssh_keys": [_literal(k) for k in recalled.ssh_keys]}
    if recalled.startup_script:
        fields["startup_script"] = _literal(recalled.startup_script)
    if recalled.hostname:
        fields["hostname"] = _literal(recalled.hostname)
    unknown = recalled.unknown
    if server.hostname is not None:  # v2 reads the host name back: no need to recall it
        fields["hostname"] = _literal(server.hostname)
        unknown = tuple(name for name in unknown if name != "hostname")
    for name in unknown:
        fields.pop(name, None)
        warnings.append(
            f"server {server.label!r}: its {name} could not be recalled from the registry; set it in the "
            "manifest, or the plan shows a create-time change"
        )
    return fields


def _server_entry(
    server: LiveServer,
    live: Live,
    warnings: list[str],
    owned: OwnedObject | None = None,
    names: tuple[list[str], list[str]] = ([], []),
) -> dict[str, Any]:
    regions = {r.id: r.name for r in live.catalog.regions}
    plans = {p.id: p.name for p in live.catalog.plans}
    oses = {o.id: o.name for o in live.catalog.oses}
    entry: dict[str, Any] = {
        "label": _literal(server.label),
        "region": _literal(regions.get(server.region_id, server.region_id)),
        "plan": _literal(plans.get(server.plan_id, server.plan_id)),
        "os": _literal(oses.get(server.os_id, server.os_id)),
        "ipv6": server.ipv6_enabled,
        "private_network": server.internal_ip is not None,
        "auto_backups": server.auto_backups,
        "power": "stopped" if server.power is PowerState.STOPPED else "running",
    }
    if server.boot is not BootKind.OS:
        warnings.append(
            f"server {server.label!r} was booted from an ISO or a snapshot; its os entry is {entry['os']!r}: "
            "check it before applying"
        )
    if owned is not None:
        entry.update(_recalled_fields(server, owned, names, warnings))
    if len(server.tags) > 1:  # v2's list; v1 has one tag
        entry["tags"] = [_literal(t) for t in server.tags]
    elif server.tag:
        entry["tag"] = _literal(server.tag)
    reverse = _reverse_entry(server, live)
    if reverse:
        entry["reverse_dns"] = reverse
    return entry


def _reverse_entry(server: LiveServer, live: Live) -> dict[str, Any]:
    record = next((r for r in live.reverse_dns if r.server_id == server.id), None)
    if record is None:
        return {}
    entry: dict[str, Any] = {}
    ipv4 = dict(record.ipv4).get(server.main_ip or "")
    if ipv4:
        entry["ipv4"] = _literal(ipv4)
    extra = []
    for ip, name in record.ipv6:
        if not name:
            continue
        if server.v6_main_ip and ip.lower() == server.v6_main_ip.lower():
            entry["ipv6"] = _literal(name)
        else:
            extra.append({"ip": ip, "name": _literal(name)})
    if extra:
        entry["ipv6_extra"] = extra
    return entry


def _script_files(scripts: list[Any]) -> list[tuple[str, str]]:
    """(``scripts/<name>.sh``, body) per script; names made file-safe and unique."""
    used: set[str] = set()
    files = []
    for script in scripts:
        stem = file_stem(script.name)
        if stem.lower() in used:
            stem = f"{stem}-{script.id}"
        used.add(stem.lower())
        suffix = ".ipxe" if script.type == "pxe" else ".sh"
        files.append((f"scripts/{stem}{suffix}", script.script))
    return files


def _snapshot_comment(snapshots: list[Any]) -> str:
    if not snapshots:
        return ""
    lines = [
        "",
        "# Snapshots are not exported: the API does not say which server a snapshot was taken from.",
        "# To manage one, add it under `snapshots:` with the label of its source server, e.g.",
        "#   - description: <description>",
        "#     server: <label>",
        "# Snapshots in the account:",
    ]
    lines += [f"#   {CONTROL_CHARS.sub(' ', s.description)} (id {s.id}, {s.state})" for s in snapshots]
    return "\n".join(lines) + "\n"


def _literal(text: str) -> str:
    """A string the manifest loader will read back unchanged (``$`` escaped against interpolation)."""
    return text.replace("$", "$$")


def file_stem(name: str) -> str:
    return _UNSAFE_FILE_CHARS.sub("-", name).strip("-.") or "unnamed"


def write_export(result: Exported, manifest_path: Path, *, overwrite: bool) -> None:
    """Write the manifest and its script files, refusing to replace files unless ``overwrite``.

    Raises:
        ConfigError: a file exists (without ``overwrite``) or cannot be written.
    """
    base = manifest_path.parent
    targets = [(manifest_path, result.manifest, 0o644)]
    targets += [(base / relative, body, 0o600) for relative, body in result.scripts]
    if not overwrite:
        existing = [str(path) for path, _, _ in targets if path.exists()]
        if existing:
            listed = ", ".join(existing)
            raise ConfigError(f"refusing to overwrite existing files (use --overwrite): {listed}")
    try:
        for path, text, mode in targets:
            path.parent.mkdir(parents=True, exist_ok=True)
            descriptor = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, mode)
            with os.fdopen(descriptor, "w", encoding="utf-8", newline="") as handle:
                handle.write(text)
    except OSError as exc:
        raise ConfigError(f"cannot write the export: {exc.strerror or exc} ({exc.filename})") from exc
