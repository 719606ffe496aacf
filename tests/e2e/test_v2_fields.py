"""The real CLI on v2 with the fields v2 adds (``tags``, ``hostname``, ``user_data``): they reach the
instance, the project's owner tag rides along hidden, a rerun plans no change, and neither the user data
nor the default password v2 hands back on create ever shows in plan text, JSON, a saved plan or apply
output."""

from __future__ import annotations

import base64
from pathlib import Path

from executor.support import APIS

from e2e.conftest import make_account, manifest_text
from vultr_state.emulator.v2.models import InstanceRecord, load_all

USER_DATA = "#cloud-config\nruncmd: [echo e2e-user-data-secret]\n"
V2_SERVER = """\
  - label: app-1
    hostname: app-1.internal
    tags: [blue, team-a]
    user_data: "{user_data}"
"""


def test_v2_tags_hostname_and_user_data_reach_the_instance_and_stay_secret(tmp_path: Path) -> None:
    escaped = USER_DATA.replace("\n", "\\n")
    for account in make_account(tmp_path, api=APIS["v2"]):
        account.write(manifest_text(labels=(), extra=V2_SERVER.format(user_data=escaped)))
        planned = account.cli.run("plan", "manifest.yaml", "--rate-limit", "0", "--out", "plan.json")
        as_json = account.cli.run("plan", "manifest.yaml", "--rate-limit", "0", "--json")
        assert planned.returncode == 0 and as_json.returncode == 0, planned.stderr + as_json.stderr
        applied = account.cli.run("apply", "plan.json", "--auto-approve", "--rate-limit", "0")
        assert applied.returncode == 0, applied.stdout + applied.stderr

        (record,) = load_all(account.emulator.store, InstanceRecord)
        assert (record.label, record.hostname) == ("app-1", "app-1.internal")
        assert base64.b64decode(record.user_data).decode() == USER_DATA
        assert set(record.tags) == {"blue", "team-a", "vultr-state:e2e"}
        assert record.default_password  # v2 handed one back on create...

        again = account.cli.apply()
        assert again.returncode == 0 and "No changes" in again.stdout, again.stdout + again.stderr
        shown = account.cli.run("show", "--rate-limit", "0")
        assert shown.returncode == 0 and "app-1" in shown.stdout, shown.stdout + shown.stderr
        outputs = [planned, as_json, applied, again, shown]
        texts = [p.stdout + p.stderr for p in outputs] + [(tmp_path / "plan.json").read_text()]
        for secret in ("e2e-user-data-secret", record.user_data, record.default_password):
            assert all(secret not in text for text in texts)  # ... and it is never shown
