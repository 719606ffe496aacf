"""The help text of every command, as plain text of a fixed width: what the README's CLI reference is
made of.

Called by ``tools/docgen.py`` (the README generator), never at run time. It renders each command's
help through the framework's plain formatter (no colours, no boxes) instead of the terminal one, at a
width that does not depend on the terminal the generator runs in. It lives in ``cli`` because only this
package may import typer.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import typer.main

from vultr_state.cli import app

PROG = "vultr-state"


def command_helps(width: int) -> Iterator[tuple[tuple[str, ...], str]]:
    """``(command path, help text)`` for the root command and every command below it, in the order
    ``--help`` lists them (a group before its commands).

    Args:
        width: Columns the help text is wrapped to.
    """
    root = typer.main.get_command(app)

    def walk(command: Any, path: tuple[str, ...], parent: Any) -> Iterator[tuple[tuple[str, ...], str]]:
        # get_command builds fresh command objects, so switching them to the plain formatter does not
        # change the application itself.
        command.rich_markup_mode = None
        options = {"terminal_width": width, "max_content_width": width} if parent is None else {}
        with command.make_context(path[-1], [], parent=parent, resilient_parsing=True, **options) as ctx:
            yield path, command.get_help(ctx)
            if hasattr(command, "list_commands"):
                for name in command.list_commands(ctx):
                    yield from walk(command.get_command(ctx, name), (*path, name), ctx)

    yield from walk(root, (PROG,), None)
