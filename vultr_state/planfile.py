"""Saved plans: ``save_plan`` writes what ``plan --out FILE`` reviewed, ``load_plan`` reads it back and
``check_fresh`` refuses it when the manifest or the account changed since.

Called by ``cli/plan.py`` (save) and by the executor's ``apply PLANFILE`` (load, re-read manifest and
live state, re-plan with the saved options, ``check_fresh``, then execute the fresh plan). The file is
JSON: format version, tool version, project, the API it was made on (``"v1"``/``"v2"``: the ids it names
are that API's, so ``apply PLANFILE`` talks to that API; files written before the API was recorded
were made on v1, then the default), manifest digest and paths (relative to the plan file's
directory, so it applies from any working directory; the directory it was made in is kept for messages),
plan options, a fingerprint of every live object the plan touches (``planner.touches``: objects it
changes, depends on or could clash with; unrelated changes in a shared account do not make it stale),
and the plan as ``render_json`` shows it. It never holds a secret, nor a bare hash of one: the plan
document leaves secret spec fields out, and the manifest digest and fingerprints (digests of content
that includes script bodies and user data) are stored keyed with a random per-plan salt (``salted``).
"""

from __future__ import annotations

import hashlib
import hmac
import json
import os
import secrets
import tempfile
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from vultr_state import __version__
from vultr_state.errors import ConfigError, StalePlanError
from vultr_state.manifest import manifest_digest
from vultr_state.model.desired import Desired
from vultr_state.model.plan import Plan
from vultr_state.planner.options import PlanOptions
from vultr_state.render.json_doc import plan_to_dict

PLANFILE_FORMAT_VERSION = 1
_MARKER = "vultr-state-plan"
OPTION_NAMES = (
    "allow_destroy",
    "allow_prune",
    "allow_replace",
    "allow_reinstall",
    "force",
    "allow_adopt_with_damaged_registry",
)
_MAX_LISTED = 10


@dataclass(frozen=True, slots=True)
class SavedPlan:
    """A plan file as read back by ``load_plan``.

    Attributes:
        path: Where it was read from.
        tool_version: The vultr-state version that wrote it.
        project: The manifest's project.
        manifest_digest: ``manifest_digest`` of the manifest the plan was made from.
        manifest_paths: The manifest paths given to ``plan`` (to load the same manifest again), resolved
            from the plan file's directory.
        options: (name, value) of each permission flag, in ``OPTION_NAMES`` order.
        fingerprints: (``"<kind>:<id>"``, digest) of every live object the plan read, sorted.
        document: The plan as ``render_json`` shows it (actions, refusals, summary...).
        made_in: The working directory ``plan --out`` ran in (for messages), when recorded.
        targets: The plan's ``--target`` selection (empty: the whole manifest).
        api: The API the plan was made on (``"v1"``, ``"v2"``).
        salt: The plan's random salt: ``manifest_digest`` and the fingerprints are stored as
            ``salted(salt, digest)``, never as bare digests of content that holds secrets ("" in files
            written before salting).
    """

    path: str
    tool_version: str
    project: str
    manifest_digest: str
    manifest_paths: tuple[str, ...]
    options: tuple[tuple[str, bool], ...]
    fingerprints: tuple[tuple[str, str], ...]
    document: Mapping[str, Any]
    made_in: str | None = None
    targets: tuple[str, ...] = ()
    api: str = "v1"
    salt: str = ""

    def located_manifest_paths(self) -> tuple[str, ...]:
        """``manifest_paths``, each checked to exist.

        Raises:
            ConfigError: a path no longer leads anywhere (the plan file was moved away from the
                manifest); the message says where the plan was made.
        """
        missing = [p for p in self.manifest_paths if not Path(p).exists()]
        if missing:
            where = f" (the plan was made in {self.made_in})" if self.made_in else ""
            raise ConfigError(
                f"plan file {self.path!r} names its manifest relative to its own directory, and "
                f"{', '.join(missing)} is missing{where}; keep the plan file where the manifest can be "
                "found from it, or make the plan again"
            )
        return self.manifest_paths

    def option(self, name: str) -> bool:
        """The saved value of one permission flag (``allow_destroy``...)."""
        return dict(self.options)[name]

    def plan_options(self) -> PlanOptions:
        """The permission flags (and ``--target`` selection) to re-plan with, as the planner takes them."""
        return PlanOptions(**dict(self.options), targets=self.targets)

    @property
    def actions(self) -> tuple[Mapping[str, Any], ...]:
        """The saved actions, in order, as the JSON renderer shows them."""
        return tuple(self.document["actions"])


