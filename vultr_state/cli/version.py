"""``vultr-state version``: print the installed version. Registered by ``vultr_state.cli``."""

import typer

from vultr_state import __version__
from vultr_state.cli.app import app


@app.command()
def version() -> None:
    """Print the vultr-state version."""
    typer.echo(f"vultr-state {__version__}")
