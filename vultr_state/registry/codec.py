"""The ownership registry on the wire: naming, encoding, splitting, decoding and pure updates.

A project's registry lives in the account as startup script(s): ``vultr-state:<project>`` holds part 0,
``vultr-state:<project>:<n>`` holds part ``n`` when the document outgrows one script (64 KiB). Every part
is itself a compact JSON object::

    {"v":1,"project":"web","api":"v2","part":0,"parts":1,"gen":"<12 hex>",
     "owned":{"server":[["<id>","<name>",<protect 0|1>,"<create digest>"],...],...},
     "seen":{"<script id>":["<date_modified>","<body digest>"],...},
     "pending":[["<kind>","<name>",<started_at>,["<known id>",...]],...],
     "lock":{"holder":"...","expires_at":<epoch seconds>},
     "rdns":{"<server id>":["<ipv4 name>"|null,"<ipv6 name>"|null,[["<address>","<name>"],...]],...}}

``pending``, ``lock`` and ``rdns`` (the reverse-DNS names the last apply left on owned servers, for
``plan --no-refresh``; readers that predate it ignore it) appear only in part 0; ``gen`` (a digest of
the whole registry) is the same in every part of one write, so a torn write (some parts from one apply,
some from another) is detected. ``api`` names the API whose ids the registry records: a registry
written through one API is refused when read through the other (``decode_registry(..., api=)``), since
v1 and v2 ids never mix; one without it (written before the API was recorded) is read by either.
``seen`` holds, in the part of each owned startup script, what the last apply knew of its body
(``OwnedObject.body_digest`` and ``modified``), so that a v2 plan reads a body only when the listed
``date_modified`` moved on. Readers that predate these keys ignore them.

Called by ``registry.ownership`` (decode, when a provider reads the account) and by ``registry.store``
(encode, when an apply records what it created). The value objects are in ``vultr_state.model.registry``;
this module does no I/O.
"""

from __future__ import annotations

import json
import logging
import re
from collections.abc import Sequence
from typing import Any

from vultr_state.errors import PlanError
from vultr_state.model.live import UnreadableRegistry
from vultr_state.model.registry import (
    OwnedObject,
    PendingCreate,
    RecordedReverseDns,
    Registry,
    RegistryLock,
)
from vultr_state.registry.digests import content, short_digest

FORMAT_VERSION = 1
PREFIX = "vultr-state:"
MAX_PART_BYTES = 64 * 1024
log = logging.getLogger(__name__)
_PART_SUFFIX = re.compile(r":(\d+)$")


def registry_script_name(project: str, part: int = 0) -> str:
    """The startup-script name holding ``part`` of ``project``'s registry.

    Args:
        project: The manifest's project (ownership namespace).
        part: 0 for the main script, ``n`` for the n-th overflow part.

    Returns:
        ``vultr-state:<project>`` for part 0, ``vultr-state:<project>:<n>`` otherwise.
    """
    return f"{PREFIX}{project}" if part == 0 else f"{PREFIX}{project}:{part}"


def is_registry_script(name: str) -> bool:
    """True when ``name`` is a registry script of any project (never shown as a user script)."""
    return name.startswith(PREFIX) and len(name) > len(PREFIX)


def parse_registry_script_name(name: str) -> tuple[str, int] | None:
    """Split a registry script name into (project, part); None when it is not a registry name."""
    if not is_registry_script(name):
        return None
    rest = name[len(PREFIX) :]
    match = _PART_SUFFIX.search(rest)
    if match and match.start() > 0:
        return rest[: match.start()], int(match.group(1))
    return rest, 0


# -- encoding -------------------------------------------------------------------------------------------


def _dump(doc: dict[str, Any]) -> str:
    return json.dumps(doc, separators=(",", ":"), ensure_ascii=True)


def _owned_item(obj: OwnedObject) -> list[Any]:
    return [obj.id, obj.name, 1 if obj.protect else 0, obj.create_digest]


def _seen_item(obj: OwnedObject) -> list[str] | None:
    return [obj.modified, obj.body_digest] if obj.body_digest else None


def _pending_item(pending: PendingCreate) -> list[Any]:
    return [pending.kind, pending.name, pending.started_at, list(pending.known_ids)]


