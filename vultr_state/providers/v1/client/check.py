"""One mapping from v1 HTTP statuses to the ``ApiError`` tree: ``check_response``.

Called by ``dialect.V1Dialect.map_error`` on every non-2xx answer. v1 error bodies are plain text
(sometimes an nginx HTML page); the message kept on the error is that text with tags and runs of
whitespace collapsed, scrubbed of secrets and truncated, because it ends up in logs and on the user's
terminal.
"""

from __future__ import annotations

import re
from collections.abc import Callable

from vultr_state.errors import (
    ApiAuthError,
    ApiError,
    ApiRateLimited,
    ApiRequestFailed,
    ApiServerError,
    ApiUsageError,
)

# Long enough for every v1 error text seen (the longest, "Plan is not available...", is 232 characters),
# short enough that an HTML error page cannot flood a terminal.
MESSAGE_LIMIT = 300

_TAG = re.compile(r"<[^>]{0,200}>")
_SPACE = re.compile(r"\s+")
_DOUBLE_SPACE_AFTER_PERIOD = re.compile(r"\.  (?=\S)")

_DOC_TEXT = {
    400: "Invalid API location",
    403: "Invalid or missing API key",
    405: "Invalid HTTP method",
    412: "Request failed",
    500: "Internal server error",
    503: "Rate limit hit",
}


def error_message(body: str, status: int, scrub: Callable[[str], str]) -> str:
    """Vultr's text from an error body: tags removed, whitespace collapsed, scrubbed, truncated.

    v1 texts put two spaces after a period ("Invalid server.  Check SUBID..."): they are kept, so a
    message can be compared with the documented text.
    """
    text = scrub(body)  # before reshaping: a multi-line secret is only recognisable as sent
    text = text if "<" not in text else _TAG.sub(" ", text)
    parts = _DOUBLE_SPACE_AFTER_PERIOD.split(text)
    text = ".  ".join(_SPACE.sub(" ", part).strip() for part in parts).strip()
    text = scrub(text)
    if not text:
        text = _DOC_TEXT.get(status, "")
    if len(text) > MESSAGE_LIMIT:
        text = text[: MESSAGE_LIMIT - 3].rstrip() + "..."
    return text


def error_class(status: int) -> type[ApiError]:
    """The ``ApiError`` subclass for a non-2xx status."""
    if status == 403 or status == 401:
        return ApiAuthError
    if status == 412:
        return ApiRequestFailed
    if status == 503:
        return ApiRateLimited
    if status >= 500:
        return ApiServerError
    return ApiUsageError  # 400, 405 and anything else unexpected (3xx, 404...): our request was wrong


def check_response(call: str, status: int, body: str, scrub: Callable[[str], str]) -> None:
    """Raise the mapped ``ApiError`` for a non-2xx answer; return quietly for a 2xx one.

    Args:
        call: e.g. ``"POST server/create"``.
        status: The HTTP status.
        body: The response text.
        scrub: Removes secrets from the message.

    Raises:
        ApiUsageError: 400, 405, 3xx and other unexpected statuses.
        ApiAuthError: 401/403.
        ApiRequestFailed: 412, with Vultr's explanation as ``message``.
        ApiServerError: 500 and other 5xx except 503.
        ApiRateLimited: 503.
    """
    if 200 <= status < 300:
        return
    raise error_class(status)(call, status, error_message(body, status, scrub))
