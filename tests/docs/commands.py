"""Finding the ``vultr-state`` command lines in documentation and recipes, and checking each against
the real command-line interface.

``command_lines(text)`` returns the argument lists of every ``vultr-state ...`` invocation in shell text
(CI ``run:``/``script:`` entries, Markdown ``sh`` blocks). ``check_invocation(args)`` parses one with the
CLI's own parser (typer's command objects, built by ``typer.main.get_command``) without running it, and
returns a problem description or None: an unknown command or option, a bad value for a choice or a
number, a missing argument all come out exactly as the CLI would report them.
"""

from __future__ import annotations

import re
import shlex
from collections.abc import Iterator
from typing import Any

import typer.main

from vultr_state.cli import app

PROG = "vultr-state"
_OPERATORS = {";", "&&", "||", "|", "&", "(", ")", "$(", "`", "{", "}"}
_REDIRECT = re.compile(r"^\d*[<>]")
_KEYWORDS = {"then", "do", "else", "time", "exec", "!", "if", "while", "until"}
_ASSIGNMENT = re.compile(r"^[A-Za-z_][A-Za-z0-9_]*=")
_EAGER = {"--help", "--install-completion", "--show-completion"}


def _tokens(line: str) -> list[str]:
    lexer = shlex.shlex(line, posix=True, punctuation_chars=";&|()<>")
    lexer.whitespace_split = True
    lexer.commenters = "#"
    return list(lexer)


def command_lines(text: str) -> Iterator[list[str]]:
    """The arguments (after ``vultr-state``) of every invocation in ``text``, one list per invocation.

    A ``vultr-state`` word counts only in command position: first on a line, or after a shell operator,
    keyword or variable assignment (so ``pip install vultr-state`` is not an invocation). Arguments end
    at a shell operator or redirection. Backslash-continued lines are joined first.
    """
    for line in text.replace("\\\n", " ").splitlines():
        if PROG not in line:
            continue
        try:
            tokens = _tokens(line)
        except ValueError:  # an unbalanced quote: a line of a larger script, not a command of ours
            continue
        for index, token in enumerate(tokens):
            before = tokens[index - 1] if index else None
            if token != PROG or not (
                before is None or before in _OPERATORS or before in _KEYWORDS or _ASSIGNMENT.match(before)
            ):
                continue
            args = []
            for arg in tokens[index + 1 :]:
                if arg in _OPERATORS or _REDIRECT.match(arg):
                    break
                args.append(arg)
            if args and args[-1].isdigit() and len(tokens) > index + 1 + len(args):
                args.pop()  # "2" of "2>&1", split from its ">" by the lexer
            yield args


def check_invocation(args: list[str]) -> str | None:
    """Parse ``vultr-state ARGS`` with the real CLI (nothing runs) and say what is wrong, if anything.

    Eager options that act while parsing (``--help``, ``--install-completion``...) are only checked
    for existence; the command path before them must exist.
    """
    command: Any = typer.main.get_command(app)
    path = [PROG]
    rest = list(args)
    with command.make_context(PROG, [], resilient_parsing=True) as ctx:
        parent = ctx
        while hasattr(command, "list_commands") and rest and not rest[0].startswith("-"):
            name = rest.pop(0)
            sub = command.get_command(parent, name)
            if sub is None:
                return f"{' '.join(path)}: no command {name!r}"
            command, path = sub, [*path, name]
            parent = command.make_context(name, [], parent=parent, resilient_parsing=True)
        known = {opt for param in command.params for opt in (*param.opts, *param.secondary_opts)}
        known |= {"--help"}
        eager = [a for a in rest if a.split("=", 1)[0] in _EAGER]
        if eager or hasattr(command, "list_commands"):
            unknown = [a for a in rest if a.startswith("-") and a.split("=", 1)[0] not in known]
            return f"{' '.join(path)}: unknown option(s) {unknown}" if unknown else None
        try:
            command.make_context(path[-1], rest, parent=parent.parent or parent)
        except Exception as exc:  # the framework's usage errors (vendored click): report, do not raise
            message = exc.format_message() if hasattr(exc, "format_message") else str(exc)
            return f"{' '.join(path)} {' '.join(rest)}: {message}"
    return None
