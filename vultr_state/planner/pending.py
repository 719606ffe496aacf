"""Creates whose outcome is unknown: hold them until their object appears or a window has passed.

Called by ``planner.entries`` when a manifest entry has no live object but the registry holds a pending
create for it (an earlier apply sent the create and never learnt whether it happened: a 5xx, a dropped
connection, an unreadable answer). Sending it again at once could make a second, billed object, since a
created object may take a while to show in lists. So:

- while the pending entry is younger than ``PENDING_CREATE_WINDOW`` (10 minutes) the entry is held: the
  plan carries a refusal no flag lifts, saying the outcome is unknown and to rerun after a minute; the
  object is adopted by the next plan that sees it (``planner.matching``);
- while the registry is locked by an unexpired apply, nothing is held: those pending entries are that
  apply's work in progress, and the lock refuses the second apply anyway;
- once the window has passed with nothing visible, the first create provably did not happen (or the
  object was removed meanwhile) and the create is planned again.

``now`` is the plan's reading of the clock, given by the caller (the planner itself reads no clock); with
no clock reading every pending entry counts as young: holding is the safe side.
"""

from __future__ import annotations

from datetime import UTC, datetime

from vultr_state.model.plan import Kind, Refusal
from vultr_state.model.registry import OUTCOME_UNKNOWN, PENDING_CREATE_WINDOW, PendingCreate, Registry

__all__ = ["OUTCOME_UNKNOWN", "PENDING_CREATE_WINDOW", "has_aged", "hold_refusal", "may_hold", "retry_reason"]


def _utc(epoch: float) -> str:
    return datetime.fromtimestamp(epoch, UTC).strftime("%Y-%m-%d %H:%M:%S UTC")


def has_aged(pending: PendingCreate, now: float | None) -> bool:
    """True when the pending create is older than the window (so it may be sent again)."""
    return now is not None and now - pending.started_at >= PENDING_CREATE_WINDOW


def may_hold(registry: Registry, now: float | None) -> bool:
    """False while the registry's lock is held (unexpired): another apply is running, and its own pending
    creates are no lost answers. That apply refuses this one at the lock, which says what to do."""
    lock = registry.lock
    return lock is None or (now is not None and lock.expires_at <= now)


def hold_refusal(key: str, kind: Kind, name: str, pending: PendingCreate) -> Refusal:
    """The refusal that holds a young pending create back (no flag lifts it; time does)."""
    what = f"{kind.value.replace('_', ' ')} {name!r}"
    return Refusal(
        key,
        f"{what}: an earlier apply's create (sent {_utc(pending.started_at)}) got no answer and nothing "
        f"shows yet; {OUTCOME_UNKNOWN} (it is created again only if nothing appears by "
        f"{_utc(pending.started_at + PENDING_CREATE_WINDOW)})",
    )


def retry_reason(pending: PendingCreate) -> str:
    """Why a create is planned again for an entry whose earlier create had an unknown outcome."""
    return (
        f"an earlier create (sent {_utc(pending.started_at)}) got no answer and nothing appeared within "
        f"{int(PENDING_CREATE_WINDOW // 60)} minutes: creating it again"
    )
