"""The manifest pipeline: files → YAML → interpolation (+ typing) → schema → merge → semantics → ``Desired``.

``load_manifest`` is the one entry point (re-exported by ``vultr_state.manifest``); the CLI commands
``validate``, ``plan`` and ``apply`` call it. It gathers every problem it can find and raises a single
``ManifestError`` listing them sorted by file (in load order), line and column. Structural problems
(unreadable files, YAML, interpolation, schema) of every file are reported together. Schema problems
do not hide reference problems: ``manifest.prune`` sets the invalid values aside and the semantic
checks that cannot depend on them (references from intact fields, intact entries) run as well; body
files are read and the model built only once the schema problems are fixed. YAML and interpolation
problems stop the whole-manifest checks (values are unknown). A manifest that loads may still carry
warnings (``Desired.warnings``).

Speed: a manifest is first read with libyaml (``parse_document(fast=True)``), which is several times
faster on large files. If that run finds any problem at all, the whole manifest is read again with
PyYAML's pure-Python reader and that run's result stands, so every message and file:line:column is
exactly the reference reader's (the two differ in places, e.g. where an empty value starts).
Python's cyclic garbage collector is paused while a manifest loads (``heap.cyclic_gc_paused``: it
would only walk the growing heap of what the load keeps).
"""

from __future__ import annotations

import os
from collections.abc import Mapping, Sequence
from dataclasses import replace

from vultr_state.errors import ManifestError, ManifestIssue
from vultr_state.heap import cyclic_gc_paused
from vultr_state.manifest.build import build_desired
from vultr_state.manifest.coerce import coerce_substituted
from vultr_state.manifest.files import MAX_MANIFEST_BYTES, TextFile, expand_paths, read_text
from vultr_state.manifest.interpolate import interpolate_document
from vultr_state.manifest.merge import merge_documents
from vultr_state.manifest.prune import Damage, prune_document
from vultr_state.manifest.schema_check import check_document
from vultr_state.manifest.semantics import check_semantics, manifest_warnings
from vultr_state.manifest.unicode_text import normalise_text
from vultr_state.manifest.yaml_source import SourceDocument, parse_document
from vultr_state.model.desired import Desired


def load_manifest(
    paths: Sequence[str | os.PathLike[str]],
    env: Mapping[str, str] | None = None,
    *,
    allow_outside_files: bool = False,
) -> Desired:
    """Load, check and build a manifest.

    Args:
        paths: Manifest files and directories (a directory means its ``*.yaml``/``*.yml`` files in
            sorted order); all of them form one manifest.
        env: Variables for ``${VAR}`` interpolation; ``os.environ`` when None.
        allow_outside_files: Let body files (``script_file``...) lie outside the directory of the
            manifest file naming them (``--allow-outside-files``); refused by default.

    Returns:
        The desired state, with ``digest`` and ``sources`` filled in.

    Raises:
        ManifestError: Listing every problem found, each with file:line:column when known.
    """
    variables = os.environ if env is None else env
    with cyclic_gc_paused():
        try:
            return _load(paths, variables, fast=True, allow_outside_files=allow_outside_files)
        except ManifestError:
            pass  # not raised from here: the reference reader's run below decides, and words the problems
        return _load(paths, variables, fast=False, allow_outside_files=allow_outside_files)


def _load(
    paths: Sequence[str | os.PathLike[str]],
    variables: Mapping[str, str],
    *,
    fast: bool,
    allow_outside_files: bool = False,
) -> Desired:
    files, issues = expand_paths(paths)
    documents: list[SourceDocument] = []
    blocked = False
    damage = Damage()
    for path in files:
        text = read_text(path, str(path), limit=MAX_MANIFEST_BYTES, what="manifest")
        if not isinstance(text, TextFile):
            issues.append(text)
            continue
        document, problems = parse_document(text.text, text.display, fast=fast)
        issues += problems
        if document is None:
            blocked = True
            continue
        interpolated = interpolate_document(document, variables)
        invisible = normalise_text(document, interpolated)
        coerce_substituted(document, interpolated.substituted)
        schema = check_document(document, substituted=interpolated.substituted, failed=interpolated.failed)
        issues += interpolated.issues + invisible + schema.issues
        usable = schema.recoverable or prune_document(document, schema.invalid, damage)
        blocked = blocked or bool(interpolated.issues) or not usable
        documents.append(document)
    if blocked or not documents:
        raise ManifestError(_sorted(issues, files))
    merged, problems = merge_documents(documents)
    issues += problems + check_semantics(merged, damage)
    if damage:  # the body files and the model wait until the schema problems are fixed
        raise ManifestError(_sorted(issues, files))
    desired, problems = build_desired(merged, allow_outside_files=allow_outside_files)
    issues += problems
    if issues or desired is None:
        raise ManifestError(_sorted(issues, files))
    return replace(desired, warnings=tuple(_sorted(manifest_warnings(merged), files)))


def _sorted(issues: list[ManifestIssue], files: Sequence[os.PathLike[str]]) -> list[ManifestIssue]:
    """Issues without a location first, then by file (in load order), line and column."""
    order = {str(path): index for index, path in enumerate(files)}

    def key(issue: ManifestIssue) -> tuple[int, int, int, int]:
        where = issue.location
        if where is None:
            return (0, 0, 0, 0)
        return (1, order.get(where.file, len(order)), where.line, where.column)

    return sorted(issues, key=key)
