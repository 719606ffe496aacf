"""The Terraform-like text renderer: one block per action, every change class, refusals, colour."""

from __future__ import annotations

import re
from dataclasses import replace

from vultr_state.model.plan import Action, ActionType, ChangeClass, FieldChange, Kind, Plan, Refusal
from vultr_state.render import render_text

ANSI = re.compile(r"\x1b\[[0-9;]*m")


def test_every_action_type_has_its_symbol_and_title(full_plan):
    text = render_text(full_plan)
    assert "  + ssh_key.deploy (create)\n" in text
    assert "  ~ server.api-1 (update in place)  [id 576965]\n" in text
    assert "-/+ server.db-1 (replace: region)  [id 576966]\n" in text
    assert "  ! server.cache-1 (reinstall: os)  [id 576967]\n" in text
    assert "  - server.old-box (destroy)  [id 576968, protected]  REFUSED\n" in text
    assert "  - server.x (prune: removed from manifest)  [id 576969]  REFUSED\n" in text
    assert "  = ssh_key.ops (adopt)  [id 5806ab4970aba]\n" in text


def test_each_field_change_shows_old_new_and_class_aligned_within_its_block(full_plan):
    text = render_text(full_plan)
    assert (
        '        label   = "api-old" → "api-1"  (in-place)\n        protect = false → true  (registry only)\n'
    ) in text
    assert '        region   = "New Jersey" → "Frankfurt"  (forces replacement)\n' in text
    assert '        os = "CentOS 7 x64" → "Ubuntu 22.04 x64"  (forces reinstall: disk wiped)\n' in text


def test_sensitive_changes_show_digests_and_are_marked(full_plan):
    text = render_text(full_plan)
    assert (
        '        script = "sha256:1111111111111111" → "sha256:2222222222222222"  (in-place, sensitive)\n'
        in text
    )
    assert "(create-time-only: takes effect when next created, sensitive)" in text
    assert "        public_key = (sensitive)\n" in text


def test_creates_show_catalog_names_beside_ids_and_nothing_internal(full_plan):
    text = render_text(full_plan)
    block = text.split("  + server.web-1 (create)\n", 1)[1].split("\n\n", 1)[0]
    assert block.splitlines() == [
        '        label           = "web-1"',
        '        region          = "New Jersey" (1)',
        "        plan            = id 201",
        '        os              = "CentOS 7 x64" (387)',
        '        ssh_keys        = ["deploy"]',
        '        startup_script  = "bootstrap"',
        "        ipv6            = true",
        "        private_network = false",
        "        auto_backups    = false",
        '        power           = "running"',
    ]
    assert "c0ffee" not in text and "create_digest" not in text
    assert "region_id" not in text and "_name" not in text


def test_action_blocks_are_separated_by_a_blank_line(full_plan):
    text = render_text(full_plan)
    assert "        public_key = (sensitive)\n\n    ~ startup_script.bootstrap (update in place)" in text


def test_no_secret_body_ever_appears(full_plan, secrets):
    for color in (False, True):
        text = render_text(full_plan, color=color)
        for secret in secrets:
            assert secret not in text


def test_refusals_are_listed_with_what_unblocks_them(full_plan):
    text = render_text(full_plan)
    assert "Refused (2): apply will not run this plan as it stands.\n" in text
    assert "  ✗ server.x: pruning needs an explicit permission (rerun with --allow-prune)\n" in text
    assert "  ✗ server.old-box: it is protected; remove `protect: true` from its entry first\n" in text


def test_unmanaged_counts_skip_zero_kinds_and_pluralise(full_plan):
    text = render_text(full_plan)
    assert 'Unmanaged (not owned by project "web", left alone): 3 servers, 1 ssh_key.\n' in text
    assert "snapshot" not in text.split("Unmanaged", 1)[1].split("\n", 1)[0]


def test_summary_line_is_last(full_plan):
    last = render_text(full_plan).rstrip("\n").splitlines()[-1]
    assert last == (
        "Plan: 2 to create, 2 to update, 1 to replace, 1 to reinstall, 1 to destroy, 1 to prune, 1 to adopt."
    )


def test_no_changes(empty_plan):
    text = render_text(empty_plan)
    assert text == (
        'vultr-state plan for project "web" (4 owned objects)\n'
        "\n"
        "No changes. The account matches the manifest.\n"
    )


def test_a_plan_holding_only_refusals_does_not_claim_the_account_matches(empty_plan):
    refused = replace(
        empty_plan,
        refusals=(Refusal("server:db-1", "server db-1 is protected: it is not destroyed"),),
    )
    text = render_text(refused)
    assert "No changes. The account matches the manifest." not in text
    assert text.rstrip().endswith(
        "No changes can be made: the account differs from the manifest only in what is refused above."
    )


def test_no_colour_unless_asked(full_plan):
    assert "\x1b[" not in render_text(full_plan)
    assert "\x1b[" not in render_text(full_plan, color=False)


def test_colour_wraps_the_same_text(full_plan):
    coloured = render_text(full_plan, color=True)
    assert "\x1b[32;1m  +\x1b[0m" in coloured
    assert "\x1b[31;1mREFUSED\x1b[0m" in coloured
    assert ANSI.sub("", coloured) == render_text(full_plan)


def test_reasons_get_their_own_comment_line(full_plan):
    text = render_text(full_plan)
    assert (
        "  - server.x (prune: removed from manifest)  [id 576969]  REFUSED\n"
        "        # owned, but no longer in the manifest\n"
    ) in text
    assert "        # matches by identity; not yet owned by project 'web'\n" in text


def test_replace_without_replace_class_fields():
    plan = Plan(
        project="p",
        actions=(
            Action(
                key="server:a",
                kind=Kind.SERVER,
                name="a",
                type=ActionType.REPLACE,
                live_id="1",
                reason="boot source changed",
                changes=(FieldChange("snapshot", None, "golden", ChangeClass.CREATE_TIME_ONLY),),
            ),
        ),
    )
    text = render_text(plan)
    assert "-/+ server.a (replace)  [id 1]\n        # boot source changed\n" in text
    assert (
        '        snapshot = (set at creation) → "golden"  '
        "(create-time-only: takes effect when next created)\n" in text
    )


def test_rendering_is_deterministic(full_plan):
    assert render_text(full_plan) == render_text(full_plan)
