"""``vultr-state apply`` and ``vultr-state destroy``: plan, show, confirm, execute.

``apply PATH...`` loads the manifest, reads the account, plans, prints the plan, asks for confirmation
(listing every destructive action) and runs the executor. ``apply PLANFILE`` (a ``.json``/``.plan`` file
written by ``plan --out``) re-reads the manifest and the account, re-plans with the saved permission
flags and refuses a stale plan. ``destroy PATH...`` destroys everything the project owns (never an
unowned object; protected objects are refused), with the same permission and confirmation rules.

Confirmation: ``--auto-approve`` skips it; otherwise stdin must be a terminal and the answer ``yes``.
With no terminal and no ``--auto-approve`` the command refuses (CI must opt in explicitly).
Exit codes: 0 done (or nothing to do), 1 error, refusal or failed action, 130 interrupted.
Registered by ``vultr_state.cli``.
"""

from __future__ import annotations

import sys
import time
from dataclasses import replace
from pathlib import Path
from typing import TYPE_CHECKING, Annotated

import typer

from vultr_state.cli.app import EXIT_OK, app
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
from vultr_state.cli.plan import (
    AdoptDamagedOption,
    AllowDestroyOption,
    AllowPruneOption,
    AllowReinstallOption,
    AllowReplaceOption,
    ForceOption,
    TargetOption,
)
from vultr_state.errors import ConfigError, UnsafePlanError
from vultr_state.executor.defaults import DEFAULT_PARALLELISM, DEFAULT_WAIT_TIMEOUT
from vultr_state.model.desired import Desired
from vultr_state.model.plan import ActionType, Kind, Permission, Plan, Refusal

if TYPE_CHECKING:
    from vultr_state.model.cost import PlanCost
    from vultr_state.providers.base import Provider

PLANFILE_SUFFIXES = (".json", ".plan")
DESTRUCTIVE = (ActionType.DESTROY, ActionType.PRUNE, ActionType.REPLACE, ActionType.REINSTALL)
_EXECUTION = "Execution"

AutoApproveOption = Annotated[
    bool,
    typer.Option(
        "--auto-approve", help="Apply without asking for confirmation (required without a terminal)."
    ),
]
ParallelismOption = Annotated[
    int,
    typer.Option(
        "--parallelism",
        min=1,
        max=64,
        metavar="N",
        help="Most actions calling the API at once (servers waiting to become active do not count).",
        rich_help_panel=_EXECUTION,
    ),
]
WaitTimeoutOption = Annotated[
    float,
    typer.Option(
        "--wait-timeout",
        min=1,
        metavar="S",
        help="Seconds a server or snapshot may take to become ready.",
        rich_help_panel=_EXECUTION,
    ),
]
ForceUnlockOption = Annotated[
    bool,
    typer.Option(
        "--force-unlock",
        help=(
            "Take the project's registry lock even if another apply holds it (only when that apply is "
            "known to be dead: a running apply renews its lock, a dead one's expires 10 minutes after "
            "its last renewal)."
        ),
        rich_help_panel=_EXECUTION,
    ),
]


DestroyTargetOption = target_option(
    "Destroy only this owned object and what must go before it (repeatable), e.g. server.web-1 "
    "(with its reverse DNS), snapshot.golden."
)


def is_planfile(path: Path) -> bool:
    """True when ``path`` names a saved plan (an existing ``.json``/``.plan`` file), not a manifest."""
    return path.suffix.lower() in PLANFILE_SUFFIXES and path.is_file()


def destructive_lines(plan: Plan) -> list[str]:
    """One line per destructive action, for the confirmation prompt."""
    return [
        f"  {a.type.value:<9} {a.kind.value}.{a.name}{f' ({a.live_id})' if a.live_id else ''}"
        for a in plan.actions
        if a.type in DESTRUCTIVE
    ]


def confirm(plan: Plan, *, auto_approve: bool, verb: str = "apply") -> None:
    """Ask for confirmation unless ``auto_approve``.

    Raises:
        ConfigError: no terminal to ask on (and no ``--auto-approve``), or the answer was not ``yes``.
    """
    if auto_approve:
        return
    if not sys.stdin.isatty():
        raise ConfigError(
            f"refusing to {verb} without confirmation: no terminal to ask on; add --auto-approve"
        )
    lines = destructive_lines(plan)
    if lines:
        typer.echo(f"These {len(lines)} action(s) destroy or rebuild objects:", err=True)
        for line in lines:
            typer.echo(line, err=True)
    answer = typer.prompt(f"Do you want to {verb} {len(plan.actions)} action(s)? Only 'yes' will be accepted")
    if answer.strip() != "yes":
        raise ConfigError(f"{verb} cancelled: nothing was changed")


