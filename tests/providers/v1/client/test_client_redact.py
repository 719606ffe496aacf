"""Secret scrubbing helpers: parameter masking, JSON field masking (even truncated), value scrubbing."""

from __future__ import annotations

from vultr_state.http.redact import Scrubber, redact_body_text, redact_params


def test_redact_params_masks_sensitive_values_and_shortens_long_ones():
    shown = redact_params(
        [("SUBID", "1"), ("script", "#!/bin/sh secret"), ("ssh_key", "ssh-rsa AAA"), ("label", "x" * 100)]
    )
    assert "secret" not in shown
    # Public keys are not secrets (http.redact.SENSITIVE_FIELDS, the one list).
    assert shown.startswith("SUBID=1 script=*** ssh_key=ssh-rsa AAA label=xxxx") and shown.endswith("...")


def test_redact_body_text_masks_fields_even_in_truncated_json():
    body = '{"1":{"default_password":"p\\"ss","label":"a"},"2":{"script":"#!/bin/sh\\necho hi'
    redacted = redact_body_text(body)
    assert 'p\\"ss' not in redacted and "echo hi" not in redacted
    assert '"label":"a"' in redacted and redacted.count("***") == 2


def test_redact_body_text_leaves_null_and_other_fields_alone():
    body = '{"default_password": null, "userdata": "", "name": "web"}'
    assert redact_body_text(body) == '{"default_password": null, "userdata": "***", "name": "web"}'


def test_scrubber_replaces_secrets_raw_and_json_escaped():
    script = 'line one\nline "two"'
    scrub = Scrubber(["KEY-123456", script, None, "ab"])
    text = 'key KEY-123456 body "line one\\nline \\"two\\"" and ab stays'
    cleaned = scrub(text)
    assert "KEY-123456" not in cleaned and "line one" not in cleaned
    assert "ab stays" in cleaned
    assert "KEY" not in repr(scrub)