def encode_registry(reg: Registry, max_part_bytes: int = MAX_PART_BYTES) -> list[str]:
    """Serialise ``reg`` into one compact JSON body per script part.

    Owned entries are packed greedily in (kind, id) order; a new part starts when the next entry would
    push the current part past ``max_part_bytes`` (a single entry larger than that gets a part of its own).
    The output is deterministic: the same registry always gives the same bodies.

    Args:
        reg: The registry to write.
        max_part_bytes: Size limit of one body (the bodies are pure ASCII, so characters are bytes).

    Returns:
        The bodies, part 0 first; write body ``i`` to ``registry_script_name(reg.project, i)``.
    """
    gen = short_digest(content(reg))
    api = {"api": reg.api} if reg.api else {}
    head: dict[str, Any] = {
        "pending": [_pending_item(p) for p in sorted(reg.pending, key=lambda p: (p.kind, p.name))]
    }
    if reg.lock is not None:
        head["lock"] = {"holder": reg.lock.holder, "expires_at": reg.lock.expires_at}
    if reg.reverse_dns:
        head["rdns"] = {
            r.server_id: [r.ipv4, r.ipv6, [list(pair) for pair in r.ipv6_extra]]
            for r in sorted(reg.reverse_dns, key=lambda r: r.server_id)
        }
    # Width reserved for the header fields whose final values are known only after packing.
    header_room = len(
        _dump({"v": FORMAT_VERSION, "project": reg.project, **api, "part": 99999, "parts": 99999, "gen": gen})
    ) + len(',"seen":{}')

    parts: list[dict[str, list[list[Any]]]] = [{}]
    seen: list[dict[str, list[str]]] = [{}]
    size = header_room + len(_dump(head)) + len(',"owned":{}')
    for obj in sorted(reg.owned, key=lambda o: (o.kind, o.id)):
        seen_item = _seen_item(obj)
        item_size = len(_dump(_owned_item(obj))) + 1
        if seen_item is not None:
            item_size += len(_dump({obj.id: seen_item})) - 1
        current = parts[-1]
        kind_size = 0 if obj.kind in current else len(_dump(obj.kind)) + 4
        if current and size + item_size + kind_size > max_part_bytes:
            parts.append({})
            seen.append({})
            current = parts[-1]
            size = header_room + len(',"owned":{}')
            kind_size = len(_dump(obj.kind)) + 4
        current.setdefault(obj.kind, []).append(_owned_item(obj))
        if seen_item is not None:
            seen[-1][obj.id] = seen_item
        size += item_size + kind_size

    bodies = []
    for index, owned in enumerate(parts):
        doc: dict[str, Any] = {
            "v": FORMAT_VERSION,
            "project": reg.project,
            **api,
            "part": index,
            "parts": len(parts),
            "gen": gen,
            "owned": owned,
        }
        if seen[index]:
            doc["seen"] = seen[index]
        if index == 0:
            doc.update(head)
        bodies.append(_dump(doc))
    return bodies


# -- decoding -------------------------------------------------------------------------------------------


class _Corrupt(Exception):
    """A registry body that does not have the expected shape (internal to decoding)."""


def _expect(condition: bool, what: str) -> None:
    if not condition:
        raise _Corrupt(what)


def _parse_part(body: str) -> dict[str, Any]:
    try:
        doc = json.loads(body)
    except ValueError as exc:
        raise _Corrupt(f"not valid JSON ({exc.msg} at character {exc.pos})") from None
    _expect(isinstance(doc, dict), "not a JSON object")
    version = doc.get("v")
    _expect(isinstance(version, int), 'missing format version "v"')
    if version > FORMAT_VERSION:
        raise _Corrupt(f"format version {version} was written by a newer vultr-state; upgrade to read it")
    for key in ("part", "parts"):
        _expect(isinstance(doc.get(key), int) and doc[key] >= 0, f'"{key}" is not a non-negative integer')
    _expect(isinstance(doc.get("gen"), str), '"gen" is not a string')
    _expect(isinstance(doc.get("owned", {}), dict), '"owned" is not an object')
    _expect(isinstance(doc.get("api", ""), str), '"api" is not a string')
    seen = doc.get("seen", {})
    _expect(
        isinstance(seen, dict)
        and all(
            isinstance(v, list) and len(v) == 2 and all(isinstance(x, str) for x in v) for v in seen.values()
        ),
        '"seen" is not an object of [date_modified, body digest]',
    )
    return doc


def _owned_from(doc: dict[str, Any]) -> list[OwnedObject]:
    seen = doc.get("seen", {})
    owned = []
    for kind, items in sorted(doc.get("owned", {}).items()):
        _expect(isinstance(items, list), f'"owned.{kind}" is not a list')
        scripts = kind == "startup_script"
        for item in items:  # thousands of entries: checked and built without a call per field
            _expect(
                type(item) is list
                and len(item) == 4
                and type(item[0]) is str
                and type(item[1]) is str
                and type(item[3]) is str
                and item[2] in (0, 1),
                f'an entry of "owned.{kind}" is not [id, name, protect, digest]',
            )
            object_id, name, protect, digest = item
            modified, body_digest = seen.get(object_id, _UNSEEN) if scripts else _UNSEEN
            owned.append(OwnedObject(kind, object_id, name, protect == 1, digest, body_digest, modified))
    return owned


