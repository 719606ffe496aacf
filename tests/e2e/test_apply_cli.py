"""The real CLI, as a subprocess, against an emulator on a real port, on both APIs: apply from empty,
apply again, change and converge, saved plans, destroy, and the exit code of each outcome."""

from __future__ import annotations

from e2e.conftest import SCRIPT_SECRET, make_account, manifest_text
from vultr_state.model.server import ServerUpdate

# The reads of a plan of the e2e manifest (one key, one script, two servers with IPv4 and IPv6 names):
# v1: seven lists + the reverse-DNS reads of the two servers (IPv4 and IPv6 each);
# v2: the same seven lists (one page each) + the registry's body (v2 lists omit bodies; the manifest's
#     script body is read only when its listed date_modified changed) + the same reverse-DNS reads.
PLAN_READS = {"v1": 7 + 2 * 2, "v2": 7 + 1 + 2 * 2}


def test_apply_from_empty_then_again_makes_no_call_beyond_the_plan(account):
    first = account.cli.apply()
    assert first.returncode == 0, first.stderr
    assert "+ server.web-1: creating..." in first.stdout
    assert "+ server.web-1: created " in first.stdout
    assert "Apply complete: 6 created in" in first.stdout  # key, script, 2 servers, 2 reverse DNS
    assert account.labels() == ["web-1", "web-2"]
    servers = account.servers()
    assert all(s.status == "active" and s.v6_main_ip for s in servers)
    assert SCRIPT_SECRET not in first.stdout + first.stderr

    posts_before = account.posts()
    calls_before = account.calls()
    again = account.cli.apply()
    assert again.returncode == 0, again.stderr
    assert "No changes" in again.stdout
    assert account.posts() == posts_before  # nothing but the plan's reads
    assert account.calls() - calls_before == PLAN_READS[account.api.name]


def test_change_converges_and_destroy_needs_permission(account):
    assert account.cli.apply().returncode == 0
    account.write(manifest_text(power="stopped", domain="example.org"))
    changed = account.cli.apply()
    assert changed.returncode == 0, changed.stderr
    assert "~ server.web-1: updated in" in changed.stdout
    assert {s.power for s in account.servers()} == {"stopped"}
    assert "No changes" in account.cli.apply().stdout

    refused = account.cli.run("destroy", "manifest.yaml", "--auto-approve", "--rate-limit", "0")
    assert refused.returncode == 1
    assert "destroy needs --allow-destroy" in refused.stderr
    assert account.labels() == ["web-1", "web-2"]

    destroyed = account.cli.run(
        "destroy", "manifest.yaml", "--auto-approve", "--allow-destroy", "--rate-limit", "0"
    )
    assert destroyed.returncode == 0, destroyed.stderr
    assert "Apply complete: 4 destroyed" in destroyed.stdout
    assert account.labels() == [] and account.ssh_keys() == []
    # The registry, left owning nothing, went with the rest: nothing of the project remains.
    assert account.scripts() == []


def test_no_terminal_without_auto_approve_is_refused(account):
    result = account.cli.run("apply", "manifest.yaml", "--rate-limit", "0")
    assert result.returncode == 1
    assert "no terminal to ask on; add --auto-approve" in result.stderr
    assert "Traceback" not in result.stderr
    assert account.posts() == 0


def test_usage_and_manifest_errors_have_their_exit_codes(account):
    usage = account.cli.run("apply", "manifest.yaml", "--parallelism", "0")
    assert usage.returncode == 64
    account.write("project: e2e\nservers: [{label: 5}]\n")
    broken = account.cli.apply()
    assert broken.returncode == 1 and "Traceback" not in broken.stderr


def test_refusal_without_permission_exits_1_and_changes_nothing(account):
    assert account.cli.apply().returncode == 0
    account.write(manifest_text(labels=("web-1",)))  # web-2 would be pruned
    refused = account.cli.apply()
    assert refused.returncode == 1
    assert "needs --allow-prune" in refused.stderr + refused.stdout
    assert account.labels() == ["web-1", "web-2"]
    pruned = account.cli.apply("--allow-prune")
    assert pruned.returncode == 0, pruned.stderr
    assert account.labels() == ["web-1"]


def test_saved_plan_is_applied_and_a_stale_one_refused(account):
    saved = account.cli.run("plan", "manifest.yaml", "--out", "plan.json", "--rate-limit", "0")
    assert saved.returncode == 0, saved.stderr
    applied = account.cli.run("apply", "plan.json", "--auto-approve", "--rate-limit", "0")
    assert applied.returncode == 0, applied.stderr
    assert account.labels() == ["web-1", "web-2"]

    account.write(manifest_text(power="stopped"))
    assert (
        account.cli.run("plan", "manifest.yaml", "--out", "stale.json", "--rate-limit", "0").returncode == 0
    )
    # Out of band, after the plan was saved: someone halts web-1 and renames web-2.
    web1, web2 = sorted(account.servers(), key=lambda s: s.label)
    operations = account.provider().operations
    operations.power_off(web1.id)
    operations.update_server(web2.id, ServerUpdate(label="renamed"))
    posts_before = account.posts()
    stale = account.cli.run("apply", "stale.json", "--auto-approve", "--rate-limit", "0")
    assert stale.returncode == 1
    assert "is stale" in stale.stderr
    assert account.posts() == posts_before  # refused before any change
    assert sorted(s.label for s in account.servers()) == ["renamed", "web-1"]
    assert {s.label: s.power for s in account.servers()}["web-1"] == "stopped"


def test_v1_raw_api_calls_change_the_account_out_of_band(tmp_path):
    """v1 wire: the ``api`` command's v1 endpoints halt and rename servers (what the stale-plan test does
    through the provider on both APIs)."""
    for account in make_account(tmp_path):
        assert account.cli.apply().returncode == 0
        web1, web2 = sorted(account.servers(), key=lambda s: s.label)
        halted = account.cli.run("api", "POST", "server/halt", f"SUBID={web1.id}", "--rate-limit", "0")
        assert halted.returncode == 0, halted.stderr
        renamed = account.cli.run(
            "api", "POST", "server/label_set", f"SUBID={web2.id}", "label=renamed", "--rate-limit", "0"
        )
        assert renamed.returncode == 0, renamed.stderr
        assert {s.label: s.power for s in account.servers()} == {"web-1": "stopped", "renamed": "running"}
