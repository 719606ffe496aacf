"""The manifest language's finer points: typed values and nested defaults from ``${VAR}``, NFC names,
``x-`` anchors, ``startup_script: null``, declared renames, v2 fields (tags, user data, host name)
and warnings (a pxe script as a server's startup script), as loaded and as ``validate`` shows them.
The refusals have exact-output corpus cases (``corpus/``); these tests check what loads."""

from __future__ import annotations

import subprocess
import sys

import pytest

from vultr_state.errors import ManifestError
from vultr_state.manifest import load_manifest, manifest_digest
from vultr_state.manifest.interpolate import interpolate

BASE = "project: web\ndefaults: {region: r, plan: p, os: o}\n"


def test_variables_supply_booleans_and_integers_where_the_schema_wants_them(write):
    path = write(
        "m.yaml",
        BASE + "safety: {max_destroy_percent: '${PCT}', min_owned: '${MIN}'}\n"
        "servers:\n  - {label: a, ipv6: '${V6}', auto_backups: '${B:-false}', tag: '${N}', region: '${N}'}\n",
    )
    desired = load_manifest([path], env={"PCT": "45", "MIN": " 3 ", "V6": "True", "N": "7"})
    assert (desired.safety.max_destroy_percent, desired.safety.min_owned) == (45, 3)
    server = desired.servers[0]
    assert (server.ipv6, server.auto_backups) == (True, False)
    assert (server.tag, server.region) == ("7", "7")  # text fields keep text


def test_a_literal_string_is_not_coerced(write):
    path = write("m.yaml", BASE + "servers: [{label: a, ipv6: 'true'}]\n")
    with pytest.raises(ManifestError, match=r"servers\.0\.ipv6: expected true or false, got text 'true'$"):
        load_manifest([path], env={})


@pytest.mark.parametrize(
    ("text", "env", "expected"),
    [
        ("${A:-${B:-x}}", {}, "x"),
        ("${A:-${B:-x}}", {"B": "b"}, "b"),
        ("${A:-${B:-x}}", {"A": "a", "B": "b"}, "a"),
        ("${A:-${B}}", {"A": "a"}, "a"),  # the default is not needed, so B may be unset
        ("${A:-pre-${B:-${C:-deep}}-post}!", {}, "pre-deep-post!"),
        ("${A:-a}}", {}, "a}"),
        ("${A:-$${B}}", {}, "${B}"),
    ],
)
def test_nested_defaults(text, env, expected):
    assert interpolate(text, env) == (expected, [])


def test_an_unset_variable_is_one_problem_per_string():
    unset = "environment variable 'B' is not set (use ${B:-default} to give a default)"
    assert interpolate("${A:-${B}}", {}) == ("${A:-${B}}", [unset])
    assert interpolate("${B}-${B}", {}) == ("${B}-${B}", [unset])
    assert interpolate("${B}-${A:-${C", {})[1] == ["unclosed '${' (write '$$' for a literal '$')"]


def test_an_unset_variable_in_a_typed_field_is_reported_once(write):
    path = write("m.yaml", BASE + "servers: [{label: a, hostname: '${H}', ipv6: '${V}'}]\n")
    with pytest.raises(ManifestError) as caught:
        load_manifest([path], env={})
    assert [issue.message.split(" (")[0] for issue in caught.value.issues] == [
        "environment variable 'H' is not set",
        "environment variable 'V' is not set",
    ]


def test_names_are_nfc_normalised_so_references_match(write):
    decomposed, composed = "cafe\u0301", "caf\u00e9"
    path = write(
        "m.yaml",
        BASE + f'ssh_keys: [{{name: "{decomposed}", public_key: "${{K}}"}}]\n'
        f'servers: [{{label: "{decomposed}-1", ssh_keys: ["{composed}"]}}]\n',
    )
    key = "ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAIOMqqnkVzrm0SdG6UOoqKLsabgH5C9okWi0dh2l9GKJl k"
    desired = load_manifest([path], env={"K": key})
    assert desired.ssh_keys[0].name == composed
    assert desired.servers[0].label == f"{composed}-1" and desired.servers[0].ssh_keys == (composed,)


def test_invisible_characters_in_script_bodies_are_left_alone(write):
    path = write("m.yaml", 'project: web\nstartup_scripts: [{name: s, script: "echo \\u200b"}]\n')
    assert load_manifest([path], env={}).startup_scripts[0].script == "echo \u200b"


def test_x_fields_hold_anchors(write):
    path = write(
        "m.yaml",
        "project: web\nx-base: &base {region: r, plan: p, os: o, ipv6: true}\nx-note: [anything, 1]\n"
        "servers:\n  - {<<: *base, label: a}\n  - {<<: *base, label: b, ipv6: false}\n",
    )
    servers = load_manifest([path], env={}).servers
    assert [(s.label, s.region, s.ipv6) for s in servers] == [("a", "r", True), ("b", "r", False)]


