"""An unexpected exception's text passes through redaction before it is printed (issue 12): a bug that
puts a script body (plain or base64) into an exception message does not carry it into the apply's
report, on both APIs; the CLI's internal-error line masks the API key."""

from __future__ import annotations

import base64

import pytest
from executor.support import SCRIPT_BODY, make_world, plan_of, script_create

from vultr_state.cli.app import _redacted
from vultr_state.errors import ApplyError


@pytest.mark.parametrize("api", ["v1", "v2"])
def test_an_internal_error_naming_a_script_body_is_reported_masked(api):
    world = make_world(api=api)
    encoded = base64.b64encode(SCRIPT_BODY.encode()).decode()

    def broken(name, script, script_type):  # a bug below the executor that echoes what it was given
        raise RuntimeError(f"cannot send {script!r} (as {encoded})")

    world.provider.operations.create_startup_script = broken
    with pytest.raises(ApplyError) as caught:
        world.apply(plan_of(script_create()))
    (failed,) = caught.value.result.failed
    assert failed.message.startswith("internal error (RuntimeError): cannot send ")
    assert SCRIPT_BODY.strip() not in failed.message and encoded not in failed.message
    assert "***" in failed.message


def test_the_cli_internal_error_line_masks_the_api_key(monkeypatch):
    monkeypatch.setenv("VULTR_API_KEY", "KEY0123456789SECRET")
    text = _redacted('failed with KEY0123456789SECRET and {"default_password":"hunter22"}')
    assert "KEY0123456789SECRET" not in text and "hunter22" not in text
