"""Every example under examples/ is a manifest a newcomer can copy: it starts with the editor schema
line and a comment saying what it shows, validates with no environment set, and applies cleanly to an
empty emulated account, after which a new plan shows no changes. Also what each example claims to show:
environment variables (web cluster), protection (web cluster's database), servers booted from a snapshot.
"""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from tests.docs.conftest import EXAMPLES, ROOT, example_manifests, manifest_files
from vultr_state.manifest import load_manifest
from vultr_state.model.plan import ActionType
from vultr_state.planner import PlanOptions

SCHEMA = (ROOT / "schemas" / "manifest.schema.json").resolve()
SCHEMA_LINE = "# yaml-language-server: $schema="
MANIFESTS = example_manifests()
FILES = [file for example in MANIFESTS for file in manifest_files(example)]


def _name(path: Path) -> str:
    return str(path.relative_to(ROOT))


def test_the_promised_examples_exist():
    names = {_name(p) for p in MANIFESTS}
    assert {"examples/quickstart.yaml", "examples/from-snapshot.yaml", "examples/web-cluster"} <= names
    assert len(manifest_files(EXAMPLES / "web-cluster")) >= 3
    assert (EXAMPLES / "adopt" / "README.md").is_file() and (EXAMPLES / "adopt" / "adopt.sh").is_file()


@pytest.mark.parametrize("file", FILES, ids=_name)
def test_each_file_starts_with_the_schema_line_then_says_what_it_shows(file: Path):
    lines = file.read_text(encoding="utf-8").splitlines()
    assert lines[0].startswith(SCHEMA_LINE), "the first line lets a YAML language server find the schema"
    assert (file.parent / lines[0][len(SCHEMA_LINE) :]).resolve() == SCHEMA
    header = []
    for line in lines[1:]:
        if not line.startswith("#"):
            break
        header.append(line.lstrip("# "))
    assert len(" ".join(header)) >= 80, "a comment after the schema line must say what the example shows"


@pytest.mark.parametrize("example", MANIFESTS, ids=_name)
def test_each_example_validates_with_no_environment(example: Path):
    desired = load_manifest([example], env={})
    assert desired.servers
    assert [Path(s) for s in desired.sources] == manifest_files(example)


@pytest.mark.parametrize("example", MANIFESTS, ids=_name)
def test_each_example_applies_cleanly_then_plans_no_changes(example: Path, account):
    first = account.plan([example])
    assert not first.refusals
    assert {a.type for a in first.actions} == {ActionType.CREATE}

    result = account.apply(first)

    assert result.ok and len(result.results) == len(first.actions)
    desired = load_manifest([example], env={})
    assert sorted(account.servers()) == sorted(s.label for s in desired.servers)
    again = account.plan([example])
    assert not again.has_changes, [a.key for a in again.actions]


def test_web_cluster_takes_its_names_from_the_environment():
    cluster = EXAMPLES / "web-cluster"
    staging = load_manifest([cluster], env={})
    production = load_manifest([cluster], env={"CLUSTER_ENV": "production", "DOMAIN": "example.org"})

    assert staging.project == "web-staging"
    assert production.project == "web-production"
    labels = {s.label for s in production.servers}
    assert labels == {"production-web-1", "production-web-2", "production-db-1"}
    web = next(s for s in production.servers if s.label == "production-web-1")
    assert web.reverse_dns.ipv4 == "web-1.production.example.org"
    assert web.ssh_keys == ("ops-production",) and web.startup_script == "web-setup-production"


def test_web_cluster_database_is_protected_even_once_removed_from_the_manifest(account, tmp_path):
    cluster = EXAMPLES / "web-cluster"
    account.apply(account.plan([cluster]))
    without_db = shutil.copytree(cluster, tmp_path / "web-cluster")
    (without_db / "db.yaml").unlink()

    result = account.plan([without_db], PlanOptions(allow_prune=True, force=True))

    assert not [a for a in result.actions if a.type is ActionType.PRUNE]
    assert [(r.action_key, r.needs) for r in result.refusals] == [("server:staging-db-1", None)]
    assert "is protected" in result.refusals[0].message


def test_from_snapshot_boots_the_app_servers_from_the_snapshot(account):
    example = EXAMPLES / "from-snapshot.yaml"
    account.apply(account.plan([example]))

    servers = account.servers()
    (snapshot,) = account.snapshots()
    assert snapshot["description"] == "golden-v1" and snapshot["status"] == "complete"
    assert str(servers["golden-builder"]["os"]).startswith("Ubuntu 22.04")
    if account.api == "v1":
        assert servers["app-1"]["os"] == servers["app-2"]["os"] == "Snapshot"
    else:  # v2 instances booted from a snapshot report the snapshot's OS
        assert servers["app-1"]["os_id"] == servers["app-2"]["os_id"] == snapshot["os_id"]
