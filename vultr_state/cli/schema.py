"""``vultr-state schema``: print the manifest JSON Schema (Draft 2020-12), e.g. for an editor or CI.

Registered by ``vultr_state.cli``.
"""

from __future__ import annotations

import typer

from vultr_state.cli.app import app


@app.command()
def schema() -> None:
    """Print the manifest JSON Schema (Draft 2020-12) used by `validate` and editors."""
    from vultr_state.manifest import schema_text

    typer.echo(schema_text(), nl=False)
