"""Valid manifests load into exactly the expected ``Desired``: defaults, interpolation, body files,
directory merges, absent entries, and a digest that is stable yet sensitive to every desired change."""

from __future__ import annotations

from pathlib import Path

import pytest

from vultr_state.errors import SourceLocation
from vultr_state.manifest import load_manifest, manifest_digest
from vultr_state.model.desired import (
    Desired,
    DesiredServer,
    DesiredSnapshot,
    DesiredSshKey,
    DesiredStartupScript,
    Ensure,
    Power,
    ReverseDns,
    Safety,
    ScriptType,
)

FULL_TEMPLATE = """
project: web
defaults:
  region: New Jersey
  plan: 201
  os: Ubuntu 22.04 x64
  ssh_keys: [deploy]
  ipv6: true
  tag: ${TEAM:-ops}
safety:
  max_destroy_percent: 50
  min_owned: 4
ssh_keys:
  - name: deploy
    public_key_file: keys/deploy.pub
  - name: ci
    public_key: "{key}"
    protect: true
  - name: retired
    state: absent
    public_key_file: keys/retired.pub
startup_scripts:
  - name: bootstrap
    script_file: scripts/bootstrap.sh
  - name: chain
    type: pxe
    script: |
      #!ipxe
      chain ${NOT_INTERPOLATED}
servers:
  - label: web-${STAGE}-1
    hostname: web-1.example.com
    startup_script: bootstrap
    power: stopped
    auto_backups: yes
    reverse_dns:
      ipv4: web-1.example.com
      ipv6: web-1.example.com
      ipv6_extra:
        - {ip: "2001:DB8:0:0::10", name: mail.example.com}
    protect: true
  - label: worker
    region: "9"
    ssh_keys: [deploy, ci]
    snapshot: golden
    private_network: true
    tag: batch
  - label: rescue
    iso: rescue.iso
    ipv6: false
  - label: old-box
    state: absent
    plan: whatever-it-was
snapshots:
  - description: golden
    server: web-${STAGE}-1
  - description: ancient
    state: absent
"""


@pytest.fixture
def full(public_key: str) -> str:
    """A manifest using every feature, with an inline public key."""
    return FULL_TEMPLATE.replace("{key}", public_key)


def _write_full(write, full: str, public_key: str) -> Path:
    write("keys/deploy.pub", public_key.replace("deploy@quickstart", "deploy@file") + "\n")
    write("scripts/bootstrap.sh", "#!/bin/sh\necho ${HOME}\n")
    return write("web.yaml", full)


def test_full_manifest_builds_exact_desired(write, full, public_key):
    path = _write_full(write, full, public_key)
    desired = load_manifest([path], env={"STAGE": "prod"})
    file = str(path)
    deploy_key = public_key.replace("deploy@quickstart", "deploy@file")
    expected = Desired(
        project="web",
        ssh_keys=(
            DesiredSshKey("deploy", deploy_key),
            DesiredSshKey("ci", public_key, protect=True),
            DesiredSshKey("retired", None, state=Ensure.ABSENT),
        ),
        startup_scripts=(
            DesiredStartupScript("bootstrap", "#!/bin/sh\necho ${HOME}\n"),
            DesiredStartupScript("chain", "#!ipxe\nchain ${NOT_INTERPOLATED}\n", type=ScriptType.PXE),
        ),
        servers=(
            DesiredServer(
                label="web-prod-1",
                region="New Jersey",
                plan="201",
                os="Ubuntu 22.04 x64",
                ssh_keys=("deploy",),
                startup_script="bootstrap",
                ipv6=True,
                auto_backups=True,
                power=Power.STOPPED,
                hostname="web-1.example.com",
                tag="ops",
                reverse_dns=ReverseDns(
                    ipv4="web-1.example.com",
                    ipv6="web-1.example.com",
                    ipv6_extra=(("2001:db8::10", "mail.example.com"),),
                ),
                protect=True,
            ),
            DesiredServer(
                label="worker",
                region="9",
                plan="201",
                snapshot="golden",
                ssh_keys=("deploy", "ci"),
                ipv6=True,
                private_network=True,
                tag="batch",
            ),
            DesiredServer(label="rescue", region="New Jersey", plan="201", iso="rescue.iso", tag="ops"),
            DesiredServer(label="old-box", state=Ensure.ABSENT),
        ),
        snapshots=(
            DesiredSnapshot("golden", server="web-prod-1"),
            DesiredSnapshot("ancient", state=Ensure.ABSENT),
        ),
        safety=Safety(max_destroy_percent=50, min_owned=4),
        sources=(file,),
    )
    assert desired == expected
    assert len(manifest_digest(desired)) == 64
    lines = path.read_text().splitlines()
    assert desired.servers[0].location == SourceLocation(
        file, lines.index("  - label: web-${STAGE}-1") + 1, 5
    )
    assert desired.snapshots[1].location == SourceLocation(
        file, lines.index("  - description: ancient") + 1, 5
    )


