"""Finding manifest files and reading text files safely: the loader's only contact with the file system.

``expand_paths`` turns the paths a user gave (files or directories) into the ordered list of manifest
files; ``read_text`` reads one file with a size bound and refuses binary or non-UTF-8 content with the
exact position of the first bad byte; ``confine`` keeps a body file a manifest names inside that
manifest file's directory (no absolute path, no ``..`` or symbolic link leading out of it), so a
manifest cannot upload ``/etc/shadow`` as a startup script. Called by ``manifest.load`` (manifest
files) and ``manifest.build`` (public-key, script and user-data files). Every failure is a
``ManifestIssue`` or a message, never an ``OSError`` or ``UnicodeDecodeError``.
"""

from __future__ import annotations

import os
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

from vultr_state.errors import ManifestIssue, SourceLocation

MANIFEST_SUFFIXES = (".yaml", ".yml")
MAX_MANIFEST_BYTES = 4 * 1024 * 1024


@dataclass(frozen=True, slots=True)
class TextFile:
    """A decoded text file: ``display`` is the name used in messages, ``path`` the file to open."""

    display: str
    path: Path
    text: str


def expand_paths(paths: Sequence[str | os.PathLike[str]]) -> tuple[list[Path], list[ManifestIssue]]:
    """List the manifest files named by ``paths``, in load order.

    A file is taken as is (whatever its suffix); a directory stands for its ``*.yaml`` and ``*.yml``
    files (not recursive, hidden files skipped) in sorted order. A file reached twice is loaded once.

    Args:
        paths: Files and directories, as the user gave them.

    Returns:
        The files to load, and one issue per path that is missing or names an empty directory.
    """
    files: list[Path] = []
    issues: list[ManifestIssue] = []
    seen: set[Path] = set()
    if not paths:
        issues.append(ManifestIssue(None, (), "no manifest path given"))
    for raw in paths:
        path = Path(raw)
        if path.is_dir():
            found = _directory_manifests(path)
            if found is None:
                issues.append(ManifestIssue(None, (), f"cannot list directory '{path}'"))
            elif not found:
                issues.append(ManifestIssue(None, (), f"directory '{path}' holds no *.yaml or *.yml file"))
            candidates = found or []
        elif path.exists():
            candidates = [path]
        else:
            issues.append(ManifestIssue(None, (), f"'{path}': no such file or directory"))
            candidates = []
        for candidate in candidates:
            key = candidate.resolve()
            if key not in seen:
                seen.add(key)
                files.append(candidate)
    return files, issues


def _directory_manifests(directory: Path) -> list[Path] | None:
    try:
        entries = sorted(directory.iterdir(), key=lambda p: p.name)
    except OSError:
        return None
    return [
        entry
        for entry in entries
        if entry.suffix in MANIFEST_SUFFIXES and not entry.name.startswith(".") and not entry.is_dir()
    ]


def read_text(
    path: Path, display: str, *, limit: int, what: str, at: SourceLocation | None = None
) -> TextFile | ManifestIssue:
    """Read ``path`` as UTF-8 text of at most ``limit`` bytes.

    Args:
        path: The file to open.
        display: How to name the file in messages.
        limit: The largest size accepted, in bytes.
        what: What the file is, for messages ("manifest", "public key file"...).
        at: Where to report problems; by default the file itself (line 1, or the bad byte).

    Returns:
        The decoded text (a leading byte-order mark dropped), or the issue that prevented it.
    """
    start = at or SourceLocation(display, 1, 1)
    try:
        with path.open("rb") as handle:
            data = handle.read(limit + 1)
    except IsADirectoryError:
        return ManifestIssue(start, (), f"{what} '{display}' is a directory")
    except OSError as exc:
        reason = exc.strerror or type(exc).__name__
        return ManifestIssue(start, (), f"cannot read {what} '{display}': {reason.lower()}")
    if len(data) > limit:
        return ManifestIssue(start, (), f"{what} '{display}' is too large (the limit is {_size(limit)})")
    nul = data.find(b"\x00")
    if nul >= 0:
        where = at or _byte_location(display, data, nul)
        return ManifestIssue(
            where, (), f"{what} '{display}' is a binary file (NUL byte); expected UTF-8 text"
        )
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        where = at or _byte_location(display, data, exc.start)
        bad = data[exc.start]
        return ManifestIssue(
            where, (), f"{what} '{display}' is not valid UTF-8 (byte 0x{bad:02x}); expected UTF-8 text"
        )
    return TextFile(display, path, text)


def confine(written: str, base: Path) -> Path | str:
    """Where the body file ``written`` (as a manifest gives it) is, if it lies inside ``base``.

    Args:
        written: The path as written in the manifest, relative to the manifest file.
        base: The directory of the manifest file that names it.

    Returns:
        The file to open (symbolic links resolved, so what is checked is what is read), or a message
        saying how ``written`` points outside ``base``: an absolute path, ``..`` or a symbolic link.
    """
    given = Path(written)
    hint = "--allow-outside-files allows outside files"
    outside = f"'{written}' points outside the manifest directory"
    if given.is_absolute():
        return f"{outside} (an absolute path: give it relative to the manifest file; {hint})"
    root = base.resolve()
    target = (base / given).resolve()
    if target.is_relative_to(root):
        return target
    link = _link_leading_out(given, base, root)
    how = f"the symbolic link '{link}' leads out of it" if link else "'..' climbs out of it"
    return f"{outside} ({how}; {hint})"


def _link_leading_out(given: Path, base: Path, root: Path) -> Path | None:
    """The first symbolic link along ``given`` (from ``base``) that resolves outside ``root``, if any."""
    for end in range(1, len(given.parts) + 1):
        prefix = Path(*given.parts[:end])
        if prefix.parts[-1] == "..":
            if not (base / prefix).resolve().is_relative_to(root):
                return None  # climbed out by '..' before any link did
            continue
        if (base / prefix).is_symlink() and not (base / prefix).resolve().is_relative_to(root):
            return prefix
    return None


def _byte_location(display: str, data: bytes, offset: int) -> SourceLocation:
    """The 1-based line and column (in characters) of byte ``offset``."""
    line_start = data.rfind(b"\n", 0, offset) + 1
    column = len(data[line_start:offset].decode("utf-8", errors="replace")) + 1
    return SourceLocation(display, data.count(b"\n", 0, offset) + 1, column)


def _size(limit: int) -> str:
    return f"{limit // (1024 * 1024)} MiB" if limit >= 1024 * 1024 else f"{limit // 1024} KiB"