def save_plan(
    plan: Plan,
    desired: Desired,
    path: str | os.PathLike[str],
    *,
    options: PlanOptions,
    manifest_paths: Sequence[str] = (),
    api: str,
) -> None:
    """Write a plan file atomically (a reader never sees half a file).

    Args:
        plan: The plan that was shown.
        desired: The manifest it was made from (only its digest, project and sources are stored).
        path: Where to write.
        options: The permission flags the plan was made with.
        manifest_paths: The manifest paths as given on the command line; ``desired.sources`` when empty.
        api: The API the plan was made on (its provider's ``capabilities.api``).

    Raises:
        ConfigError: the file cannot be written.
    """
    target = Path(path)
    salt = secrets.token_hex(16)
    shown = plan_to_dict(plan)
    document = {
        "kind": _MARKER,
        "format_version": PLANFILE_FORMAT_VERSION,
        "tool_version": __version__,
        "project": desired.project,
        "api": api,
        "salt": salt,
        "manifest_digest": salted(salt, manifest_digest(desired)),
        # Relative to the plan file, so `apply PLANFILE` works from any directory (CI moves between
        # steps); where the plan was made is kept for the message when a path no longer resolves.
        "manifest_paths": [_from_plan_file(p, target) for p in manifest_paths or desired.sources],
        "manifest_paths_base": "plan-file",
        "made_in": str(Path.cwd()),
        "options": {name: bool(getattr(options, name)) for name in OPTION_NAMES},
        "targets": list(options.targets),
        "fingerprints": {key: salted(salt, digest) for key, digest in sorted(plan.fingerprints)},
        "plan": shown,
    }
    text = json.dumps(document, indent=2, ensure_ascii=False) + "\n"
    temporary: str | None = None
    try:
        with tempfile.NamedTemporaryFile(
            "w", encoding="utf-8", dir=target.parent, prefix=f".{target.name}.", delete=False
        ) as handle:
            temporary = handle.name
            handle.write(text)
        os.replace(temporary, target)
    except OSError as exc:
        if temporary is not None:
            Path(temporary).unlink(missing_ok=True)
        raise ConfigError(f"cannot write plan file {str(target)!r}: {exc.strerror or exc}") from exc


def load_plan(path: str | os.PathLike[str]) -> SavedPlan:
    """Read a plan file written by ``save_plan``.

    Raises:
        ConfigError: unreadable file, not a vultr-state plan, or a format this version cannot read.
    """
    name = str(path)
    try:
        raw = json.loads(Path(path).read_text(encoding="utf-8"))
    except OSError as exc:
        raise ConfigError(f"cannot read plan file {name!r}: {exc.strerror or exc}") from exc
    except (UnicodeDecodeError, json.JSONDecodeError) as exc:
        raise ConfigError(f"{name!r} is not a vultr-state plan file (not JSON: {exc})") from exc
    if not isinstance(raw, dict) or raw.get("kind") != _MARKER:
        raise ConfigError(f"{name!r} is not a vultr-state plan file")
    if raw.get("format_version") != PLANFILE_FORMAT_VERSION:
        raise ConfigError(
            f"plan file {name!r} has format version {raw.get('format_version')!r}, which vultr-state "
            f"{__version__} cannot read (it reads version {PLANFILE_FORMAT_VERSION}); make the plan again"
        )
    try:
        options = _typed(raw["options"], dict)
        return SavedPlan(
            path=name,
            tool_version=_typed(raw["tool_version"], str),
            project=_typed(raw["project"], str),
            manifest_digest=_typed(raw["manifest_digest"], str),
            manifest_paths=_manifest_paths(raw, Path(path)),
            # A flag added after the file was written was not given: False.
            options=tuple((n, _typed(options.get(n, False), bool)) for n in OPTION_NAMES),
            fingerprints=tuple(
                sorted((k, _typed(v, str)) for k, v in _typed(raw["fingerprints"], dict).items())
            ),
            document=_checked_document(_typed(raw["plan"], dict)),
            made_in=raw["made_in"] if isinstance(raw.get("made_in"), str) else None,
            targets=tuple(_typed(t, str) for t in _typed(raw.get("targets", []), list)),
            api=_typed(raw.get("api", "v1"), str),
            salt=_typed(raw.get("salt", ""), str),
        )
    except (KeyError, TypeError) as exc:
        raise ConfigError(f"plan file {name!r} is damaged: missing or malformed {exc}") from exc


def _from_plan_file(manifest_path: str, plan_file: Path) -> str:
    """``manifest_path`` (relative to the working directory) as a path relative to ``plan_file``'s
    directory, in POSIX form; absolute when no relative path leads there (another drive)."""
    absolute = Path(manifest_path).absolute()
    try:
        return Path(os.path.relpath(absolute, plan_file.absolute().parent)).as_posix()
    except ValueError:
        return str(absolute)


