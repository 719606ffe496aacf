"""Status → error class mapping, message cleaning, and keeping requests' errors out of our tree."""

from __future__ import annotations

import pytest
import requests

from vultr_state.errors import (
    ApiAuthError,
    ApiError,
    ApiRateLimited,
    ApiRequestFailed,
    ApiServerError,
    ApiUsageError,
    VultrStateError,
)
from vultr_state.providers.v1.client.check import MESSAGE_LIMIT, check_response, error_class, error_message


@pytest.mark.parametrize(
    "status, cls",
    [
        (400, ApiUsageError),
        (404, ApiUsageError),
        (405, ApiUsageError),
        (302, ApiUsageError),
        (401, ApiAuthError),
        (403, ApiAuthError),
        (412, ApiRequestFailed),
        (500, ApiServerError),
        (502, ApiServerError),
        (504, ApiServerError),
        (503, ApiRateLimited),
    ],
)
def test_every_status_maps(status, cls):
    assert error_class(status) is cls
    with pytest.raises(cls) as caught:
        check_response("GET server/list", status, "text", str)
    assert caught.value.status == status and caught.value.call == "GET server/list"


@pytest.mark.parametrize("status", [200, 201, 204])
def test_success_passes(status):
    assert check_response("GET os/list", status, "", str) is None


def test_412_keeps_vultrs_text_with_its_two_spaces():
    text = "Invalid server.  Check SUBID value and ensure your API key matches the server's account"
    with pytest.raises(ApiRequestFailed) as caught:
        check_response("POST server/halt", 412, text + "\n", str)
    assert caught.value.message == text
    assert str(caught.value) == f"POST server/halt failed (HTTP 412): {text}"


def test_html_pages_are_reduced_to_text_and_truncated():
    page = (
        "<html><head><title>403 Forbidden</title></head><body>\n<h1>Your IP (x.x.x.x) is not authorized</h1>"
    )
    assert error_message(page, 403, str) == "403 Forbidden Your IP (x.x.x.x) is not authorized"
    long = error_message("x" * 5000, 500, str)
    assert len(long) == MESSAGE_LIMIT and long.endswith("...")


def test_empty_bodies_get_the_documented_meaning():
    assert error_message("", 405, str) == "Invalid HTTP method"
    assert error_message("  ", 503, str) == "Rate limit hit"


def test_api_errors_are_ours_not_requests():
    assert issubclass(ApiError, VultrStateError)
    assert not issubclass(ApiError, requests.RequestException)
    assert not issubclass(ApiError, OSError)
