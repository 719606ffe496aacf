"""Entry point for ``python -m vultr_state``: runs the same typer app as the console script."""

from vultr_state.cli import main

if __name__ == "__main__":
    main()