def _manifest_paths(raw: Mapping[str, Any], plan_file: Path) -> tuple[str, ...]:
    """The saved manifest paths, resolved from the plan file's directory (files written before the
    ``manifest_paths_base`` key: from the working directory, as they were written)."""
    paths = tuple(_typed(p, str) for p in _typed(raw["manifest_paths"], list))
    if raw.get("manifest_paths_base") != "plan-file":
        return paths
    base = plan_file.absolute().parent
    return tuple(os.path.normpath(base / p) for p in paths)


def _fingerprints(raw: Any) -> tuple[tuple[str, str], ...]:
    return tuple(sorted((str(k), _typed(v, str)) for k, v in _typed(raw, dict).items()))


def _typed(value: Any, expected: type) -> Any:
    if not isinstance(value, expected):
        raise TypeError(f"{type(value).__name__} where {expected.__name__} was expected")
    return value


def _checked_document(document: dict[str, Any]) -> dict[str, Any]:
    actions = _typed(document["actions"], list)
    for action in actions:
        _typed(_typed(action, dict)["key"], str)
    return document


def check_fresh(saved: SavedPlan, desired: Desired, plan_now: Plan) -> None:
    """Refuse a saved plan that no longer describes what apply would do.

    Args:
        saved: The loaded plan file.
        desired: The manifest as loaded now.
        plan_now: The plan re-computed now from ``desired``, fresh live state and the saved options.

    Raises:
        StalePlanError: the message lists every difference found: project, manifest digest, live
            objects changed / appeared / disappeared (by ``kind:id``), and actions that differ.
    """
    problems = []
    if saved.project != desired.project:
        problems.append(
            f"the manifest's project is now {desired.project!r}, the plan was made for {saved.project!r}"
        )
    now_digest = salted(saved.salt, manifest_digest(desired))
    if saved.manifest_digest != now_digest:
        problems.append(
            f"the manifest changed since the plan was made ({_short(saved.manifest_digest)} → "
            f"{_short(now_digest)})"
        )
    fingerprints_now = {key: salted(saved.salt, digest) for key, digest in plan_now.fingerprints}
    problems.extend(_fingerprint_problems(dict(saved.fingerprints), fingerprints_now))
    problems.extend(_action_problems(saved.actions, plan_to_dict(plan_now)["actions"]))
    if problems:
        lines = [f"the saved plan {saved.path!r} is stale; run `vultr-state plan --out` again and review it:"]
        lines.extend(f"  - {problem}" for problem in problems)
        raise StalePlanError("\n".join(lines))


def _differences(before: Mapping[str, Any], after: Mapping[str, Any]) -> tuple[list[str], ...]:
    """Keys whose values differ, keys only in ``after``, keys only in ``before`` (each sorted)."""
    changed = sorted(k for k in before.keys() & after.keys() if before[k] != after[k])
    return changed, sorted(after.keys() - before.keys()), sorted(before.keys() - after.keys())


def _fingerprint_problems(before: Mapping[str, str], now: Mapping[str, str]) -> list[str]:
    """What changed among the objects the saved plan touched. Objects the fresh plan touches and the
    saved one did not are not listed: they come with actions the saved plan lacks, reported as such."""
    changed, _, disappeared = _differences(before, now)
    problems = []
    if changed:
        problems.append(f"live objects changed: {_listing(changed)}")
    if disappeared:
        problems.append(f"live objects disappeared: {_listing(disappeared)}")
    return problems


def _action_problems(saved: Sequence[Mapping[str, Any]], now: Sequence[Mapping[str, Any]]) -> list[str]:
    changed, added, dropped = _differences({a["key"]: a for a in saved}, {a["key"]: a for a in now})
    problems = []
    if changed:
        problems.append(f"planned actions differ: {_listing(changed)}")
    if added:
        problems.append(f"actions now planned that the saved plan lacks: {_listing(added)}")
    if dropped:
        problems.append(f"saved actions no longer planned: {_listing(dropped)}")
    if not (changed or added or dropped) and [a["key"] for a in saved] != [a["key"] for a in now]:
        problems.append("the actions are now planned in a different order")
    return problems


def _listing(keys: Sequence[str]) -> str:
    shown = ", ".join(keys[:_MAX_LISTED])
    more = len(keys) - _MAX_LISTED
    return shown + (f" and {more} more" if more > 0 else "")


def salted(salt: str, digest: str) -> str:
    """``digest`` keyed with the plan's ``salt`` (HMAC-SHA256, 24 hex characters); the bare digest when
    there is no salt (a plan file written before salting). A plan file holds only salted digests, so
    nobody can test a guessed secret (a script body, user data) against it."""
    if not salt:
        return digest
    return hmac.new(salt.encode(), digest.encode(), hashlib.sha256).hexdigest()[:24]


def _short(digest: str) -> str:
    return digest[:19] + "…" if len(digest) > 20 else (digest or "(none)")
