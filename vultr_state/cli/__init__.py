"""The ``vultr-state`` command line: thin typer commands that wire the library together.

Each module of this package registers its commands on ``app`` (``cli/app.py``) when imported below.
Only this package imports typer.
"""

from vultr_state.cli import (
    api,  # noqa: F401  (registers commands)
    apply,  # noqa: F401  (registers commands)
    emulator,  # noqa: F401  (registers commands)
    export,  # noqa: F401  (registers commands)
    plan,  # noqa: F401  (registers commands)
    schema,  # noqa: F401  (registers commands)
    show,  # noqa: F401  (registers commands)
    validate,  # noqa: F401  (registers commands)
    version,  # noqa: F401  (registers commands)
)
from vultr_state.cli.app import app, main

__all__ = ["app", "main"]