def test_startup_script_null_unsets_the_default(write):
    path = write(
        "m.yaml",
        "project: web\ndefaults: {region: r, plan: p, os: o, startup_script: s}\n"
        "startup_scripts: [{name: s, script: echo}]\n"
        "servers: [{label: a}, {label: b, startup_script: null}]\n",
    )
    assert [s.startup_script for s in load_manifest([path], env={}).servers] == ["s", None]


def test_renamed_from_reaches_the_model(write):
    path = write(
        "m.yaml",
        BASE + "startup_scripts: [{name: new, renamed_from: old, script: echo}]\n"
        "servers: [{label: web-b, renamed_from: web-a}]\n"
        "snapshots: [{description: g2, renamed_from: g1, server: web-b}]\n",
    )
    desired = load_manifest([path], env={})
    assert desired.startup_scripts[0].renamed_from == "old"
    assert desired.servers[0].renamed_from == "web-a"
    assert desired.snapshots[0].renamed_from == "g1"


def test_v2_fields_tags_user_data_and_hostname(write):
    write("cloud/init.yaml", "#cloud-config\npackages: [nginx]\n")
    path = write(
        "m.yaml",
        "project: web\ndefaults: {region: r, plan: p, os: o, tags: [web, prod]}\n"
        "servers:\n"
        "  - {label: a, hostname: a.example.com, user_data_file: cloud/init.yaml}\n"
        "  - {label: b, tags: [db], user_data: '#cloud-config ${NOT_INTERPOLATED}'}\n"
        "  - {label: c, tags: []}\n",
    )
    a, b, c = load_manifest([path], env={}).servers
    assert (a.tags, a.hostname, a.user_data) == (
        ("web", "prod"),
        "a.example.com",
        "#cloud-config\npackages: [nginx]\n",
    )
    assert (b.tags, b.user_data) == (("db",), "#cloud-config ${NOT_INTERPOLATED}")
    assert (c.tags, c.user_data) == ((), None)


def test_user_data_never_in_repr(write):
    path = write("m.yaml", BASE + "servers: [{label: a, user_data: TOPSECRET-USERDATA}]\n")
    desired = load_manifest([path], env={})
    assert desired.servers[0].user_data == "TOPSECRET-USERDATA"
    assert "TOPSECRET" not in repr(desired)


def test_the_digest_follows_tags_user_data_and_renames(write):
    def digest(extra: str) -> str:
        return manifest_digest(
            load_manifest([write("m.yaml", BASE + f"servers: [{{label: a{extra}}}]\n")], env={})
        )

    plain = digest("")
    changed = {digest(", tags: [x]"), digest(", user_data: x"), digest(", renamed_from: z")}
    assert plain not in changed and len(changed) == 3


PXE = (
    "project: web\ndefaults: {region: r, plan: p, os: o}\n"
    "startup_scripts: [{name: chain, type: pxe, script: '#!ipxe'}, {name: boot, script: echo}]\n"
    "servers: [{label: a, startup_script: chain}, {label: b, startup_script: boot}]\n"
)


def test_a_pxe_startup_script_is_a_warning_not_an_error(write):
    desired = load_manifest([write("m.yaml", PXE)], env={})
    file = desired.sources[0]
    assert [str(w) for w in desired.warnings] == [
        f"{file}:4:38: servers.0.startup_script: startup script 'chain' has type pxe (defined at "
        f"{file}:3:39): Vultr runs it through iPXE instead of booting the OS, so the server's OS "
        "never runs it; give a boot script unless the server really boots over iPXE"
    ]


def test_validate_shows_the_warning_on_stderr_and_still_succeeds(write, tmp_path):
    write("m.yaml", PXE)
    result = subprocess.run(
        [sys.executable, "-m", "vultr_state", "validate", "m.yaml"],
        cwd=tmp_path,
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert result.returncode == 0
    assert result.stdout.startswith("m.yaml: valid (")
    assert result.stderr.startswith("Warning: m.yaml:4:38: servers.0.startup_script: startup script 'chain'")
    assert len(result.stderr.splitlines()) == 1


def test_plan_shows_the_warning_too(tmp_path):
    (tmp_path / "m.yaml").write_text(
        "project: web\ndefaults: {region: New Jersey, plan: '1024 MB RAM,25 GB SSD,1.00 TB BW', "
        "os: Ubuntu 22.04 x64}\n"
        "startup_scripts: [{name: chain, type: pxe, script: '#!ipxe'}]\n"
        "servers: [{label: a, startup_script: chain}]\n"
    )
    result = subprocess.run(
        [sys.executable, "-m", "vultr_state", "plan", "m.yaml", "--emulator"],
        cwd=tmp_path,
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert result.returncode == 0, result.stderr
    assert "+ server.a" in result.stdout
    assert (
        "Warning: m.yaml:4:38: servers.0.startup_script: startup script 'chain' has type pxe" in result.stderr
    )