_UNSEEN = ("", "")  # the [date_modified, body digest] of a script the registry saw nothing of


def _pending_from(doc: dict[str, Any]) -> list[PendingCreate]:
    items = doc.get("pending", [])
    _expect(isinstance(items, list), '"pending" is not a list')
    pending = []
    for item in items:
        _expect(
            isinstance(item, list)
            and len(item) == 4
            and isinstance(item[0], str)
            and isinstance(item[1], str)
            and isinstance(item[2], int | float)
            and isinstance(item[3], list)
            and all(isinstance(i, str) for i in item[3]),
            'an entry of "pending" is not [kind, name, started_at, known_ids]',
        )
        pending.append(
            PendingCreate(kind=item[0], name=item[1], started_at=float(item[2]), known_ids=tuple(item[3]))
        )
    return pending


def _reverse_dns_from(doc: dict[str, Any]) -> tuple[RecordedReverseDns, ...]:
    raw = doc.get("rdns", {})
    _expect(isinstance(raw, dict), '"rdns" is not an object')
    records = []
    for server_id, item in sorted(raw.items()):
        _expect(
            isinstance(item, list)
            and len(item) == 3
            and all(v is None or isinstance(v, str) for v in item[:2])
            and isinstance(item[2], list)
            and all(
                isinstance(e, list) and len(e) == 2 and all(isinstance(v, str) for v in e) for e in item[2]
            ),
            f'"rdns.{server_id}" is not [ipv4 name, ipv6 name, [[address, name], ...]]',
        )
        records.append(RecordedReverseDns(server_id, item[0], item[1], tuple((a, n) for a, n in item[2])))
    return tuple(records)


def _lock_from(doc: dict[str, Any]) -> RegistryLock | None:
    lock = doc.get("lock")
    if lock is None:
        return None
    _expect(
        isinstance(lock, dict)
        and isinstance(lock.get("holder"), str)
        and isinstance(lock.get("expires_at"), int | float),
        '"lock" is not {holder, expires_at}',
    )
    return RegistryLock(holder=lock["holder"], expires_at=float(lock["expires_at"]))


def decode_registry(project: str, scripts: Sequence[tuple[str, str, str]], *, api: str = "") -> Registry:
    """Rebuild ``project``'s registry from the startup scripts that hold it.

    Scripts of other projects (and non-registry scripts) in ``scripts`` are ignored. Parts numbered
    beyond what part 0 announces are leftovers of an earlier, larger registry: they are ignored but
    their ids are kept at the end of ``script_ids`` so a writer can remove them.

    Args:
        project: The manifest's project.
        scripts: ``(script id, name, body)`` of startup scripts (typically all of the account's).
        api: The API reading it (``"v1"``, ``"v2"``); "" to accept any. The registry returned records
            it (so the next write does), unless it is "".

    Returns:
        The registry (empty, with no ``script_ids``, when the project has none yet). ``script_ids[i]``
        holds part ``i`` for every announced part, followed by ids of leftover parts.

    Raises:
        PlanError: a part is not a valid registry document, a part is missing, parts come from different
            writes, one part name is used by two scripts with different bodies, or the registry records
            another API than ``api``.
    """
    by_part: dict[int, list[tuple[str, str, str]]] = {}
    for script_id, name, body in scripts:
        parsed = parse_registry_script_name(name)
        if parsed is not None and parsed[0] == project:
            by_part.setdefault(parsed[1], []).append((script_id, name, body))
    if not by_part:
        return Registry(project=project, api=api)

    chosen: dict[int, tuple[str, dict[str, Any]]] = {}
    leftovers: list[str] = []
    for part, entries in sorted(by_part.items()):
        entries.sort(key=lambda e: (len(e[0]), e[0]))
        resolved = False
        if part == 0 and len({body for _, _, body in entries}) > 1:
            entries, resolved = _without_lost_intents(entries)
        if not resolved and len({body for _, _, body in entries}) > 1:
            ids = ", ".join(e[0] for e in entries)
            raise PlanError(
                f"registry of project {project!r} is ambiguous: startup scripts {ids} are all named "
                f"{entries[0][1]!r} with different contents; delete the wrong one(s)"
            )
        script_id, name, body = entries[0]
        leftovers.extend(e[0] for e in entries[1:])
        try:
            chosen[part] = (script_id, _parse_part(body))
        except _Corrupt as exc:
            raise PlanError(f"registry script {name!r} (id {script_id}) is corrupt: {exc}") from None

    if 0 not in chosen:
        ids = ", ".join(script_id for script_id, _ in chosen.values())
        raise PlanError(
            f"registry of project {project!r} has overflow parts (scripts {ids}) but no main script "
            f"{registry_script_name(project)!r}"
        )
    head_id, head = chosen[0]
    recorded_api = head.get("api", "")
    if api and recorded_api and recorded_api != api:
        raise PlanError(
            f"registry of project {project!r} (startup script {head_id}) was written through the Vultr API "
            f"{recorded_api}, and this command uses {api}: the ids it records are {recorded_api} ids. Run "
            f"with --api {recorded_api} (or VULTR_API_VERSION={recorded_api}) to use it"
        )
    total, gen = head["parts"], head["gen"]
    if head.get("project") != project or head["part"] != 0 or total < 1:
        raise PlanError(
            f"registry script {registry_script_name(project)!r} (id {head_id}) has an inconsistent header"
        )

    owned: list[OwnedObject] = []
    script_ids: list[str] = []
    for index in range(total):
        if index not in chosen:
            raise PlanError(
                f"registry of project {project!r} is incomplete: part {index} of {total} "
                f"({registry_script_name(project, index)!r}) is missing"
            )
        script_id, doc = chosen[index]
        if doc["gen"] != gen or doc["parts"] != total or doc["part"] != index:
            raise PlanError(
                f"registry of project {project!r} is torn: part {index} (script {script_id}) does not belong "
                f"to the same write as part 0 (script {head_id}); rerun apply to rewrite it"
            )
        try:
            owned.extend(_owned_from(doc))
        except _Corrupt as exc:
            raise PlanError(
                f"registry script {registry_script_name(project, index)!r} (id {script_id}) is corrupt: {exc}"
            ) from None
        script_ids.append(script_id)
    leftovers.extend(script_id for part, (script_id, _) in sorted(chosen.items()) if part >= total)
    try:
        pending, lock, reverse_dns = _pending_from(head), _lock_from(head), _reverse_dns_from(head)
    except _Corrupt as exc:
        raise PlanError(
            f"registry script {registry_script_name(project)!r} (id {head_id}) is corrupt: {exc}"
        ) from None
    return Registry(
        project=project,
        owned=tuple(sorted(owned, key=lambda o: (o.kind, o.id))),
        pending=tuple(pending),
        lock=lock,
        script_ids=(*script_ids, *leftovers),
        version=head["v"],
        reverse_dns=reverse_dns,
        api=api or recorded_api,
    )


