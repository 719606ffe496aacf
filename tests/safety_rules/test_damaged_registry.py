"""A damaged registry of another project (issue 12): a plan warning, and no adoption by identity while
it lasts (its objects look unowned, and adopting one would let a later prune destroy it), unless
``--allow-adopt-with-damaged-registry`` is given. Through the real CLI."""

from __future__ import annotations

from e2e.conftest import KEY, manifest_text

FLAG = "--allow-adopt-with-damaged-registry"
WARNING = "another project's registry is unreadable: registry script 'vultr-state:colleagues'"
NO_SERVERS = manifest_text(labels=()).replace("servers:\n", "servers: []\n")
REFUSED = "adopting ssh key 'deploy' by identity is refused while the registry of project 'colleagues'"


def _owner_of(site, key_id: str) -> bool:
    """True when the project's registry records ``key_id`` as owned."""
    return f'["{key_id}",' in site.registry_text()


def test_adoption_by_identity_is_refused_while_a_registry_is_damaged(site):
    key_id = site.stranger.ssh_key("deploy", KEY)
    site.stranger.damaged_registry("colleagues")
    site.account.write(NO_SERVERS)

    shown = site.plan()
    assert shown.returncode == 0, shown.stderr
    assert WARNING in shown.stdout and "is corrupt: not valid JSON" in shown.stdout
    assert REFUSED in shown.stdout
    assert f"apply will refuse this plan unless given {FLAG}" in shown.stderr

    refused = site.apply()
    assert refused.returncode == 1
    assert REFUSED in refused.stdout + refused.stderr
    assert site.scripts()[-1][0] == "vultr-state:colleagues"  # nothing written

    allowed = site.apply(FLAG)
    assert allowed.returncode == 0, allowed.stderr
    assert _owner_of(site, key_id)
    assert WARNING in allowed.stdout  # still said, even when overridden


def test_without_a_damaged_registry_the_same_key_is_adopted(site):
    key_id = site.stranger.ssh_key("deploy", KEY)
    site.account.write(NO_SERVERS)

    applied = site.apply()
    assert applied.returncode == 0, applied.stderr
    assert "unreadable" not in applied.stdout
    assert _owner_of(site, key_id)


def test_a_saved_plan_keeps_the_flag(site):
    site.stranger.ssh_key("deploy", KEY)
    site.stranger.damaged_registry("colleagues")
    site.account.write(NO_SERVERS)
    saved = site.plan(FLAG, "--out", "reviewed.plan")
    assert saved.returncode == 0, saved.stderr
    assert REFUSED not in saved.stdout

    applied = site.run("apply", "reviewed.plan", "--auto-approve", "--rate-limit", "0")
    assert applied.returncode == 0, applied.stderr
