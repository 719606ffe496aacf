"""Plain-text tables for ``vultr-state show``: ``render_table(headers, rows)``.

Pure string building: columns are as wide as their widest cell, separated by two spaces, with a rule
under the header. Called by ``cli/show.py``.
"""

from __future__ import annotations

from collections.abc import Sequence


def render_table(headers: Sequence[str], rows: Sequence[Sequence[str]]) -> str:
    """Lay out rows under headers in aligned columns.

    Args:
        headers: Column titles.
        rows: One sequence of cell texts per row, each as long as ``headers``.

    Returns:
        The table, ending with a newline; trailing spaces are stripped from every line.
    """
    widths = [len(h) for h in headers]
    for row in rows:
        if len(row) != len(headers):
            raise ValueError(f"row has {len(row)} cells, expected {len(headers)}")
        widths = [max(w, len(cell)) for w, cell in zip(widths, row, strict=True)]
    lines = [_line(headers, widths), _line(["-" * w for w in widths], widths)]
    lines.extend(_line(row, widths) for row in rows)
    return "\n".join(lines) + "\n"


def _line(cells: Sequence[str], widths: Sequence[int]) -> str:
    return "  ".join(cell.ljust(width) for cell, width in zip(cells, widths, strict=True)).rstrip()
