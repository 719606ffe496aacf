"""Creating without ever creating twice, and destroying in a way that survives lost answers.

Called by ``executor.steps`` and ``executor.server_steps`` for every create and destroy. A create is
sent exactly once by an apply. When its outcome is unknown (the provider raised ``ApiOutcomeUnknown``: a
5xx, a dropped connection or an unreadable answer after the request may have been processed), the kind
is listed once and an object with the same identity that was not there before (not in ``known_ids``:
the same-identity objects the apply saw before it sent anything) is adopted as the result. When nothing
shows, the step stops with ``CreateOutcomeUnknown`` (no re-send: on a real API a created object can take
longer than any listing retry to appear), the registry keeps the create's pending entry, and the next
plan adopts the object once it appears or, when its pending entry has aged past
``PENDING_CREATE_WINDOW`` with nothing visible, creates it again (``planner.pending``). Only a create
that provably never reached the API (no connection, a rate-limit answer) is re-sent, by the provider.

On an API whose owned servers carry the project's owner tag (v2), a listed server with the right label
counts as our lost create only when it carries our tag: the tag confirms, the registry stays the
authority.

A destroy the provider answers with ``ObjectGone`` (the object is gone, or already going) is done.
"""

from __future__ import annotations

import logging
from collections.abc import Callable, Iterable
from typing import TYPE_CHECKING

from vultr_state.errors import ApiOutcomeUnknown, CreateOutcomeUnknown, ObjectGone
from vultr_state.executor.context import ApplyContext
from vultr_state.model.live import id_order
from vultr_state.model.plan import Kind

if TYPE_CHECKING:  # the interface only: steps never see a provider's code
    from vultr_state.providers.base import Operations

log = logging.getLogger(__name__)


def create_once(
    ctx: ApplyContext, kind: Kind, name: str, send: Callable[[], str], known_ids: Iterable[str] = ()
) -> str:
    """Send a create once and return the new object's id, adopting it when the answer was lost and the
    object already shows.

    Args:
        ctx: The apply's shared context (operations, listings, the ids seen before the apply sent
            anything).
        kind: Kind being created.
        name: Its identity (name, label or description).
        send: Sends the create once and returns the new id (an ``Operations`` call).
        known_ids: Further ids never to take as the result (e.g. the server a replace destroys); the
            context adds the same-identity ids it saw before the apply's first create.

    Returns:
        The id of the object created (or found created).

    Raises:
        CreateOutcomeUnknown: the answer was lost and nothing shows yet; the registry keeps the pending
            entry so that the next plan adopts the object if it shows up.
        ApiError: the create was refused (e.g. 412) or another call failed.
    """
    known = frozenset(known_ids) | ctx.known_before(kind, name)
    try:
        return send()
    except ApiOutcomeUnknown as exc:
        log.warning("apply: %s %s: create outcome unknown (%s); looking for it", kind, name, exc)
        cause = exc
    found = find_created(ctx, kind, name, known)
    if found is not None:
        log.warning("apply: %s %s: the lost create did happen; adopting %s", kind, name, found)
        return found
    ctx.mark_unresolved(kind, name)
    raise CreateOutcomeUnknown(f"{kind.value.replace('_', ' ')} {name!r}", cause)


def find_created(ctx: ApplyContext, kind: Kind, name: str, known: frozenset[str]) -> str | None:
    """The id of an object of ``kind`` named ``name`` that is not in ``known``, if one is listed now
    (one list call). When several match, the lowest id is taken (the next plan reports the others as an
    identity clash). Servers on an owner-tagging API must carry this project's tag."""
    listing = ctx.listing(kind, fresh=True)
    matches = [oid for oid, identity in listing.items() if identity == name and oid not in known]
    if kind is Kind.SERVER:
        matches = [oid for oid in matches if ctx.tag_confirms(oid)]
    return min(matches, key=id_order) if matches else None


def destroy_tolerant(ops: Operations, kind: Kind, object_id: str) -> None:
    """Destroy ``object_id``, counting "it is already gone / being destroyed" (``ObjectGone``) as success.

    Raises:
        ApiError: any other failure (e.g. v1's 5-minute rule for young servers, a locked server).
    """
    try:
        ops.destroy(kind, object_id)
    except ObjectGone:
        log.debug("apply: %s %s was already gone", kind, object_id)
