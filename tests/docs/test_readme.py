"""The README: it opens with the two set-up commands, its generated references match the code (or the
test says which command regenerates them), it mentions every command, and the generator itself finds,
replaces and checks its marked sections.
"""

from __future__ import annotations

import re

import docgen
import pytest
import typer.main

from tests.docs.conftest import README
from vultr_state.cli import app
from vultr_state.errors import ConfigError

SETUP = [
    "pip install -e . && vultr-state apply examples/quickstart.yaml --emulator --auto-approve",
    "pip install -e '.[test]' && pytest",
]
_ANSI = re.compile(r"\x1b\[")
_BOX = re.compile("[\u2500-\u257f]")


@pytest.fixture(scope="module")
def readme() -> str:
    return README.read_text(encoding="utf-8")


@pytest.fixture(scope="module")
def sections() -> dict[str, str]:
    return docgen.generated_sections()


def test_the_two_set_up_commands_come_first(readme):
    first_block = re.search(r"^```\w*\n(.*?)^```", readme, re.DOTALL | re.MULTILINE)
    assert first_block and first_block.group(1).splitlines() == SETUP


def test_generated_sections_match_the_code(readme, sections):
    stale = docgen.stale_sections(readme, sections)
    assert stale == [], f"README.md is out of date ({', '.join(stale)}): run `{docgen.WRITE_COMMAND}`"


def test_every_command_has_help_and_is_mentioned_outside_the_generated_reference(readme, sections):
    prose = readme
    for name in docgen.SECTIONS:
        prose = re.sub(
            rf"<!-- BEGIN GENERATED: {name} -->.*?<!-- END GENERATED: {name} -->", "", prose, flags=re.S
        )
    root = typer.main.get_command(app)
    with root.make_context("vultr-state", [], resilient_parsing=True) as ctx:
        names = root.list_commands(ctx)
        helps = {name: root.get_command(ctx, name).help for name in names}
    assert all(helps.values()), helps
    missing = [name for name in names if f"vultr-state {name}" not in prose and f"`{name}`" not in prose]
    assert missing == []
    for name in names:
        assert f"### `vultr-state {name}`" in sections["cli-reference"]


def test_cli_reference_is_plain_text_of_fixed_width(sections):
    text = sections["cli-reference"]
    assert not _ANSI.search(text) and not _BOX.search(text)
    blocks = re.findall(r"```text\n(.*?)```", text, re.DOTALL)
    assert blocks and all(len(line) <= docgen.HELP_WIDTH for block in blocks for line in block.splitlines())
    assert "### `vultr-state emulator serve`" in text and "--fault-503-every" in text


def test_manifest_reference_lists_every_property_of_the_schema(sections):
    text = sections["manifest-reference"]
    for title in ("Top level", "Server defaults", "Safety valves", "SSH key", "Startup script", "Server"):
        assert f"### {title}\n" in text
    assert "| `max_destroy_percent` | integer (0–100) |  | `30` |" in text
    assert "| `power` | one of `running`, `stopped` |  | `running` |" in text
    assert "`servers[].reverse_dns.ipv6_extra[]`" in text


def test_replace_sections_rewrites_only_between_the_markers():
    text = "intro\n<!-- BEGIN GENERATED: a -->\nold\n<!-- END GENERATED: a -->\nafter\n"
    updated = docgen.replace_sections(text, {"a": "new\n"})
    assert updated.startswith("intro\n<!-- BEGIN GENERATED: a -->\n") and updated.endswith(
        "new\n\n<!-- END GENERATED: a -->\nafter\n"
    )
    assert docgen.replace_sections(updated, {"a": "new\n"}) == updated
    assert docgen.stale_sections(updated, {"a": "new\n"}) == []
    assert docgen.stale_sections(updated, {"a": "newer\n"}) == ["a"]
    with pytest.raises(ConfigError, match="exactly once"):
        docgen.replace_sections("no markers here", {"a": "x"})


def test_check_fails_on_drift_and_write_repairs_it(tmp_path, capsys, readme, sections):
    copy = tmp_path / "README.md"
    copy.write_text(readme.replace("Never destroy this snapshot.", "Hand-edited."), encoding="utf-8")

    assert docgen.main(["--check", "--readme", str(copy)]) == 1
    assert docgen.WRITE_COMMAND in capsys.readouterr().out
    assert docgen.main(["--write", "--readme", str(copy)]) == 0
    assert docgen.main(["--check", "--readme", str(copy)]) == 0
    assert copy.read_text(encoding="utf-8") == docgen.replace_sections(readme, sections)
