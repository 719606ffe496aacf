"""Whatever the input (YAML-ish text, raw bytes, arbitrary structures dumped to YAML), the loader
either returns a Desired or raises ManifestError: never another exception, never a traceback."""

from __future__ import annotations

import tempfile
from collections.abc import Iterator
from pathlib import Path

import pytest
import yaml
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from vultr_state.errors import ManifestError
from vultr_state.manifest import load_manifest
from vultr_state.model.desired import Desired

FIELDS = [
    "project", "defaults", "safety", "ssh_keys", "startup_scripts", "servers", "snapshots", "name",
    "label", "description", "region", "plan", "os", "snapshot", "iso", "public_key", "public_key_file",
    "script", "script_file", "type", "state", "protect", "power", "ipv6", "ipv6_extra", "reverse_dns",
    "ipv4", "ip", "server", "ssh_keys", "startup_script", "hostname", "tag", "max_destroy_percent",
    "min_owned", "<<",
]  # fmt: skip
WORDS = [
    "web",
    "present",
    "absent",
    "running",
    "boot",
    "pxe",
    "deploy",
    "${X}",
    "${X:-d}",
    "$$",
    "keys/k.pub",
    "",
]
SETTINGS = settings(
    max_examples=70, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)

scalars = st.one_of(
    st.none(),
    st.booleans(),
    st.integers(min_value=-(10**6), max_value=10**6),
    st.floats(allow_nan=True),
    st.sampled_from(WORDS),
    st.text(max_size=12),
)
structures = st.recursive(
    scalars,
    lambda children: st.one_of(
        st.lists(children, max_size=4),
        st.dictionaries(st.one_of(st.sampled_from(FIELDS), st.text(max_size=6)), children, max_size=6),
    ),
    max_leaves=30,
)
manifests = st.fixed_dictionaries(
    {"project": st.one_of(st.just("web"), scalars)},
    optional={name: structures for name in ("defaults", "safety", "ssh_keys", "servers", "snapshots")},
)
FRAGMENTS = [
    "project: web\n", "servers:\n", "  - label: a\n", "    ", "- ", ": ", "&a ", "*a ", "<<: ", "!!str ",
    "[", "]", "{", "}", ",", "'", '"', "#", "\n", "\t", "---\n", "? ", "|\n", "${", "%YAML 1.1\n",
]  # fmt: skip
yaml_text = st.lists(st.one_of(st.sampled_from(FRAGMENTS), st.text(max_size=8)), max_size=30).map("".join)

# Entries shaped like the real thing, so the semantic checks and the builder get exercised too.
NAMES = st.sampled_from(["a", "b", "web", "deploy", "golden"])
values = st.one_of(
    NAMES,
    st.sampled_from(WORDS),
    st.booleans(),
    st.integers(min_value=0, max_value=300),
    st.lists(NAMES, max_size=3),
    st.fixed_dictionaries(
        {},
        optional={
            "ipv4": st.sampled_from(["a.example.com", "-bad"]),
            "ipv6": st.sampled_from(["a.example.com"]),
            "ipv6_extra": st.lists(
                st.fixed_dictionaries({"ip": st.sampled_from(["2001:db8::1", "::1", "x"]), "name": NAMES}),
                max_size=2,
            ),
        },
    ),
)


def _entries(identity: str, fields: list[str]) -> st.SearchStrategy[list[dict]]:
    return st.lists(
        st.fixed_dictionaries({identity: NAMES}, optional={field: values for field in fields}), max_size=4
    )


shaped = st.fixed_dictionaries(
    {"project": st.just("web")},
    optional={
        "defaults": st.fixed_dictionaries(
            {}, optional={f: values for f in ["region", "plan", "os", "ssh_keys"]}
        ),
        "ssh_keys": _entries("name", ["public_key", "public_key_file", "state", "protect"]),
        "startup_scripts": _entries("name", ["script", "script_file", "type", "state"]),
        "servers": _entries(
            "label",
            [
                "region",
                "plan",
                "os",
                "snapshot",
                "iso",
                "ssh_keys",
                "startup_script",
                "ipv6",
                "reverse_dns",
                "state",
            ],
        ),
        "snapshots": _entries("description", ["server", "state", "protect"]),
    },
)


@pytest.fixture(scope="module")
def scratch() -> Iterator[Path]:
    with tempfile.TemporaryDirectory() as directory:
        yield Path(directory)


def _load(path: Path) -> None:
    try:
        result = load_manifest([path], env={"X": "x"})
    except ManifestError as error:
        assert error.issues
        assert all(issue.message for issue in error.issues)
        return
    assert isinstance(result, Desired)


@SETTINGS
@given(text=yaml_text)
def test_arbitrary_yaml_text(scratch: Path, text: str):
    path = scratch / "text.yaml"
    path.write_text(text, encoding="utf-8", errors="surrogatepass")
    _load(path)


@SETTINGS
@given(data=st.binary(max_size=200))
def test_arbitrary_bytes(scratch: Path, data: bytes):
    path = scratch / "bytes.yaml"
    path.write_bytes(data)
    _load(path)


@SETTINGS
@given(document=st.one_of(manifests, shaped, structures))
def test_arbitrary_structures(scratch: Path, document: object):
    path = scratch / "structure.yaml"
    path.write_text(yaml.safe_dump(document, allow_unicode=True), encoding="utf-8", errors="surrogatepass")
    _load(path)
