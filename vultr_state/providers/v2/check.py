"""One mapping from v2 HTTP statuses and error bodies to the ``ApiError`` tree.

Called by the v2 dialect on every non-2xx answer. v2 error bodies are JSON, ``{"error":"<text>",
"status":<int>}`` (the rate-limit layer spells it ``{"status": 429,"error": "rate limit exceeded"}``);
the message kept on the error is Vultr's ``error`` text, scrubbed of secrets and truncated, or the
collapsed body text when it is not that JSON (a proxy's HTML page). Statuses (reference section 4):

- 400: Vultr refused the request ("Invalid plan chosen.", "Invalid UUID format.") → ``ApiRequestFailed``:
  on v2 a user can cause it (a bad plan for the region), unlike v1's 400 "Invalid API location";
- 401 / 403: bad key, source IP not allow-listed, sub-user without the ACL → ``ApiAuthError``;
- 404: the object is gone (or never existed) → ``ObjectGone``, the boundary's typed "gone";
- 405 and anything else unexpected → ``ApiUsageError`` (our request was wrong);
- 429: rate limit → ``ApiRateLimited`` (retried like v1's 503, even for creates: nothing happened);
- 500 "… Server is currently locked" (delete, reinstall, power while installing or resizing) →
  ``ApiRequestFailed`` with status 500: an explicit refusal, not an ambiguous failure, so a create-like
  call is not reported as "outcome unknown"; ``is_locked`` tells the operations to wait and try again;
- other 5xx → ``ApiServerError``.
"""

from __future__ import annotations

import json
import re
from collections.abc import Callable

from vultr_state.errors import (
    ApiAuthError,
    ApiError,
    ApiRateLimited,
    ApiRequestFailed,
    ApiServerError,
    ApiUsageError,
    ObjectGone,
)

MESSAGE_LIMIT = 300
LOCKED_TEXT = "currently locked"
_TAG = re.compile(r"<[^>]{0,200}>")
_SPACE = re.compile(r"\s+")

_DOC_TEXT = {
    400: "Bad request.",
    401: "Invalid API token.",
    403: "Forbidden.",
    404: "Not found.",
    405: "Method not allowed.",
    429: "rate limit exceeded",
    500: "Internal server error.",
}


def error_message(body: str, status: int, scrub: Callable[[str], str]) -> str:
    """Vultr's text from a v2 error body (the ``error`` field), scrubbed and truncated.

    A body that is not the documented JSON object is shown as its text with tags removed and
    whitespace collapsed; an empty one as the status's documented meaning.
    """
    text = ""
    try:
        parsed = json.loads(body)
    except ValueError:
        parsed = None
    if isinstance(parsed, dict) and isinstance(parsed.get("error"), str):
        text = parsed["error"]
    elif body.strip():
        text = _TAG.sub(" ", body) if "<" in body else body
    text = _SPACE.sub(" ", scrub(text)).strip()
    text = scrub(text)
    if not text:
        text = _DOC_TEXT.get(status, "")
    if len(text) > MESSAGE_LIMIT:
        text = text[: MESSAGE_LIMIT - 3].rstrip() + "..."
    return text


def error_class(status: int, message: str) -> type[ApiError]:
    """The ``ApiError`` subclass for a non-2xx v2 status (and, for a 500, its message)."""
    if status in (401, 403):
        return ApiAuthError
    if status == 400:
        return ApiRequestFailed
    if status == 404:
        return ObjectGone
    if status == 429:
        return ApiRateLimited
    if status == 500 and LOCKED_TEXT in message.lower():
        return ApiRequestFailed
    if status >= 500:
        return ApiServerError
    return ApiUsageError


def to_error(call: str, status: int, body: str, scrub: Callable[[str], str]) -> ApiError:
    """The mapped ``ApiError`` of a non-2xx v2 answer (raised by the pipeline).

    Args:
        call: e.g. ``"DELETE /instances/<id>"``.
        status: The HTTP status.
        body: The response text.
        scrub: Removes secrets from the message.

    Returns:
        ``ApiRequestFailed`` (400, or a 500 saying the server is locked), ``ApiAuthError`` (401/403),
        ``ObjectGone`` (404), ``ApiRateLimited`` (429), ``ApiServerError`` (other 5xx) or
        ``ApiUsageError`` (405, 3xx and other unexpected statuses).
    """
    message = error_message(body, status, scrub)
    return error_class(status, message)(call, status, message)


def is_locked(error: BaseException) -> bool:
    """True for v2's "Server is currently locked" refusal: the call may be sent again once it clears."""
    return (
        isinstance(error, ApiRequestFailed) and error.status == 500 and LOCKED_TEXT in error.message.lower()
    )
