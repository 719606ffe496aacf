"""v2 error mapping on the error bodies recorded from the live API (``wire/errors/``)."""

from __future__ import annotations

import pytest

from providers.v2.wiredata import text
from vultr_state.errors import (
    ApiAuthError,
    ApiError,
    ApiRateLimited,
    ApiRequestFailed,
    ApiServerError,
    ApiUsageError,
    ObjectGone,
)
from vultr_state.providers.v2.check import error_message, is_locked, to_error


def _no_secrets(value: str) -> str:
    return value


def _raised(status: int, body: str, call: str = "GET /instances/x") -> ApiError:
    return to_error(call, status, body, _no_secrets)


@pytest.mark.parametrize(
    ("fixture", "status", "error_type", "message"),
    [
        ("400_instance_create_bad_request.2021.json", 400, ApiRequestFailed, "Bad request."),
        ("400_instance_create_invalid_plan.2023.json", 400, ApiRequestFailed, "Invalid plan chosen."),
        ("400_instance_create_invalid_uuid.2021.json", 400, ApiRequestFailed, "Invalid UUID format."),
        ("400_instance_get_invalid_instance_id.2021.json", 400, ApiRequestFailed, "invalid instance ID"),
        ("401_invalid_api_token.json", 401, ApiAuthError, "Invalid API token."),
        ("404_instance_subresource_invalid_instance-id.2022.json", 404, ObjectGone, "Invalid instance-id."),
        ("404_not_found.2026.json", 404, ObjectGone, "Not found."),
        ("404_ssh_key_get_invalid.2023.json", 404, ObjectGone, "Invalid ssh key."),
        ("429_rate_limit_exceeded.2021.json", 429, ApiRateLimited, "rate limit exceeded"),
    ],
)
def test_recorded_error_bodies_map_to_the_error_tree_with_vultrs_text(
    fixture: str, status: int, error_type: type[ApiError], message: str
) -> None:
    error = _raised(status, text(f"errors/{fixture}"), "POST /instances")
    assert type(error) is error_type
    assert (error.call, error.status, error.message) == ("POST /instances", status, message)
    assert str(error) == f"POST /instances failed (HTTP {status}): {message}"


def test_the_locked_500_is_an_explicit_refusal_that_may_be_retried() -> None:
    error = _raised(500, text("errors/500_instance_delete_locked.2024.json"), "DELETE /instances/abc")
    assert isinstance(error, ApiRequestFailed) and not isinstance(error, ApiServerError)
    assert error.message == "Unable to destroy server: Unable to remove VM: Server is currently locked"
    assert is_locked(error)
    other = _raised(500, '{"error":"Internal error","status":500}')
    assert type(other) is ApiServerError and not is_locked(other)


@pytest.mark.parametrize(
    ("status", "error_type"), [(405, ApiUsageError), (302, ApiUsageError), (502, ApiServerError)]
)
def test_other_statuses(status: int, error_type: type[ApiError]) -> None:
    assert type(_raised(status, "")) is error_type


def test_non_json_bodies_are_collapsed_and_empty_ones_get_the_documented_text() -> None:
    assert error_message("<html><body><h1>502 Bad Gateway</h1>\n</body></html>", 502, _no_secrets) == (
        "502 Bad Gateway"
    )
    assert error_message("", 404, _no_secrets) == "Not found."
    assert len(error_message('{"error":"' + "x" * 1000 + '"}', 400, _no_secrets)) == 300


def test_messages_are_scrubbed() -> None:
    token = "ABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789"
    message = error_message(
        f'{{"error":"bad token {token}","status":401}}', 401, lambda t: t.replace(token, "***")
    )
    assert token not in message and message == "bad token ***"
