"""The table of v1 endpoints the client knows: HTTP method, whether a key is sent, and retry kind.

Read by ``core.ClientCore`` for every call (typed methods and ``raw``). One row per endpoint, so the
authentication and retry rules can be reviewed in one place; ``retry`` explains the kinds.
"""

from __future__ import annotations

from dataclasses import dataclass

from vultr_state.http.pipeline import Auth
from vultr_state.http.retry import CallKind


@dataclass(frozen=True, slots=True)
class Endpoint:
    """One v1 endpoint."""

    method: str
    path: str
    auth: Auth = Auth.REQUIRED
    kind: CallKind = CallKind.READ

    @property
    def call(self) -> str:
        """The label used in logs, counters and errors, e.g. ``"POST server/create"``."""
        return f"{self.method} {self.path}"


def _get(path: str, auth: Auth = Auth.REQUIRED) -> Endpoint:
    return Endpoint("GET", path, auth, CallKind.READ)


def _post(path: str, kind: CallKind) -> Endpoint:
    return Endpoint("POST", path, Auth.REQUIRED, kind)


_ONCE, _IDEM, _DESTROY = CallKind.ONCE, CallKind.IDEMPOTENT, CallKind.DESTROY

ENDPOINTS: dict[str, Endpoint] = {
    e.path: e
    for e in (
        _get("account/info"),
        _get("app/list", Auth.NONE),
        _get("auth/info"),
        _get("backup/list"),
        _get("iso/list"),
        _get("os/list", Auth.NONE),
        _get("plans/list", Auth.NONE),
        _get("regions/availability", Auth.OPTIONAL),
        _get("regions/list", Auth.NONE),
        _post("server/backup_disable", _IDEM),
        _post("server/backup_enable", _IDEM),
        _get("server/bandwidth"),
        _post("server/create", _ONCE),
        _post("server/create_ipv4", _ONCE),
        _post("server/destroy", _DESTROY),
        _post("server/destroy_ipv4", _DESTROY),
        _post("server/halt", _IDEM),
        _post("server/ipv6_enable", _IDEM),
        _post("server/label_set", _IDEM),
        _get("server/list"),
        _get("server/list_ipv4"),
        _get("server/list_ipv6"),
        _post("server/os_change", _ONCE),
        _get("server/os_change_list"),
        _post("server/private_network_enable", _IDEM),
        _post("server/reboot", _ONCE),
        _post("server/reinstall", _ONCE),
        _post("server/restore_backup", _ONCE),
        _post("server/restore_snapshot", _ONCE),
        _post("server/reverse_default_ipv4", _IDEM),
        _post("server/reverse_delete_ipv6", _DESTROY),
        _get("server/reverse_list_ipv6"),
        _post("server/reverse_set_ipv4", _IDEM),
        _post("server/reverse_set_ipv6", _IDEM),
        _post("server/start", _ONCE),
        _post("server/tag_set", _IDEM),
        _post("server/upgrade_plan", _ONCE),
        _get("server/upgrade_plan_list"),
        _post("snapshot/create", _ONCE),
        _post("snapshot/destroy", _DESTROY),
        _get("snapshot/list"),
        _post("sshkey/create", _ONCE),
        _post("sshkey/destroy", _DESTROY),
        _get("sshkey/list"),
        _post("sshkey/update", _IDEM),
        _post("startupscript/create", _ONCE),
        _post("startupscript/destroy", _DESTROY),
        _get("startupscript/list"),
        _post("startupscript/update", _IDEM),
    )
}


def endpoint_for(method: str, path: str) -> Endpoint:
    """The table row for a call, or a conservative row for one the table does not know.

    An unknown GET is a keyed read; an unknown POST is keyed and ``ONCE`` (never re-sent blindly). A
    known path called with the other method keeps its auth rule but the method given (the server will
    answer 405, which is the point of calling it that way through ``raw``).
    """
    known = ENDPOINTS.get(path)
    if known is not None and known.method == method:
        return known
    auth = known.auth if known is not None else Auth.REQUIRED
    kind = CallKind.READ if method == "GET" else CallKind.ONCE
    return Endpoint(method, path, auth, kind)