def run_plan(
    plan: Plan,
    provider: Provider,
    *,
    auto_approve: bool,
    parallelism: int,
    wait_timeout: float,
    force_unlock: bool,
    color: bool,
    verb: str = "apply",
    cost: PlanCost | None = None,
) -> int:
    """Show ``plan`` (and its ``cost``), confirm, execute it with progress on stdout. Shared by ``apply``
    and ``destroy``."""
    from vultr_state.executor import apply as execute
    from vultr_state.executor import make_progress
    from vultr_state.render import render_text

    emit(render_text(plan, color=color, cost=cost, command=verb))
    if plan.refusals:  # also with nothing else to do: what is refused is still not done (as `plan` exits)
        from vultr_state.executor.runner import refusal_message

        raise UnsafePlanError(refusal_message(plan, "destroyed" if verb == "destroy" else "applied"))
    if not plan.has_changes and not plan.kept_reverse_dns:
        return EXIT_OK
    if plan.has_changes:  # else only the registry records the reverse DNS found set: nothing to confirm
        confirm(plan, auto_approve=auto_approve, verb=verb)
    execute(
        plan,
        provider,
        parallelism=parallelism,
        wait_timeout=wait_timeout,
        progress=make_progress(sys.stdout, len(plan.actions)),
        force_unlock=force_unlock,
    )
    return EXIT_OK


def as_destroys(plan: Plan) -> Plan:
    """The ``destroy`` command's plan: the planner's prunes (owned objects no manifest entry wants) shown
    and carried out as destroys, since destroying them is what the command asks for; its refusals speak
    of destroying too (a protected object, the --allow-destroy flag)."""
    destroy = {
        "type": ActionType.DESTROY,
        "reason": "destroy: owned by the project",
        "requires": Permission.DESTROY,
    }
    actions = tuple(replace(a, **destroy) if a.type is ActionType.PRUNE else a for a in plan.actions)
    return replace(plan, actions=actions, refusals=tuple(_destroy_refusal(r) for r in plan.refusals))


def _destroy_refusal(refusal: Refusal) -> Refusal:
    """A prune refusal in destroy's words: the missing flag is --allow-destroy, and the planner's only
    refusals that no flag lifts are protected objects."""
    from vultr_state.planner.collect import noun

    if refusal.needs not in (Permission.PRUNE, None):
        return refusal  # the safety valve's --force
    kind, _, name = refusal.action_key.partition(":")
    what = f"{noun(Kind(kind))} {name.partition('#')[0]!r}"
    if refusal.needs is Permission.PRUNE:
        message = f"destroy of {what} needs --allow-destroy"
        return Refusal(refusal.action_key, message, needs=Permission.DESTROY)
    return Refusal(
        refusal.action_key,
        f"{what} is protected: refusing to destroy it; to release it, give its manifest entry "
        "protect: false and apply that first",
    )


