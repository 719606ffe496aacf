"""``vultr-state export --project NAME``: write a manifest from the account's live state (the way to
adopt an existing account). The work is done by ``vultr_state.cli.exporter``; this module reads the
account, writes the files and reports. Registered by ``vultr_state.cli``.
"""

from __future__ import annotations

import logging
from pathlib import Path
from typing import TYPE_CHECKING, Annotated

import typer

from vultr_state.cli.app import app
from vultr_state.cli.common import (
    ApiKeyFileOption,
    ApiOption,
    ApiUrlOption,
    ConnectionOptions,
    EmulatorOption,
    RateLimitOption,
    VerboseOption,
    open_provider,
    owners_by_object,
    setup_logging,
)

if TYPE_CHECKING:
    pass

log = logging.getLogger(__name__)


@app.command()
def export(
    project: Annotated[
        str,
        typer.Option(
            "--project", help="Project (ownership namespace) of the new manifest.", show_default=False
        ),
    ],
    out: Annotated[
        Path,
        typer.Option(
            "--out", metavar="DIR|FILE", help="A directory (writes PROJECT.yaml in it) or a .yaml file."
        ),
    ] = Path("."),
    overwrite: Annotated[
        bool, typer.Option("--overwrite", help="Replace existing manifest and script files.")
    ] = False,
    api_url: ApiUrlOption = None,
    api_key_file: ApiKeyFileOption = None,
    emulator: EmulatorOption = False,
    rate_limit: RateLimitOption = None,
    api: ApiOption = None,
    verbose: VerboseOption = False,
) -> None:
    """Write a manifest from the account's live state (to adopt an existing account).

    Plan the written manifest to review the adoptions, then apply it.
    """
    from vultr_state.cli.exporter import CONTROL_CHARS, build_export, file_stem, write_export
    from vultr_state.manifest import load_manifest
    from vultr_state.providers.base import ReadScope
    from vultr_state.render.common import plural

    setup_logging(verbose)
    if not project.strip() or CONTROL_CHARS.search(project):
        raise typer.BadParameter("the project name must not be empty", param_hint="--project")
    manifest_path = out if out.suffix in (".yaml", ".yml") else out / f"{file_stem(project)}.yaml"
    scope = ReadScope(project=project, every_reverse_dns=True, hide_other_projects=False)
    with open_provider(ConnectionOptions(api_url, api_key_file, emulator, rate_limit, api)) as provider:
        live = provider.read(scope)
    owners = owners_by_object(live.other_registries)
    others = {key: owner for key, owner in owners.items() if owner != project}
    result = build_export(project, live, others)
    write_export(result, manifest_path, overwrite=overwrite)
    for warning in result.warnings:
        typer.echo(f"Warning: {warning}", err=True)
    load_manifest([str(manifest_path)])  # the check: what we wrote must load
    summary = ", ".join(plural(n, kind) for kind, n in result.counts)
    typer.echo(f"Wrote {manifest_path} ({summary}).")
    typer.echo(f"Review the adoptions with `vultr-state plan {manifest_path}`, then apply it.")
