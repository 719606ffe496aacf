"""Helpers for the manifest tests: write a manifest (and the files it names) into a temporary directory."""

from __future__ import annotations

import textwrap
from collections.abc import Callable
from pathlib import Path

import pytest

from vultr_state.errors import ManifestError

ED25519_KEY = (Path(__file__).parents[2] / "examples" / "keys" / "deploy.pub").read_text().strip()


@pytest.fixture
def write(tmp_path: Path) -> Callable[..., Path]:
    """``write("a.yaml", text)`` writes a dedented file under tmp_path and returns its path."""

    def _write(name: str, text: str | bytes) -> Path:
        path = tmp_path / name
        path.parent.mkdir(parents=True, exist_ok=True)
        if isinstance(text, bytes):
            path.write_bytes(text)
        else:
            path.write_text(textwrap.dedent(text).lstrip("\n"))
        return path

    return _write


def messages(error: ManifestError) -> list[str]:
    """The issues of ``error`` as printed, one string each."""
    return [str(issue) for issue in error.issues]