@app.command()
def apply(
    paths: Annotated[
        list[Path],
        typer.Argument(
            metavar="PATH... | PLANFILE",
            help="Manifest files or directories, or one plan file saved by `plan --out`.",
            show_default=False,
        ),
    ],
    auto_approve: AutoApproveOption = False,
    parallelism: ParallelismOption = DEFAULT_PARALLELISM,
    wait_timeout: WaitTimeoutOption = DEFAULT_WAIT_TIMEOUT,
    force_unlock: ForceUnlockOption = False,
    allow_destroy: AllowDestroyOption = False,
    allow_prune: AllowPruneOption = False,
    allow_replace: AllowReplaceOption = False,
    allow_reinstall: AllowReinstallOption = False,
    force: ForceOption = False,
    allow_outside_files: AllowOutsideFilesOption = False,
    allow_adopt_with_damaged_registry: AdoptDamagedOption = False,
    target: TargetOption = None,
    api_url: ApiUrlOption = None,
    api_key_file: ApiKeyFileOption = None,
    emulator: EmulatorOption = False,
    rate_limit: RateLimitOption = None,
    api: ApiOption = None,
    verbose: VerboseOption = False,
    no_color: NoColorOption = False,
) -> int:
    """Make the account match the manifest: plan, show, confirm, then create, update and destroy.

    Exit codes: 0 done (or no changes); 1 error, refusal or a failed action (a rerun converges);
    130 interrupted; 64 usage error.
    """
    from vultr_state.manifest import load_manifest
    from vultr_state.planfile import check_fresh, load_plan
    from vultr_state.planner import PlanOptions
    from vultr_state.planner import plan as make_plan
    from vultr_state.planner.cost import plan_cost
    from vultr_state.providers.base import read_live

    setup_logging(verbose)
    flags = PlanOptions(
        allow_destroy=allow_destroy,
        allow_prune=allow_prune,
        allow_replace=allow_replace,
        allow_reinstall=allow_reinstall,
        force=force,
        allow_adopt_with_damaged_registry=allow_adopt_with_damaged_registry,
        targets=tuple(target or ()),
    )
    saved = None
    planfiles = [p for p in paths if is_planfile(p)]
    if planfiles and len(paths) > 1:
        raise typer.BadParameter(
            f"{planfiles[0]} is a saved plan: apply it alone (`vultr-state apply {planfiles[0]}`); it "
            "names its own manifest. To apply manifests, leave the plan file out",
            param_hint="PATH... | PLANFILE",
        )
    if planfiles:
        if flags != PlanOptions():
            raise ConfigError("a saved plan carries its own permission flags; do not repeat them with apply")
        saved = load_plan(paths[0])
        if api is not None and api != saved.api:
            raise typer.BadParameter(
                f"{paths[0]} was planned on the Vultr API {saved.api} and names {saved.api} ids: it applies "
                f"there only, and apply takes the API from it. Leave --api (and VULTR_API_VERSION) out, or "
                f"make a new plan with --api {api}",
                param_hint="--api",
            )
        api = saved.api
        flags = saved.plan_options()
        manifest_paths = list(saved.located_manifest_paths())
    else:
        manifest_paths = [str(p) for p in paths]
    desired = load_manifest(manifest_paths, allow_outside_files=allow_outside_files)
    show_manifest_warnings(desired)
    with open_provider(ConnectionOptions(api_url, api_key_file, emulator, rate_limit, api)) as provider:
        live = read_live(provider, desired)
        result = make_plan(desired, live, flags, capabilities=provider.capabilities, now=time.time())
        if saved is not None:
            check_fresh(saved, desired, result)
        return run_plan(
            result,
            provider,
            auto_approve=auto_approve,
            parallelism=parallelism,
            wait_timeout=wait_timeout,
            force_unlock=force_unlock,
            color=want_color(no_color),
            cost=plan_cost(result, live),
        )


@app.command()
def destroy(
    paths: Annotated[
        list[Path],
        typer.Argument(
            metavar="PATH...",
            help="Manifest files or directories (for the project name).",
            show_default=False,
        ),
    ],
    auto_approve: AutoApproveOption = False,
    allow_destroy: AllowDestroyOption = False,
    force: ForceOption = False,
    parallelism: ParallelismOption = DEFAULT_PARALLELISM,
    wait_timeout: WaitTimeoutOption = DEFAULT_WAIT_TIMEOUT,
    force_unlock: ForceUnlockOption = False,
    target: DestroyTargetOption = None,
    api_url: ApiUrlOption = None,
    api_key_file: ApiKeyFileOption = None,
    emulator: EmulatorOption = False,
    rate_limit: RateLimitOption = None,
    api: ApiOption = None,
    verbose: VerboseOption = False,
    no_color: NoColorOption = False,
) -> int:
    """Destroy everything the manifest's project owns (never unowned objects), or with --target only
    the named owned objects and what must go before them.

    Needs --allow-destroy; protected objects are refused until unprotected; --force is needed beyond
    the manifest's max_destroy_percent. Exit codes as for apply.
    """
    from vultr_state.manifest import load_manifest
    from vultr_state.planner import PlanOptions
    from vultr_state.planner import plan as make_plan
    from vultr_state.planner.cost import plan_cost
    from vultr_state.providers.base import read_live

    setup_logging(verbose)
    desired = load_manifest([str(p) for p in paths])
    # Nothing desired: every owned object is planned for removal, unowned ones are left alone.
    nothing = Desired(project=desired.project, safety=desired.safety)
    flags = PlanOptions(
        allow_destroy=allow_destroy, allow_prune=allow_destroy, force=force, targets=tuple(target or ())
    )
    with open_provider(ConnectionOptions(api_url, api_key_file, emulator, rate_limit, api)) as provider:
        live = read_live(provider, nothing)
        result = as_destroys(
            make_plan(nothing, live, flags, capabilities=provider.capabilities, now=time.time())
        )
        if result.has_changes and not allow_destroy:
            names = ", ".join(f"{a.kind.value}.{a.name}" for a in result.actions)
            raise UnsafePlanError(
                f"destroy needs --allow-destroy: it would destroy {len(result.actions)} object(s) owned by "
                f"project {desired.project!r}: {names}"
            )
        return run_plan(
            result,
            provider,
            auto_approve=auto_approve,
            parallelism=parallelism,
            wait_timeout=wait_timeout,
            force_unlock=force_unlock,
            color=want_color(no_color),
            verb="destroy",
            cost=plan_cost(result, live),
        )
