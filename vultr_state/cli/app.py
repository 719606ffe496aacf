"""The typer application object and the process entry point.

Command modules in this package register themselves on ``app`` when imported; ``main`` imports only the
one the command line names (``load_commands``: a command starts without importing what other commands
need), runs it and turns every outcome into an exit code: 0 success, 1 error, 2 changes present
(``plan --detailed-exitcode`` only), 64 usage error, 130 interrupted. No traceback reaches the user.
"""

from __future__ import annotations

import importlib
import logging
import os
import shlex
import sys
from collections.abc import Sequence

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
    help="Declarative infrastructure as code for Vultr (API v2; v1 with --api v1).",
    no_args_is_help=True,
    pretty_exceptions_enable=False,
    pretty_exceptions_show_locals=False,
    add_completion=True,
)

# The ``emulator`` group is registered here, its ``serve`` command by ``cli/emulator.py``: listing the group
# (root help, completing command names) then needs none of the emulator's imports.
emulator_app = typer.Typer(help="Run the embedded Vultr API emulator (v1 and v2).", no_args_is_help=True)
app.add_typer(emulator_app, name="emulator")

# Command name → the module of this package that registers it, in the order help lists them.
COMMAND_MODULES = {
    "api": "api",
    "plan": "plan",
    "apply": "apply",
    "destroy": "apply",
    "export": "export",
    "schema": "schema",
    "show": "show",
    "validate": "validate",
    "version": "version",
    "emulator": "emulator",
}
_COMPLETION_VARS = ("_TYPER_COMPLETE_ARGS", "COMP_WORDS")  # zsh/fish/powershell, bash

log = logging.getLogger(__name__)


def load_commands(words: Sequence[str] | None = None) -> None:
    """Import the command modules, so that they register their commands on ``app``.

    Args:
        words: The command line (without the program name). When one of them names a command, only
            that command's module is imported: ``vultr-state version`` imports neither the client nor
            the manifest loader nor the emulator. Otherwise (no command named: root help, completing a
            command name) every module is, except the emulator's (its group is listed without it).
            None imports every module (``from vultr_state.cli import app`` does).
    """
    if words is None:
        chosen = list(dict.fromkeys(COMMAND_MODULES.values()))
    else:
        named = next((w for w in words if w in COMMAND_MODULES), None)
        modules = dict.fromkeys(m for n, m in COMMAND_MODULES.items() if n != "emulator")
        chosen = [COMMAND_MODULES[named]] if named else list(modules)
    for module in chosen:
        importlib.import_module(f"vultr_state.cli.{module}")


def _command_words(argv: list[str] | None) -> list[str]:
    """The words of the command line, or of the line being completed when the shell asks to complete."""
    for name in _COMPLETION_VARS:
        if name in os.environ:
            try:
                return shlex.split(os.environ[name])[1:]
            except ValueError:  # an unfinished quote while completing
                return os.environ[name].split()[1:]
    return list(sys.argv[1:] if argv is None else argv)


@app.callback()
def root() -> None:
    """Declarative infrastructure as code for Vultr (API v2; v1 with --api v1).

    Describe servers, SSH keys, startup scripts, snapshots and reverse DNS in a YAML manifest;
    `plan` shows what would change, `apply` makes it so. `--emulator` runs everything against the
    embedded Vultr emulator, with no account needed.
    """


def _is_usage_error(exc: BaseException) -> bool:
    """True for the CLI framework's own usage errors (bad option, missing argument...)."""
    return callable(getattr(exc, "show", None)) and isinstance(getattr(exc, "exit_code", None), int)


def _redacted(text: str) -> str:
    """An unexpected exception's text with the API key and sensitive JSON fields masked."""
    from vultr_state.http.redact import Scrubber  # only on this rare path: startup stays light

    return Scrubber([os.environ.get("VULTR_API_KEY")])(text)


def main(argv: list[str] | None = None) -> None:
    """Run the CLI and exit with a documented code; never let a traceback reach the user."""
    load_commands(_command_words(argv))
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
            f"Internal error ({type(exc).__name__}): {_redacted(str(exc))}. This is a bug in vultr-state; "
            "rerun with -v for details and report it.",
            err=True,
        )
        sys.exit(EXIT_ERROR)
    if result == EXIT_INTERRUPTED:  # the framework turns Ctrl-C inside a command into this code
        typer.echo("Interrupted.", err=True)
    sys.exit(result if isinstance(result, int) else EXIT_OK)