def _without_lost_intents(entries: list[tuple[str, str, str]]) -> tuple[list[tuple[str, str, str]], bool]:
    """Main scripts of one registry with different bodies: the one to read first, and whether it is
    clear which one that is.

    A main script that owns nothing is the intent write of an apply whose registry create got no answer
    and showed only later (the apply stopped there, so its creates were never sent); another apply then
    created the registry again. When exactly one body owns objects, it is the registry; when none does,
    the latest intent (by lock expiry, then pending start) is. Otherwise the bodies stay ambiguous. The
    others become leftovers that the next registry write deletes.
    """
    try:
        docs = [(entry, _parse_part(entry[2])) for entry in entries]
        owning = {entry[2]: entry for entry, doc in docs if _owned_from(doc)}
        intents = [(entry, doc) for entry, doc in docs if entry[2] not in owning]
        if len(owning) > 1:
            return entries, False
        chosen = next(iter(owning.values())) if owning else max(intents, key=lambda d: _intent_time(d[1]))[0]
    except _Corrupt:
        return entries, False
    same = [e for e in entries if e[2] == chosen[2]]
    return [*same, *(e for e in entries if e[2] != chosen[2])], True


def _intent_time(doc: dict[str, Any]) -> float:
    lock = _lock_from(doc)
    started = max((p.started_at for p in _pending_from(doc)), default=0.0)
    return max(lock.expires_at if lock is not None else 0.0, started)


def read_other_registries(
    project: str, scripts: Sequence[tuple[str, str, str]], *, api: str = ""
) -> tuple[dict[str, Registry], tuple[UnreadableRegistry, ...]]:
    """Every registry in the account except ``project``'s: the readable ones by project name, and the
    damaged ones (logged as warnings, sorted by project; one written through another API than ``api``
    counts as damaged).

    Args:
        project: The project to leave out ("" to decode all).
        scripts: (id, name, body) of startup scripts; non-registry scripts are ignored.
        api: The API reading them ("" to accept any).
    """
    projects = sorted(
        {parsed[0] for _, name, _ in scripts if (parsed := parse_registry_script_name(name))} - {project}
    )
    registries = {}
    damaged = []
    for other in projects:
        try:
            registries[other] = decode_registry(other, scripts, api=api)
        except PlanError as exc:
            log.warning("ignoring the registry of project %r: %s", other, exc)
            damaged.append(UnreadableRegistry(project=other, problem=str(exc)))
    return registries, tuple(damaged)
