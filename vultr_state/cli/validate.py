"""``vultr-state validate PATH...``: load and check a manifest offline (no API key, no API call).

Prints a one-line summary on success (exit 0). On failure ``load_manifest`` raises ``ManifestError``,
which ``cli.app.main`` prints on stderr (one ``file:line:column: path: message`` line per problem)
before exiting 1. Registered by ``vultr_state.cli``.
"""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer

from vultr_state.cli.app import app
from vultr_state.cli.common import AllowOutsideFilesOption, show_manifest_warnings
from vultr_state.model.desired import Desired


@app.command()
def validate(
    paths: Annotated[
        list[Path],
        typer.Argument(
            metavar="PATH...",
            help="Manifest files or directories (a directory means its *.yaml and *.yml files); together "
            "they form one manifest.",
            show_default=False,
        ),
    ],
    allow_outside_files: AllowOutsideFilesOption = False,
) -> None:
    """Check a manifest offline: YAML, schema, references and body files. Needs no API key.

    Catalog names (region, plan, OS) are checked against the live catalog only by `plan`.
    """
    from vultr_state.manifest import load_manifest

    desired = load_manifest(paths, allow_outside_files=allow_outside_files)
    show_manifest_warnings(desired)
    typer.echo(f"{', '.join(str(p) for p in paths)}: valid ({summarize(desired)})")


def summarize(desired: Desired) -> str:
    """``project web: 1 ssh key, 2 scripts, 3 servers, 0 snapshots`` (plus the file count if several)."""
    counts = [
        _count(len(desired.ssh_keys), "ssh key"),
        _count(len(desired.startup_scripts), "script"),
        _count(len(desired.servers), "server"),
        _count(len(desired.snapshots), "snapshot"),
    ]
    files = f"; {len(desired.sources)} files" if len(desired.sources) > 1 else ""
    return f"project {desired.project}: {', '.join(counts)}{files}"


def _count(number: int, noun: str) -> str:
    return f"{number} {noun}{'' if number == 1 else 's'}"