def test_defaults_absent_give_model_defaults(write):
    path = write(
        "m.yaml",
        """
        project: p
        servers:
          - label: a
            region: 1
            plan: 2
            os: 3
        """,
    )
    desired = load_manifest([path], env={})
    assert desired.safety == Safety()
    assert desired.servers == (DesiredServer(label="a", region="1", plan="2", os="3"),)
    assert not desired.uses_iso


def test_directory_merges_sorted_files_and_ignores_other_files(write, tmp_path):
    write("infra/b.yml", "project: web\nservers:\n  - label: b\n")
    write(
        "infra/a.yaml", "project: web\ndefaults: {region: Atlanta, plan: p, os: o}\nservers:\n  - label: a\n"
    )
    write("infra/.hidden.yaml", "not: [valid")
    write("infra/README.md", "# notes")
    write("infra/sub/c.yaml", "project: other")
    desired = load_manifest([tmp_path / "infra"], env={})
    assert [s.label for s in desired.servers] == ["a", "b"]
    assert desired.servers[1].region == "Atlanta"
    assert desired.sources == (str(tmp_path / "infra" / "a.yaml"), str(tmp_path / "infra" / "b.yml"))


def test_same_file_given_twice_is_loaded_once(write, tmp_path):
    path = write("d/m.yaml", "project: web\nservers: [{label: a, region: r, plan: p, os: o}]\n")
    desired = load_manifest([path, tmp_path / "d"], env={})
    assert len(desired.servers) == 1
    assert desired.sources == (str(path),)


def test_yaml_merge_keys_and_anchors(write):
    path = write(
        "m.yaml",
        """
        project: web
        servers:
          - &base
            label: a
            region: r
            plan: p
            os: o
            tag: t
          - <<: *base
            label: b
            tag: other
        """,
    )
    desired = load_manifest([path], env={})
    assert desired.servers[1] == DesiredServer(label="b", region="r", plan="p", os="o", tag="other")


def test_dates_and_dollar_escapes_stay_text(write):
    path = write(
        "m.yaml",
        """
        project: web
        snapshots:
          - description: 2026-11-01
            server: a
        servers:
          - {label: "cost-$$5", region: r, plan: p, os: o, tag: "$HOME ${X:-}"}
          - {label: a, region: r, plan: p, os: o}
        """,
    )
    desired = load_manifest([path], env={})
    assert desired.snapshots[0].description == "2026-11-01"
    assert desired.servers[0].label == "cost-$5"
    assert desired.servers[0].tag == "$HOME "


def test_env_defaults_to_process_environment(write, monkeypatch):
    monkeypatch.setenv("VS_TEST_STAGE", "qa")
    path = write(
        "m.yaml", "project: web\nservers: [{label: 'w-${VS_TEST_STAGE}', region: r, plan: p, os: o}]\n"
    )
    assert load_manifest([str(path)]).servers[0].label == "w-qa"


def test_script_body_never_in_repr(write):
    path = write("m.yaml", "project: web\nstartup_scripts: [{name: s, script: TOPSECRET}]\n")
    desired = load_manifest([path], env={})
    assert "TOPSECRET" not in repr(desired)
    assert desired.startup_scripts[0].script == "TOPSECRET"


def _digest(path, stage: str) -> str:
    return manifest_digest(load_manifest([path], env={"STAGE": stage}))


def test_digest_is_stable_and_ignores_locations_and_sources(write, tmp_path, full, public_key):
    first = load_manifest([_write_full(write, full, public_key)], env={"STAGE": "prod"})
    assert _digest(tmp_path / "web.yaml", "prod") == manifest_digest(first)
    moved = write("elsewhere/web.yaml", "\n\n# comments and blank lines move every location\n" + full)
    write("elsewhere/keys/deploy.pub", (tmp_path / "keys/deploy.pub").read_text())
    write("elsewhere/scripts/bootstrap.sh", (tmp_path / "scripts/bootstrap.sh").read_text())
    again = load_manifest([moved], env={"STAGE": "prod"})
    assert again.servers[0].location != first.servers[0].location
    assert manifest_digest(again) == manifest_digest(first)


def test_digest_changes_with_any_desired_change(write, tmp_path, full, public_key):
    base = load_manifest([_write_full(write, full, public_key)], env={"STAGE": "prod"})
    assert _digest(tmp_path / "web.yaml", "dev") != manifest_digest(base)
    write("scripts/bootstrap.sh", "#!/bin/sh\necho changed\n")
    assert _digest(tmp_path / "web.yaml", "prod") != manifest_digest(base)
    for old, new in [
        ("min_owned: 4", "min_owned: 5"),
        ("power: stopped", "power: running"),
        ("protect: true\n  - label: worker", "protect: false\n  - label: worker"),
    ]:
        write("scripts/bootstrap.sh", "#!/bin/sh\necho ${HOME}\n")
        write("web.yaml", full.replace(old, new))
        changed = load_manifest([tmp_path / "web.yaml"], env={"STAGE": "prod"})
        assert manifest_digest(changed) != manifest_digest(base), old
        assert changed != base
