"""Recalling a server's create-time fields from its registry digest: found when a candidate matches,
named as unknown when none does, nothing to recall without a digest."""

from __future__ import annotations

from vultr_state.model.desired import DesiredServer
from vultr_state.resources.server import Resolved, create_digest
from vultr_state.resources.server_recall import recall

RESOLVED = Resolved(region_id="1", plan_id="201", os_id="1743")


def _digest(**fields) -> str:
    return create_digest(DesiredServer(label="web-1", **fields), RESOLVED)


def test_keys_script_and_hostname_are_recalled_from_the_account_names():
    digest = _digest(ssh_keys=("ops", "deploy"), startup_script="bootstrap", hostname="web-1")
    found = recall(digest, "web-1", ["deploy", "ci", "ops"], ["other", "bootstrap"])
    assert found is not None
    assert (found.ssh_keys, found.startup_script, found.hostname, found.unknown) == (
        ("deploy", "ops"),
        "bootstrap",
        "web-1",
        (),
    )


def test_empty_fields_are_recalled_as_empty():
    found = recall(_digest(), "web-1", ["deploy"], ["bootstrap"])
    assert found is not None and (found.ssh_keys, found.startup_script, found.hostname) == ((), None, None)
    assert found.unknown == ()


def test_what_no_candidate_matches_is_unknown():
    digest = _digest(ssh_keys=("gone",), startup_script="deleted", hostname="db.internal")
    found = recall(digest, "web-1", ["deploy"], ["bootstrap"])
    assert found is not None and found.unknown == ("ssh_keys", "startup_script", "hostname")


def test_no_digest_means_nothing_to_recall():
    assert recall("", "web-1", ["deploy"], []) is None
    assert recall("abc.def", "web-1", ["deploy"], []) is None


def test_a_server_created_with_user_data_recalls_the_rest_and_names_user_data_unknown():
    digest = _digest(ssh_keys=("deploy",), user_data="#cloud-config\n")
    assert len(digest.split(".")) == 5  # a digest without user data keeps the 4-part format
    found = recall(digest, "web-1", ["deploy"], [])
    assert found is not None and found.ssh_keys == ("deploy",) and found.unknown == ("user_data",)
