"""The ``vultr-state`` command line: thin typer commands that wire the library together.

Each command module of this package registers its commands on ``app`` (``cli/app.py``) when imported;
``main`` imports only the module the command line names, so every command starts fast, and ``app``
taken from this package has every command. Only this package imports typer.
"""

from typing import Any

from vultr_state.cli.app import load_commands, main

# Importing the submodule ``cli.app`` bound the name ``app`` here to that module; drop it, so that
# ``from vultr_state.cli import app`` reaches ``__getattr__`` below and gets the application object.
del globals()["app"]

__all__ = ["app", "load_commands", "main"]


def __getattr__(name: str) -> Any:
    """``app`` with every command registered (tests, the README generator); ``main`` loads only what the
    command line needs."""
    if name == "app":
        from vultr_state.cli.app import app

        load_commands()
        return app
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
