"""Combining the schema-valid files of one manifest into a single view, and applying server defaults.

A manifest may span several files (a directory): every file names the same ``project``; ``defaults``
and ``safety`` may each be given once; entries of each kind are kept in load order, each remembering
its file and document path so later checks can name its location. Called by ``manifest.load``; the
result feeds ``manifest.semantics`` and ``manifest.build``.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from vultr_state.errors import ManifestIssue, SourceLocation
from vultr_state.manifest.yaml_source import DocPath, SourceDocument

IDENTITY = {"ssh_keys": "name", "startup_scripts": "name", "servers": "label", "snapshots": "description"}
BOOT_SOURCES = ("os", "snapshot", "iso")
_NOT_FOR_ISO = ("ssh_keys", "startup_script")


@dataclass(frozen=True, slots=True)
class Entry:
    """One entry of a kind list (or a ``defaults``/``safety`` block), with where it was written."""

    document: SourceDocument
    path: DocPath
    data: dict[str, Any]

    def locate(self, *sub: str | int, key: bool = False) -> SourceLocation:
        """The location of this entry, or of a value (or key) inside it."""
        return self.document.locate((*self.path, *sub), key=key)

    def issue(self, message: str, *sub: str | int, key: bool = False) -> ManifestIssue:
        """An issue about this entry, or about a value inside it."""
        return ManifestIssue(self.locate(*sub, key=key), (*self.path, *sub), message)

    @property
    def identity(self) -> str:
        """The entry's name, label or description."""
        return self.data[IDENTITY[str(self.path[0])]]

    @property
    def present(self) -> bool:
        """True unless the entry says ``state: absent``."""
        return self.data.get("state", "present") == "present"


@dataclass(frozen=True, slots=True)
class MergedManifest:
    """Every file of a manifest, combined. Kind lists hold entries in load order."""

    project: str
    defaults: Entry | None
    safety: Entry | None
    ssh_keys: tuple[Entry, ...]
    startup_scripts: tuple[Entry, ...]
    servers: tuple[Entry, ...]
    snapshots: tuple[Entry, ...]
    files: tuple[str, ...]

    def kind(self, name: str) -> tuple[Entry, ...]:
        """The entries of kind ``name`` (``"servers"``...)."""
        return getattr(self, name)

    def server_fields(self, server: Entry) -> dict[str, Any]:
        """A server's fields with ``defaults`` applied.

        A default ``os`` is not applied to a server that names another boot source; default SSH keys
        and startup script are not applied to a server booting from an ISO (Vultr ignores them there).
        """
        fields = dict(server.data)
        if self.defaults is None:
            return fields
        boots_elsewhere = any(source in server.data for source in BOOT_SOURCES)
        for key, value in self.defaults.data.items():
            if (
                key in fields
                or (key == "os" and boots_elsewhere)
                or (key in _NOT_FOR_ISO and "iso" in fields)
            ):
                continue
            fields[key] = value
        return fields


def merge_documents(documents: Sequence[SourceDocument]) -> tuple[MergedManifest, list[ManifestIssue]]:
    """Combine schema-valid documents (at least one) into one manifest.

    Args:
        documents: The parsed files, in load order.

    Returns:
        The combined manifest and the issues found combining them (a different project, a second
        ``defaults`` or ``safety`` block).
    """
    issues: list[ManifestIssue] = []
    first = documents[0]
    project = first.data["project"]
    singles: dict[str, Entry] = {}
    kinds: dict[str, list[Entry]] = {name: [] for name in IDENTITY}
    for document in documents:
        if document.data["project"] != project:
            issues.append(
                ManifestIssue(
                    document.locate(("project",)),
                    ("project",),
                    f"'{document.data['project']}' differs from '{project}' given at "
                    f"{first.locate(('project',))} (all files of a manifest name one project)",
                )
            )
        for block in ("defaults", "safety"):
            if block not in document.data:
                continue
            if block in singles:
                earlier = singles[block].document.locate((block,), key=True)
                here = document.locate((block,), key=True)
                issues.append(
                    ManifestIssue(
                        here, (block,), f"given twice (first at {earlier}; give it once per manifest)"
                    )
                )
            else:
                singles[block] = Entry(document, (block,), document.data[block])
        for name, entries in kinds.items():
            for index, data in enumerate(document.data.get(name, [])):
                if data is not None:  # None: an entry removed by ``manifest.prune``
                    entries.append(Entry(document, (name, index), data))
    merged = MergedManifest(
        project=project,
        defaults=singles.get("defaults"),
        safety=singles.get("safety"),
        ssh_keys=tuple(kinds["ssh_keys"]),
        startup_scripts=tuple(kinds["startup_scripts"]),
        servers=tuple(kinds["servers"]),
        snapshots=tuple(kinds["snapshots"]),
        files=tuple(document.file for document in documents),
    )
    return merged, issues
