"""The typer application object and the process entry point.

Command modules in this package register themselves on ``app``; ``main`` runs it and turns every
outcome into an exit code: 0 success, 1 error, 2 changes present (``plan --detailed-exitcode``
only), 64 usage error, 130 interrupted. No traceback reaches the user.
"""

from __future__ import annotations

import logging
import sys

import typer
from typer.core import TyperOption

from vultr_state.errors import VultrStateError

EXIT_OK = 0
EXIT_ERROR = 1
EXIT_CHANGES = 2
EXIT_USAGE = 64
EXIT_INTERRUPTED = 130


def _hide_flag_types() -> None:
    """Flags take no value, so help must not show one: typer's rich help prints every option's value
    type, flags included (``--force <bool>``); its plain help already leaves flags bare. Done once, here,
    where the application object is made."""
    value_type = TyperOption.display_type_rich

    def display_type_rich(self: TyperOption, ctx: typer.Context) -> str | None:
        return None if self.is_flag else value_type(self, ctx)

    TyperOption.display_type_rich = display_type_rich  # type: ignore[method-assign]


_hide_flag_types()

app = typer.Typer(
    name="vultr-state",
    help="Declarative infrastructure as code for the Vultr v1 API.",
    no_args_is_help=True,
    pretty_exceptions_enable=False,
    pretty_exceptions_show_locals=False,
    add_completion=True,
)

log = logging.getLogger(__name__)


@app.callback()
def root() -> None:
    """Declarative infrastructure as code for the Vultr v1 API.

    Describe servers, SSH keys, startup scripts, snapshots and reverse DNS in a YAML manifest;
    `plan` shows what would change, `apply` makes it so. `--emulator` runs everything against the
    embedded Vultr v1 emulator, with no account needed.
    """


def _is_usage_error(exc: BaseException) -> bool:
    """True for the CLI framework's own usage errors (bad option, missing argument...)."""
    return callable(getattr(exc, "show", None)) and isinstance(getattr(exc, "exit_code", None), int)


def main(argv: list[str] | None = None) -> None:
    """Run the CLI and exit with a documented code; never let a traceback reach the user."""
    try:
        result = app(args=argv, prog_name="vultr-state", standalone_mode=False)
    except VultrStateError as exc:
        typer.echo(f"Error: {exc}", err=True)
        sys.exit(EXIT_ERROR)
    except (KeyboardInterrupt, typer.Abort):
        typer.echo("Interrupted.", err=True)
        sys.exit(EXIT_INTERRUPTED)
    except Exception as exc:
        if _is_usage_error(exc):
            exc.show()  # type: ignore[attr-defined]
            sys.exit(EXIT_USAGE if exc.exit_code == 2 else exc.exit_code)  # type: ignore[attr-defined]
        log.debug("internal error", exc_info=True)
        typer.echo(
            f"Internal error ({type(exc).__name__}): {exc}. This is a bug in vultr-state; "
            "rerun with -v for details and report it.",
            err=True,
        )
        sys.exit(EXIT_ERROR)
    if result == EXIT_INTERRUPTED:  # the framework turns Ctrl-C inside a command into this code
        typer.echo("Interrupted.", err=True)
    sys.exit(result if isinstance(result, int) else EXIT_OK)
