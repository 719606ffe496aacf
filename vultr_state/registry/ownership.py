"""Ownership: pure updates of a registry, and which live objects a project may see.

``with_owned``/``without_owned``/``with_pending``/``with_lock``/``without_lock`` are the frozen-registry
updates the executor folds an apply's results with. ``visible`` is the neutral half of every provider's
``read``: it decodes the project's registry from the account's blobs, decodes the other projects'
registries (for ``show`` and ``export``), and names the objects other projects own, which a plan must never
see, adopt, count or touch."""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass, replace

from vultr_state.model.live import UnreadableRegistry
from vultr_state.model.registry import Blob, OwnedObject, PendingCreate, Registry, RegistryLock
from vultr_state.registry.codec import decode_registry, is_registry_script, read_other_registries


@dataclass(frozen=True, slots=True)
class Visibility:
    """What ``visible`` found: the project's registry, the others', and the objects hidden from it.

    Attributes:
        registry: The project's registry (empty when it has none yet).
        others: The other projects' registries, by project name (damaged ones left out).
        hidden: ``(kind, id)`` of objects another project owns and ours does not; empty unless hiding.
        unreadable: The other projects' registries that could not be decoded (their objects look
            unowned: the planner warns and refuses adoption by identity while there are any).
    """

    registry: Registry
    others: tuple[Registry, ...]
    hidden: frozenset[tuple[str, str]]
    unreadable: tuple[UnreadableRegistry, ...] = ()

    def shows(self, kind: str, object_id: str) -> bool:
        """True when the object of ``kind`` with ``object_id`` is the project's to see."""
        return (kind, object_id) not in self.hidden


def visible(project: str, blobs: Sequence[Blob], *, hide_other_projects: bool, api: str = "") -> Visibility:
    """Decode the registries held in ``blobs`` and decide what ``project`` sees.

    Args:
        project: The manifest's project.
        blobs: The account's registry records (other records are ignored).
        hide_other_projects: Hide what other projects own and ours does not (a plan); ``show`` and
            ``export`` see everything.
        api: The API reading them: a registry written through another one is refused (ours) or counted
            as unreadable (another project's); "" accepts any.

    Raises:
        PlanError: the project's registry is corrupt or ambiguous, or records another API.
    """
    scripts = [(b.id, b.name, b.body) for b in blobs if is_registry_script(b.name)]
    registry = decode_registry(project, scripts, api=api)
    others, unreadable = read_other_registries(project, scripts, api=api)
    hidden = hidden_from(registry, others.values()) if hide_other_projects else frozenset()
    return Visibility(registry, tuple(others[name] for name in sorted(others)), hidden, unreadable)


def hidden_from(registry: Registry, others: Iterable[Registry]) -> frozenset[tuple[str, str]]:
    """``(kind, id)`` of the objects the ``others`` registries own and ``registry`` does not."""
    ours = {(o.kind, o.id) for o in registry.owned}
    return frozenset((o.kind, o.id) for other in others for o in other.owned if (o.kind, o.id) not in ours)


def with_owned(reg: Registry, objects: Iterable[OwnedObject]) -> Registry:
    """Record ``objects`` as owned, replacing earlier entries with the same kind and id."""
    new = {(o.kind, o.id): o for o in reg.owned}
    new.update({(o.kind, o.id): o for o in objects})
    return replace(reg, owned=tuple(sorted(new.values(), key=lambda o: (o.kind, o.id))))


def without_owned(reg: Registry, kind: str, object_ids: Iterable[str]) -> Registry:
    """Forget the owned objects of ``kind`` with the given ids (destroyed or released)."""
    gone = set(object_ids)
    return replace(reg, owned=tuple(o for o in reg.owned if not (o.kind == kind and o.id in gone)))


def with_pending(reg: Registry, new: Iterable[PendingCreate]) -> Registry:
    """``reg`` with the ``new`` pending entries added; older entries of other (kind, name) pairs are kept
    (an earlier apply's create of unknown outcome stays pending until its object is adopted or the create
    is planned again)."""
    added = tuple(new)
    fresh = {(p.kind, p.name) for p in added}
    return replace(reg, pending=(*(p for p in reg.pending if (p.kind, p.name) not in fresh), *added))


def with_lock(reg: Registry, holder: str, expires_at: float) -> Registry:
    """Take (or renew) the advisory lock for ``holder`` until ``expires_at`` (epoch seconds)."""
    return replace(reg, lock=RegistryLock(holder=holder, expires_at=expires_at))


def without_lock(reg: Registry) -> Registry:
    """Release the advisory lock."""
    return replace(reg, lock=None)
