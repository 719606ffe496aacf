"""Aligned plain-text tables for `show`."""

import pytest

from vultr_state.render import render_table


def test_columns_align_to_the_widest_cell():
    text = render_table(["KIND", "ID"], [["server", "576965"], ["ssh_key", "5806ab4970aba"]])
    assert text == ("KIND     ID\n-------  -------------\nserver   576965\nssh_key  5806ab4970aba\n")


def test_empty_table_has_header_only():
    assert render_table(["A", "BB"], []) == "A  BB\n-  --\n"


def test_ragged_rows_are_a_bug():
    with pytest.raises(ValueError, match="row has 1 cells, expected 2"):
        render_table(["A", "B"], [["x"]])
