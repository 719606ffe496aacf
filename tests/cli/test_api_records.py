"""The API is recorded where ids are: a saved plan applies on the API it was made on (``apply PLANFILE``
takes it from the file; a conflicting ``--api`` is a usage error), and a registry written through one
API is refused when read through the other. The real CLI (in process through ``main``) against a
served emulator, which keeps a separate account per API."""

from __future__ import annotations

import base64
import json

import requests

from vultr_state.emulator import DEFAULT_API_KEY

MANIFEST = """\
project: records
ssh_keys:
  - name: deploy
    public_key: "ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAICvMRIoLl7ifUS3jw5GPijSJRpDW6frmaxgsFBvBFfLQ deploy@ci"
"""


def _env(monkeypatch, served) -> None:
    monkeypatch.setenv("VULTR_API_URL", served.url)
    monkeypatch.setenv("VULTR_API_KEY", DEFAULT_API_KEY)
    monkeypatch.delenv("VULTR_API_VERSION", raising=False)


def test_a_saved_plan_applies_on_its_own_api_and_a_conflicting_api_is_a_usage_error(
    cli, served, monkeypatch, tmp_path
):
    _env(monkeypatch, served)
    manifest = tmp_path / "records.yaml"
    manifest.write_text(MANIFEST)
    saved = tmp_path / "plan.json"
    assert cli("plan", str(manifest), "--api", "v1", "--out", str(saved), "--rate-limit", "0").code == 0
    assert json.loads(saved.read_text())["api"] == "v1"

    refused = cli("apply", str(saved), "--api", "v2", "--auto-approve", "--rate-limit", "0")
    assert refused.code == 64
    assert "was planned on the Vultr API v1 and names v1 ids" in refused.err
    assert served.emulator.ssh_keys() == [] and served.emulator.v2.ssh_keys() == []

    applied = cli("apply", str(saved), "--auto-approve", "--rate-limit", "0")  # the default is v2
    assert applied.code == 0, applied.err
    assert [k["name"] for k in served.emulator.ssh_keys()] == ["deploy"]  # on v1, where it was planned
    assert served.emulator.v2.ssh_keys() == []


def test_a_registry_written_through_the_other_api_is_refused(cli, served, monkeypatch, tmp_path):
    _env(monkeypatch, served)
    manifest = tmp_path / "records.yaml"
    manifest.write_text(MANIFEST)
    v1_registry = '{"v":1,"project":"records","api":"v1","part":0,"parts":1,"gen":"0","owned":{}}'
    answer = requests.post(
        f"{served.url}/v2/startup-scripts",
        json={"name": "vultr-state:records", "script": base64.b64encode(v1_registry.encode()).decode()},
        headers={"Authorization": f"Bearer {DEFAULT_API_KEY}"},
        timeout=10,
    )
    assert answer.status_code == 201

    refused = cli("plan", str(manifest), "--rate-limit", "0")

    assert refused.code == 1
    assert "registry of project 'records'" in refused.err
    assert "was written through the Vultr API v1, and this command uses v2" in refused.err
    assert "Traceback" not in refused.err
    # v1's own account has no such registry: v1 plans the key.
    assert cli("plan", str(manifest), "--api", "v1", "--rate-limit", "0").code == 0
