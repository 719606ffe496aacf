"""``vultr-state plan PATH...``: load the manifest, read the account, plan, and show the plan.

``--target KIND.NAME`` plans only those entries and what they depend on (``planner.targets``);
``--no-refresh`` reads the lists only and compares reverse DNS with what the registry recorded at the last
apply (``planner.refresh``), saying so in the plan's header.

Output goes to stdout as text (default), JSON (``--json``/``--format json``) or Markdown; notes go to
stderr so that JSON on stdout stays parseable. ``--out FILE`` saves the plan for ``apply FILE``, unless
apply would refuse it (a refusal in the plan): a refused plan is not saved.

Exit codes: 0 success (with ``--detailed-exitcode``: 0 no changes, 2 changes present); 1 on any error,
and also when the plan holds a refusal that no permission flag can lift (a protected object the
manifest wants destroyed...): such a plan can never be applied as written. Refusals that only need a
flag (``--allow-destroy``...) count as changes: the plan is shown with a note that apply will refuse it
without the flag. Usage errors exit 64, never 2. Registered by ``vultr_state.cli``.
"""

from __future__ import annotations

import time
from dataclasses import replace
from enum import StrEnum
from pathlib import Path
from typing import TYPE_CHECKING, Annotated

import typer

from vultr_state.cli.app import EXIT_CHANGES, EXIT_ERROR, EXIT_OK, app
from vultr_state.cli.common import (
    AllowOutsideFilesOption,
    ApiKeyFileOption,
    ApiOption,
    ApiUrlOption,
    ConnectionOptions,
    EmulatorOption,
    NoColorOption,
    RateLimitOption,
    VerboseOption,
    emit,
    open_provider,
    setup_logging,
    show_manifest_warnings,
    target_option,
    want_color,
)

if TYPE_CHECKING:  # the manifest loader, reader, planner and renderers are imported when plan runs
    from vultr_state.model.cost import PlanCost
    from vultr_state.model.desired import Desired
    from vultr_state.model.live import Live
    from vultr_state.model.plan import Plan
    from vultr_state.providers.base import Provider

_PERMISSIONS = "Permissions"


class OutputFormat(StrEnum):
    """How ``plan`` prints the plan."""

    TEXT = "text"
    JSON = "json"
    MARKDOWN = "markdown"


AllowDestroyOption = Annotated[
    bool,
    typer.Option(
        "--allow-destroy", help="Allow destroying objects marked state: absent.", rich_help_panel=_PERMISSIONS
    ),
]
AllowPruneOption = Annotated[
    bool,
    typer.Option(
        "--allow-prune",
        help="Allow destroying owned objects the manifest no longer lists.",
        rich_help_panel=_PERMISSIONS,
    ),
]
AllowReplaceOption = Annotated[
    bool,
    typer.Option(
        "--allow-replace",
        help="Allow replacements: the old server is destroyed first, then its successor created (new IP).",
        rich_help_panel=_PERMISSIONS,
    ),
]
AllowReinstallOption = Annotated[
    bool,
    typer.Option(
        "--allow-reinstall", help="Allow reinstalls (disk wiped, address kept).", rich_help_panel=_PERMISSIONS
    ),
]
ForceOption = Annotated[
    bool,
    typer.Option(
        "--force",
        help="Allow destroying or replacing more than the manifest's max_destroy_percent of owned objects.",
        rich_help_panel=_PERMISSIONS,
    ),
]

TargetOption = target_option(
    "Plan only this entry and what it depends on (repeatable), e.g. server.web-1, ssh_key.deploy, "
    "startup_script.bootstrap, snapshot.golden."
)

AdoptDamagedOption = Annotated[
    bool,
    typer.Option(
        "--allow-adopt-with-damaged-registry",
        help=(
            "Adopt objects by identity even while another project's registry is unreadable (they may be "
            "that project's objects)."
        ),
        rich_help_panel=_PERMISSIONS,
    ),
]


