"""The ``vultr-state`` command line: thin typer commands that wire the library together.

Each module of this package registers its commands on ``app`` (``cli/app.py``) when imported below.
Only this package imports typer.
"""

from vultr_state.cli import (
    emulator,  # noqa: F401  (registers commands)
    version,  # noqa: F401  (registers commands)
)
from vultr_state.cli.app import app, main

__all__ = ["app", "main"]
