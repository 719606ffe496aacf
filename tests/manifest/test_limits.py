"""Hostile or broken input fails fast with a located ManifestError: alias bombs, deep nesting, huge,
binary and non-UTF-8 files, and paths that are missing, empty, unreadable or not manifests."""

from __future__ import annotations

import os

import pytest

from vultr_state.errors import ManifestError, SourceLocation
from vultr_state.manifest import load_manifest, yaml_source
from vultr_state.manifest.files import MAX_MANIFEST_BYTES
from vultr_state.manifest.yaml_source import MAX_DEPTH, MAX_VALUES


def _issues(paths) -> list[str]:
    with pytest.raises(ManifestError) as caught:
        load_manifest(paths, env={})
    return [str(issue) for issue in caught.value.issues]


def test_billion_laughs_fails_fast(write, monkeypatch):
    budget = 3 * (MAX_VALUES + 1)
    levels = ["project: web", "l0: &l0 [lol, lol, lol, lol, lol, lol, lol, lol, lol, lol]"]
    levels += [f"l{i}: &l{i} [{', '.join([f'*l{i - 1}'] * 10)}]" for i in range(1, 9)]
    path = write("bomb.yaml", "\n".join(levels) + "\n")  # 10**9 strings once expanded
    expanded = [0]  # a count, never the nodes: a failing assert would print them, expanded
    enter = yaml_source._ValueBuilder._enter

    def counting_enter(self, node, depth):
        expanded[0] += 1
        if expanded[0] > budget:  # without a working bound the test fails here instead of hanging
            raise AssertionError(f"expanded more than {budget} nodes without refusing")
        return enter(self, node, depth)

    monkeypatch.setattr(yaml_source._ValueBuilder, "_enter", counting_enter)
    issues = _issues([path])
    # Fast by work done, not by the clock: each of the (at most three) reads of the file (libyaml,
    # then the reference reader, then the reference run that words the error) refuses on the first
    # value past the bound: about 3 × 10**5 nodes expanded out of the 10**9 the document describes.
    assert MAX_VALUES < expanded[0] <= budget
    assert len(issues) == 1
    assert f"more than {MAX_VALUES} values once aliases are expanded" in issues[0]
    assert issues[0].startswith(f"{path}:")


@pytest.mark.parametrize(
    "text",
    [
        "project: web\nx: " + "[" * 5000 + "]" * 5000 + "\n",
        "project: web\nx: " + "{a: " * 3000 + "1" + "}" * 3000 + "\n",
        "project: web\n" + "".join(f"{'  ' * i}k{i}:\n" for i in range(200)) + "  " * 200 + "v\n",
    ],
    ids=["flow-sequences", "flow-mappings", "block-mappings"],
)
def test_deep_nesting_is_refused_without_recursion_error(write, text):
    issues = _issues([write("deep.yaml", text)])
    assert len(issues) == 1
    assert f"nested more than {MAX_DEPTH} levels deep" in issues[0]


def test_deep_nesting_through_aliases_is_refused(write):
    lines = ["project: web", "a0: &a0 [x]"] + [f"a{i}: &a{i} [*a{i - 1}]" for i in range(1, 80)]
    issues = _issues([write("deep.yaml", "\n".join(lines) + "\n")])
    assert any(f"nested more than {MAX_DEPTH} levels deep" in issue for issue in issues)


def test_huge_file_is_refused_before_parsing(write):
    path = write("huge.yaml", b"project: web\n" + b"# padding\n" * (MAX_MANIFEST_BYTES // 10 + 1))
    assert _issues([path]) == [f"{path}:1:1: manifest '{path}' is too large (the limit is 4 MiB)"]


def test_binary_file_names_first_nul_byte(write):
    path = write("bin.yaml", b"project: web\nab\x00cd\n")
    assert _issues([path]) == [
        f"{path}:2:3: manifest '{path}' is a binary file (NUL byte); expected UTF-8 text"
    ]


def test_non_utf8_file_names_first_bad_byte(write):
    path = write("latin1.yaml", "project: web\nservers:\n  - label: café\n".encode("latin-1"))
    assert _issues([path]) == [
        f"{path}:3:15: manifest '{path}' is not valid UTF-8 (byte 0xe9); expected UTF-8 text"
    ]


def test_utf8_bom_is_accepted(write):
    path = write("bom.yaml", "\ufeffproject: web\n".encode())
    assert load_manifest([path], env={}).project == "web"


def test_control_character_is_located(write):
    path = write("ctl.yaml", "project: web\nservers:\n  - label: a\x07b\n")
    assert _issues([path]) == [f"{path}:3:13: character U+0007 is not allowed in a YAML file"]


def test_missing_path_and_empty_directory_and_no_paths(tmp_path):
    (tmp_path / "empty").mkdir()
    (tmp_path / "empty" / "notes.txt").write_text("x")
    missing = tmp_path / "nope.yaml"
    assert _issues([missing, tmp_path / "empty"]) == [
        f"<manifest>: '{missing}': no such file or directory",
        f"<manifest>: directory '{tmp_path / 'empty'}' holds no *.yaml or *.yml file",
    ]
    assert _issues([]) == ["<manifest>: no manifest path given"]


@pytest.mark.skipif(os.geteuid() == 0, reason="root reads files whatever their mode")
def test_unreadable_file(write):
    path = write("secret.yaml", "project: web\n")
    path.chmod(0)
    try:
        assert _issues([path]) == [f"{path}:1:1: cannot read manifest '{path}': permission denied"]
    finally:
        path.chmod(0o600)


def test_dangling_symlink_in_directory_is_unreadable(tmp_path):
    (tmp_path / "d").mkdir()
    (tmp_path / "d" / "a.yaml").symlink_to(tmp_path / "gone.yaml")
    shown = tmp_path / "d" / "a.yaml"
    assert _issues([tmp_path / "d"]) == [
        f"{shown}:1:1: cannot read manifest '{shown}': no such file or directory"
    ]


def test_problems_of_every_file_come_at_once_in_file_order(write, tmp_path):
    write("d/b.yaml", "project: web\nservers: [{label: 1}]\n")
    write("d/a.yaml", "project: [web\n")
    other = write("z.yaml", b"\xff")
    error_lines = _issues([tmp_path / "d", other, tmp_path / "missing"])
    assert error_lines[0] == f"<manifest>: '{tmp_path / 'missing'}': no such file or directory"
    assert [line.split(":")[0] for line in error_lines[1:]] == [
        str(tmp_path / "d" / "a.yaml"),
        str(tmp_path / "d" / "b.yaml"),
        str(other),
    ]


def test_issue_locations_are_structured(write):
    path = write(
        "m.yaml",
        "project: web\ndefaults: {region: r, plan: p, os: o}\n"
        "servers:\n  - label: a\n  - label: b\n    powr: on\n",
    )
    with pytest.raises(ManifestError) as caught:
        load_manifest([path], env={})
    (issue,) = caught.value.issues
    assert issue.location == SourceLocation(str(path), 6, 5)
    assert issue.path == ("servers", 1)