@app.command()
def plan(
    paths: Annotated[
        list[Path],
        typer.Argument(metavar="PATH", help="Manifest files or directories.", show_default=False),
    ],
    out: Annotated[
        Path | None,
        typer.Option("--out", metavar="FILE", help="Save the plan to FILE for `vultr-state apply FILE`."),
    ] = None,
    as_json: Annotated[
        bool, typer.Option("--json", help="Print the plan as JSON (same as --format json).")
    ] = False,
    output_format: Annotated[
        OutputFormat, typer.Option("--format", case_sensitive=False, help="Output format.")
    ] = OutputFormat.TEXT,
    detailed_exitcode: Annotated[
        bool,
        typer.Option(
            "--detailed-exitcode", help="Exit 0 when there are no changes, 2 when there are, 1 on error."
        ),
    ] = False,
    allow_destroy: AllowDestroyOption = False,
    allow_prune: AllowPruneOption = False,
    allow_replace: AllowReplaceOption = False,
    allow_reinstall: AllowReinstallOption = False,
    force: ForceOption = False,
    allow_outside_files: AllowOutsideFilesOption = False,
    allow_adopt_with_damaged_registry: AdoptDamagedOption = False,
    target: TargetOption = None,
    no_refresh: Annotated[
        bool,
        typer.Option(
            "--no-refresh",
            help=(
                "Do not read each server's reverse DNS: compare with what the registry recorded at the "
                "last apply (list calls only; Terraform's -refresh=false)."
            ),
        ),
    ] = False,
    api_url: ApiUrlOption = None,
    api_key_file: ApiKeyFileOption = None,
    emulator: EmulatorOption = False,
    rate_limit: RateLimitOption = None,
    api: ApiOption = None,
    verbose: VerboseOption = False,
    no_color: NoColorOption = False,
) -> int:
    """Show what applying the manifest would change, without changing anything.

    Exit codes: 0 ok (with --detailed-exitcode: 0 no changes, 2 changes present).

    1: an error, or a refusal that no flag can lift. 64: a usage error.
    """
    from vultr_state.manifest import load_manifest
    from vultr_state.planfile import save_plan
    from vultr_state.planner import PlanOptions
    from vultr_state.planner import plan as make_plan
    from vultr_state.planner.cost import plan_cost
    from vultr_state.providers.base import read_live

    setup_logging(verbose)
    if as_json and output_format is OutputFormat.MARKDOWN:
        raise typer.BadParameter("--json contradicts --format markdown", param_hint="--json")
    chosen = OutputFormat.JSON if as_json else output_format
    manifest_paths = [str(p) for p in paths]
    desired = load_manifest(manifest_paths, allow_outside_files=allow_outside_files)
    show_manifest_warnings(desired)
    options = PlanOptions(
        allow_destroy=allow_destroy,
        allow_prune=allow_prune,
        allow_replace=allow_replace,
        allow_reinstall=allow_reinstall,
        force=force,
        allow_adopt_with_damaged_registry=allow_adopt_with_damaged_registry,
        targets=tuple(target or ()),
    )
    note = None
    with open_provider(ConnectionOptions(api_url, api_key_file, emulator, rate_limit, api)) as provider:
        if no_refresh:
            live, note = read_without_refresh(provider, desired)
        else:
            live = read_live(provider, desired)
    result = make_plan(desired, live, options, capabilities=provider.capabilities, now=time.time())
    if note is not None:
        result = replace(result, notes=(*result.notes, note))
    emit(render(result, chosen, color=want_color(no_color), cost=plan_cost(result, live)))
    if out is not None and result.refusals:
        typer.echo(
            f"Not saving the plan to {out}: apply would refuse it as it stands (see the refusals above); "
            "make the plan again with what they ask for.",
            err=True,
        )
    elif out is not None:
        save_plan(
            result,
            desired,
            out,
            options=options,
            manifest_paths=manifest_paths,
            api=provider.capabilities.api,
        )
        same_account = " --emulator" if emulator else ""
        typer.echo(
            f"Saved the plan to {out}; apply it with `vultr-state apply {out}{same_account}`.", err=True
        )
    return exit_code(result, detailed=detailed_exitcode)


def read_without_refresh(provider: Provider, desired: Desired) -> tuple[Live, str]:
    """The account read for ``plan --no-refresh``: the lists, no per-server reverse-DNS reads; each
    managed server's names come from the registry's record of the last apply. Servers the registry has no
    record of (last applied by an older version) are read, and the note says how many.

    Returns:
        The live state and the note for the plan's header.
    """
    from vultr_state.planner.refresh import with_recorded_reverse_dns
    from vultr_state.providers.base import ReadScope, ReverseDnsWanted

    scope = ReadScope.for_manifest(desired)
    live, missing = with_recorded_reverse_dns(provider.read(replace(scope, reverse_dns={})), desired)
    recorded = len(live.reverse_dns)
    note = (
        f"Not refreshed (--no-refresh): reverse DNS of {recorded} server(s) compared with what the registry "
        "recorded at the last apply, not read from the API."
    )
    if missing:
        wanted = {label: ReverseDnsWanted(ipv6=True) for label in sorted(missing)}
        read = provider.read(replace(scope, reverse_dns=wanted))
        live = replace(read, reverse_dns=(*live.reverse_dns, *read.reverse_dns))
        note += f" {len(missing)} server(s) with no record yet were read (the next apply records them)."
    return live, note


def render(result: Plan, output_format: OutputFormat, *, color: bool, cost: PlanCost | None = None) -> str:
    """The plan (with what it does to the monthly bill, when given) in the chosen format."""
    from vultr_state.render import render_json, render_markdown, render_text

    if output_format is OutputFormat.JSON:
        return render_json(result, cost)
    if output_format is OutputFormat.MARKDOWN:
        return render_markdown(result, cost)
    return render_text(result, color=color, cost=cost)


def exit_code(result: Plan, *, detailed: bool) -> int:
    """The exit code for a shown plan (see the module docstring); notes about refusals go to stderr."""
    from vultr_state.render.common import flag

    blocking = [r for r in result.refusals if r.needs is None]
    if blocking:
        typer.echo(
            f"Error: the plan has {len(blocking)} refusal(s) that no flag can lift; apply would refuse it "
            "(the plan lists them).",
            err=True,
        )
        return EXIT_ERROR
    flags = sorted({flag(r.needs.value) for r in result.refusals if r.needs is not None})
    if flags:
        typer.echo(f"Note: apply will refuse this plan unless given {' '.join(flags)}.", err=True)
    if detailed and result.has_changes:
        return EXIT_CHANGES
    return EXIT_OK
