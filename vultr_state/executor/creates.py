"""Creating without ever creating twice, and destroying in a way that survives lost answers.

Called by ``executor.steps`` for every create and destroy. A create whose outcome is unknown (the
client raised ``ApiOutcomeUnknown``: a 5xx, a dropped connection or an unreadable answer after the
request may have been processed) is never re-sent blindly: the kind is listed again and an object with
the same identity that was not there before (not in ``known_ids``) is adopted as the result. Servers
are looked for a few times, since a lost create can take a moment to show. Only when nothing appeared
is the create sent again, up to ``CREATE_ATTEMPTS`` times in all. A destroy the provider answers with
``ObjectGone`` (the object is gone, or already going) is done.
"""

from __future__ import annotations

import logging
from collections.abc import Callable, Iterable
from typing import TYPE_CHECKING

from vultr_state.errors import ApiOutcomeUnknown, ObjectGone
from vultr_state.executor.context import ApplyContext
from vultr_state.model.live import id_order
from vultr_state.model.plan import Kind

if TYPE_CHECKING:  # the interface only: steps never see a provider's code
    from vultr_state.providers.base import Operations

log = logging.getLogger(__name__)

CREATE_ATTEMPTS = 3
SERVER_LOOKS = 3  # listings of servers after a lost create before concluding it was not processed
LOOK_PAUSE = 2.0  # seconds between those listings


def create_once(
    ctx: ApplyContext, kind: Kind, name: str, send: Callable[[], str], known_ids: Iterable[str] = ()
) -> str:
    """Send a create and return the new object's id, adopting it instead of re-sending when the first
    answer was lost.

    Args:
        ctx: The apply's shared context (operations, clock, listings).
        kind: Kind being created.
        name: Its identity (name, label or description).
        send: Sends the create once and returns the new id (an ``Operations`` call).
        known_ids: Ids of objects with this identity that existed before the create (e.g. the server a
            replace destroys): never taken as the result.

    Returns:
        The id of the object created (or found created).

    Raises:
        ApiOutcomeUnknown: every attempt ended without a known outcome and nothing appeared; the
            registry keeps the pending entry so that the next plan adopts the object if it shows up.
        ApiError: the create was refused (e.g. 412) or another call failed.
    """
    known = frozenset(known_ids)
    last: ApiOutcomeUnknown | None = None
    for attempt in range(1, CREATE_ATTEMPTS + 1):
        try:
            return send()
        except ApiOutcomeUnknown as exc:
            last = exc
            log.warning("apply: %s %s: create outcome unknown (%s); looking before retrying", kind, name, exc)
        found = find_created(ctx, kind, name, known)
        if found is not None:
            log.warning("apply: %s %s: the lost create did happen; adopting %s", kind, name, found)
            return found
        if attempt < CREATE_ATTEMPTS:
            log.warning("apply: %s %s: not created; sending the create again", kind, name)
    assert last is not None
    ctx.mark_unresolved(kind, name)
    raise last


def find_created(ctx: ApplyContext, kind: Kind, name: str, known: frozenset[str]) -> str | None:
    """The id of an object of ``kind`` named ``name`` that is not in ``known``, if one is listed.

    Servers are listed up to ``SERVER_LOOKS`` times, ``LOOK_PAUSE`` seconds apart; other kinds once.
    When several match, the lowest id is taken (the next plan reports the others as an identity clash).
    """
    looks = SERVER_LOOKS if kind is Kind.SERVER else 1
    for look in range(looks):
        if look:
            ctx.timing.sleep(LOOK_PAUSE)
        listing = ctx.listing(kind, fresh=True)
        matches = sorted(
            (oid for oid, identity in listing.items() if identity == name and oid not in known), key=id_order
        )
        if matches:
            return matches[0]
    return None


def destroy_tolerant(ops: Operations, kind: Kind, object_id: str) -> None:
    """Destroy ``object_id``, counting "it is already gone / being destroyed" (``ObjectGone``) as success.

    Raises:
        ApiError: any other failure (e.g. v1's 5-minute rule for young servers, a locked server).
    """
    try:
        ops.destroy(kind, object_id)
    except ObjectGone:
        log.debug("apply: %s %s was already gone", kind, object_id)
