"""A snapshot outlives its source server, on the real CLI and both APIs: its ``server`` is create-time
only, so once the snapshot exists the server may be absent or gone. The golden-image example
(``examples/from-snapshot.yaml``) drops its builder after the first apply; a snapshot still to be taken
from an absent server is refused."""

from __future__ import annotations

import shutil
from pathlib import Path

from vultr_state.manifest import load_manifest
from vultr_state.model.plan import Kind

EXAMPLES = Path(__file__).resolve().parents[2] / "examples"
BUILDER = """\
  - label: golden-builder
    os: Ubuntu 22.04 x64
    startup_script: golden-bake
"""


def _example(tmp_path: Path) -> Path:
    shutil.copytree(EXAMPLES, tmp_path / "examples")
    path = tmp_path / "examples" / "from-snapshot.yaml"
    assert BUILDER in path.read_text()
    return path


def test_the_golden_image_example_drops_its_builder(cli, tmp_path, ops):
    site = _example(tmp_path)
    assert cli("apply", str(site), "--auto-approve").code == 0
    (snapshot_id,) = dict(ops.operations.list_names(Kind.SNAPSHOT))
    site.write_text(
        site.read_text().replace(BUILDER, BUILDER.replace("startup_script: golden-bake", "state: absent"))
    )
    shown = cli("plan", str(site), "--allow-destroy")
    assert shown.code == 0, shown.err
    assert "  - server.golden-builder (destroy" in shown.out
    assert "snapshot.golden-v1" not in shown.out
    assert cli("apply", str(site), "--allow-destroy", "--auto-approve").code == 0
    assert sorted(n for _, n in ops.operations.list_names(Kind.SERVER)) == ["app-1", "app-2"]
    assert dict(ops.operations.list_names(Kind.SNAPSHOT)) == {snapshot_id: "golden-v1"}
    # The builder's entry can go too: the snapshot still names it, and nothing is planned.
    site.write_text(
        site.read_text().replace(BUILDER.replace("startup_script: golden-bake", "state: absent"), "")
    )
    again = cli("plan", str(site), "--detailed-exitcode")
    assert again.code == 0, again.out + again.err


def test_a_snapshot_still_to_be_taken_needs_its_server(cli, write):
    site = write(
        "servers:\n  - label: old\n    state: absent\nsnapshots:\n  - description: golden\n    server: old\n"
    )
    load_manifest([str(site)])  # valid: whether the server must exist depends on the account
    shown = cli("plan", str(site))
    assert shown.code == 1
    assert "snapshot 'golden': refers to server 'old', which the manifest marks absent" in shown.err
