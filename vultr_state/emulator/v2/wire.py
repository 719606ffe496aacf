"""Wire format of the v2 API: Go-style JSON, the reply helpers, the failure exception and every error text.

Used by ``v2.api`` (auth, routing, rate limit, body errors) and by every v2 handler. Conventions (see the
shared v2 reference, section 1): JSON bodies are compact with keys in struct order and ``/`` unescaped;
every error is ``{"error": "...", "status": N}`` with ``Content-Type: application/json`` exactly and
``status`` equal to the HTTP status; a 204 carries no body and no Content-Type (Vultr's Node.js client
parses any body labelled JSON).

Texts marked *real* were recorded from the live API (``fixtures/v2/errors/``) or quoted from it in issue
threads; the 429 body keeps its recorded spacing and key order. The others were never recorded and are
chosen: short sentences in the style of the real ones ("Invalid plan chosen.", "Invalid UUID format.").
"""

from __future__ import annotations

import json
from typing import Any

from vultr_state.emulator.core.reply import Reply

JSON_CONTENT_TYPE = "application/json"

# Real texts.
INVALID_API_TOKEN = "Invalid API token."
BAD_REQUEST = "Bad request."
INVALID_UUID = "Invalid UUID format."
INVALID_PLAN = "Invalid plan chosen."
INVALID_INSTANCE_ID = "invalid instance ID"  # 400: an instance id that is not a UUID (2021 text)
INSTANCE_NOT_FOUND = "instance not found"  # 404: unknown or destroyed instance (client matcher, 2026)
INVALID_INSTANCE_SUBRESOURCE = "Invalid instance-id."  # 404 on sub-resources (reverse DNS, ...)
INVALID_SSH_KEY = "Invalid ssh key."
INVALID_STARTUP_SCRIPT = "Invalid startup script ID"  # status not recorded; 404 here
NOT_FOUND = "Not found."
DESTROY_LOCKED = "Unable to destroy server: Unable to remove VM: Server is currently locked"
REINSTALL_LOCKED = "Unable to reinstall server: Server is currently locked"
RATE_LIMITED_BODY = b'{"status": 429,"error": "rate limit exceeded"}'

# Chosen texts (never recorded).
METHOD_NOT_ALLOWED = "Method not allowed."
INTERNAL_ERROR = "Internal server error."
BODY_NOT_JSON = "Bad request. The body must be a JSON object."
BODY_TOO_LARGE = "Request body too large."
INVALID_CURSOR = "Invalid cursor."
INVALID_PER_PAGE = "Invalid per_page: expected an integer."
INVALID_REGION = "Invalid region chosen."
PLAN_NOT_IN_REGION = "Plan is not available in the selected region."
PLAN_NOT_AN_UPGRADE = (
    "Invalid plan chosen. Only upgrades listed by /instances/{instance-id}/upgrades are allowed."
)
INVALID_OS = "Invalid os_id chosen."
INVALID_APP = "Invalid app_id chosen."
INVALID_IMAGE = "Invalid image_id chosen."
INVALID_ISO = "Invalid iso_id chosen."
INVALID_SNAPSHOT = "Invalid snapshot ID."
SNAPSHOT_NOT_READY = "Snapshot is not complete yet."
NO_BOOT_SOURCE = "Bad request. One of os_id, iso_id, snapshot_id, app_id or image_id is required."
TWO_BOOT_SOURCES = "Bad request. Give only one of os_id, iso_id, snapshot_id, app_id or image_id."
INVALID_FIREWALL_GROUP = "Invalid firewall group."
INVALID_USER_SCHEME = "Invalid user_scheme. Use root or limited."
INVALID_BASE64 = "Invalid {}: not base64."
SCRIPT_TOO_LARGE = "Invalid script: the decoded body exceeds 64 KB."
INVALID_SCRIPT_TYPE = "Invalid startup script type. Use boot or pxe."
INVALID_KEY_MATERIAL = "Unable to create SSH Key: Invalid SSH key. Keys should be in authorized_keys format."
INVALID_IP = "Invalid IP address."
INVALID_BACKUP = "Invalid backup ID."
INVALID_BACKUP_SCHEDULE = "Invalid backup schedule."
MISSING_FIELD = "Bad request. Missing required field: {}."
WRONG_TYPE = "Bad request. Field {} must be {}."
LOCKED_TEMPLATE = "Unable to {} server: Server is currently locked"


class ApiError(Exception):
    """A v2 error answer: HTTP ``status`` and the ``error`` text. Raised by handlers and the pipeline."""

    def __init__(self, status: int, text: str) -> None:
        super().__init__(text)
        self.status = status
        self.text = text


def go_json(value: Any) -> bytes:
    """Encode like Go's ``encoding/json``: compact, UTF-8, ``/`` unescaped, keys in the given order."""
    return json.dumps(value, separators=(",", ":"), ensure_ascii=False).encode("utf-8")


def json_reply(value: Any, status: int = 200) -> Reply:
    """A JSON answer."""
    return Reply(status, go_json(value), JSON_CONTENT_TYPE)


NO_CONTENT = Reply(204)
EMPTY_OK = Reply(200)  # a 200 the document describes without content
RATE_LIMITED = Reply(429, RATE_LIMITED_BODY, JSON_CONTENT_TYPE)


def error_reply(status: int, text: str) -> Reply:
    """The JSON error answer ``{"error": text, "status": status}``."""
    return Reply(status, go_json({"error": text, "status": status}), JSON_CONTENT_TYPE)
