"""``state: absent`` touches only what the project owns (issue 12), through the real CLI.

An absent entry whose object the project does not own plans nothing and says so; an owned one is
destroyed (with ``--allow-destroy``); an object another project owns stays invisible.
"""

from __future__ import annotations

from e2e.conftest import manifest_text

LEFT_ALONE = "is not owned by this project: left alone; adopt it first to destroy it"

ABSENT = """\
  - label: old-box
    state: absent
"""
ABSENT_KEY = """\
  - name: colleague
    state: absent
"""


def _with_absent_key(text: str) -> str:
    return text.replace("ssh_keys:\n", "ssh_keys:\n" + ABSENT_KEY, 1)


def test_an_unowned_object_named_absent_is_left_alone(site):
    server_id = site.stranger.server("old-box")
    key_id = site.stranger.ssh_key("colleague")
    site.account.write(_with_absent_key(manifest_text(labels=(), extra=ABSENT)))

    shown = site.plan("--allow-destroy")
    assert shown.returncode == 0, shown.stderr
    assert f"server 'old-box' (state: absent): server {server_id} {LEFT_ALONE}" in shown.stdout
    assert f"ssh key 'colleague' (state: absent): ssh key {key_id} {LEFT_ALONE}" in shown.stdout
    assert "0 to destroy" in shown.stdout

    applied = site.apply("--allow-destroy")
    assert applied.returncode == 0, applied.stderr
    assert "old-box" in site.labels()
    assert key_id in site.key_ids()


def test_an_owned_object_marked_absent_is_destroyed(site):
    site.account.write(manifest_text(labels=("old-box",)))
    assert site.apply().returncode == 0
    site.account.write(manifest_text(labels=(), extra=ABSENT))

    refused = site.apply()
    assert refused.returncode == 1
    assert "needs --allow-destroy" in refused.stderr + refused.stdout
    assert site.labels() == ["old-box"]

    applied = site.apply("--allow-destroy")
    assert applied.returncode == 0, applied.stderr
    assert LEFT_ALONE not in applied.stdout
    assert site.labels() == []


def test_another_projects_object_stays_invisible(site):
    server_id = site.stranger.server("old-box")
    site.stranger.registry("colleagues", [("server", server_id, "old-box")])
    site.account.write(manifest_text(labels=(), extra=ABSENT))

    shown = site.plan("--allow-destroy")
    assert shown.returncode == 0, shown.stderr
    assert "old-box" not in shown.stdout
    assert site.apply("--allow-destroy").returncode == 0
    assert site.labels() == ["old-box"]
