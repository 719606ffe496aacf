"""Wire format of the v1 API: PHP-style JSON, replies, the failure exception and every error text.

Used by ``v1.api`` (status errors) and by every handler (``json_reply``, ``empty_reply``, ``ApiFailure``).

Error texts marked *real* were recorded from the live API (see the shared fixtures). The others were never
recorded; they follow the real "Invalid X.  Check XID value ..." pattern (two spaces after the first full
stop) so that clients matching on prefixes such as ``Invalid server`` keep working:

* 400/405/500 bodies: the official status-table wording.
* unknown DCID / VPSPLANID / OSID / ISOID / APPID / FIREWALLGROUPID on create, an OSID outside
  ``os_change_list``, a VPSPLANID outside ``upgrade_plan_list``, a bad startup-script type: the
  ``INVALID_*`` texts below.
* an unknown SCRIPTID / SSHKEYID / SNAPSHOTID given to ``server/create`` or a restore reuses the real text of
  the matching destroy call.
"""

from __future__ import annotations

import json
from typing import Any

from vultr_state.emulator.core.reply import Reply

# Real texts (fixtures/errors).
INVALID_API_KEY = "Invalid API key"
INVALID_SERVER = "Invalid server.  Check SUBID value and ensure your API key matches the server's account"
INVALID_SNAPSHOT = (
    "Invalid snapshot.  Check SNAPSHOTID value and ensure your API key matches the snapshots's account"
)
INVALID_SSHKEY = "Invalid SSH Key.  Check SSHKEYID value and ensure your API key matches the key's account"
INVALID_SCRIPT = (
    "Invalid statup script.  Check SCRIPTID value and ensure your API key matches the scripts's account"
)
INVALID_IP = "Invalid IP address"
SSHKEY_CREATE_INVALID = "Unable to create SSH Key: Invalid SSH key.  Keys should be in authorized_keys format"
PLAN_NOT_AVAILABLE = (
    "Plan is not available in the selected datacenter.  This could mean you have chosen the wrong plan "
    "(for example, a storage plan in a location that does not offer them), or the location you have "
    "selected does not have any more capacity."
)
DESTROY_TOO_YOUNG = "Unable to destroy server: Servers cannot be destroyed within 5 minutes of being created"
DESTROY_LOCKED = "Unable to destroy server: Unable to remove VM: Server is currently locked"
RATE_LIMIT_TEMPLATE = (
    "Rate limit reached - please try your request again later.  Current rate limit: {} requests/sec"
)

# Chosen texts (never recorded; see the module docstring).
INVALID_LOCATION = "Invalid API location. Check the URL that you are using."
INVALID_METHOD = (
    "Invalid HTTP method. Check that the method (POST|GET) matches what the documentation indicates."
)
INTERNAL_ERROR = "Internal server error. Try again at a later time."
SSHKEY_UPDATE_INVALID = "Unable to update SSH Key: Invalid SSH key.  Keys should be in authorized_keys format"
INVALID_DCID = (
    "Invalid datacenter.  Check DCID value and ensure it matches a region returned by v1/regions/list"
)
INVALID_PLAN = "Invalid plan.  Check VPSPLANID value and ensure it matches a plan returned by v1/plans/list"
INVALID_OSID = (
    "Invalid operating system.  Check OSID value and ensure it matches an operating system returned by "
    "v1/os/list"
)
INVALID_OS_CHANGE = (
    "Invalid operating system.  Check OSID value and ensure it is listed by v1/server/os_change_list"
)
INVALID_UPGRADE_PLAN = (
    "Invalid plan.  Check VPSPLANID value and ensure it is listed by v1/server/upgrade_plan_list"
)
INVALID_ISO = "Invalid ISO.  Check ISOID value and ensure your API key matches the ISO's account"
INVALID_APP = (
    "Invalid application.  Check APPID value and ensure it matches an application returned by v1/app/list"
)
INVALID_FIREWALL_GROUP = (
    "Invalid firewall group.  Check FIREWALLGROUPID value and ensure your API key matches the group's account"
)
INVALID_BACKUP = "Invalid backup.  Check BACKUPID value and ensure your API key matches the backup's account"
INVALID_SCRIPT_TYPE = "Invalid startup script type.  Type must be boot or pxe"
SCRIPT_BODY_REQUIRED = "Unable to create startup script: Script body is required"


def rate_limit_text(rate: float) -> str:
    """The real 503 body, with the rate written as the service wrote it (``2``, or ``1.5``)."""
    figure = f"{rate:g}" if rate > 0 else "0"
    return RATE_LIMIT_TEMPLATE.format(figure)


class ApiFailure(Exception):
    """A v1 error answer: HTTP ``status`` with a plain-text ``text`` body. Raised by handlers and the app."""

    def __init__(self, text: str, status: int = 412) -> None:
        super().__init__(text)
        self.status = status
        self.text = text


EMPTY = Reply(200)
TEXT_CONTENT_TYPE = "text/html; charset=UTF-8"
JSON_CONTENT_TYPE = "application/json"


def php_json(value: Any) -> bytes:
    """Encode like PHP ``json_encode``: compact, ASCII (``\\uXXXX``), ``/`` as ``\\/``, no newline."""
    # A "/" can only occur inside JSON strings here, so a plain replace is exact.
    return json.dumps(value, separators=(",", ":"), ensure_ascii=True).replace("/", "\\/").encode("ascii")


def json_reply(value: Any) -> Reply:
    """A 200 answer with a JSON body."""
    return Reply(200, php_json(value), JSON_CONTENT_TYPE)


def keyed_reply(items: dict[str, Any]) -> Reply:
    """A keyed collection: a JSON object keyed by id strings, or ``[]`` when empty (PHP's empty array)."""
    return json_reply(items if items else [])


def empty_reply() -> Reply:
    """The 200 answer of action endpoints: no body and no Content-Type."""
    return EMPTY


def error_reply(status: int, text: str) -> Reply:
    """A plain-text error answer, with the content type the real nginx front end sent."""
    return Reply(status, text.encode("utf-8"), TEXT_CONTENT_TYPE)
