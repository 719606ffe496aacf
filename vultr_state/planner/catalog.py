"""Resolution of a manifest's region, plan, OS and ISO references against the live catalog.

Called by the planner (pure, like it). A reference is an id (``"1"``, ``201``) or a name matched
case-insensitively with spacing ignored (``new jersey``, ``1024 MB RAM, 25 GB SSD, 1.00 TB BW``); a region
may also be named by its code (``EWR``), an ISO by its filename. An OS name also matches by its *loose*
form, which drops what the two APIs' ``/os`` lists spell differently: the ``LTS`` marker (v2 "Ubuntu
22.04 LTS x64", v1 "Ubuntu 22.04 x64") and a trailing release name in brackets ("Debian 11 x64
(bullseye)", which v2 instances report as "Debian 11 x64"); a loose form two entries share names
neither. A number where the catalog has no numeric ids (a v1 region or plan id on v2) is refused with
a message saying so. Unknown references and plans that cannot
be ordered in a region become ``CatalogProblem``s with a "did you mean" suggestion; the planner gathers
every problem of a manifest and raises them together in one ``PlanError``, telling problems of the
manifest apart from problems of the account (identity clashes).
"""

from __future__ import annotations

import difflib
import re
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, replace
from typing import Any

from vultr_state.errors import PlanError, SourceLocation
from vultr_state.model.live import Catalog, CatalogIso, CatalogOs, CatalogPlan, CatalogRegion
from vultr_state.model.server import BootKind

_SPACES = re.compile(r"\s+")
_COMMA = re.compile(r"\s*,\s*")
_LTS = re.compile(r"(?<!\S)lts(?!\S)")
_RELEASE_NAME = re.compile(r"\s*\([^()]*\)\s*$")


def _norm(text: str) -> str:
    """Case and spacing folded: how two spellings of one catalog name compare."""
    return _COMMA.sub(",", _SPACES.sub(" ", text.strip().lower()))


def loose_os_name(text: str) -> str:
    """An OS name folded and without an ``LTS`` marker or a trailing ``(release name)``: how the v1 and
    v2 spellings of one system compare (``ubuntu 22.04 x64``, ``debian 11 x64``)."""
    folded = _RELEASE_NAME.sub("", _norm(text))
    return _SPACES.sub(" ", _LTS.sub("", folded)).strip()


@dataclass(frozen=True, slots=True)
class Subject:
    """What a manifest reference belongs to, for messages: ``server 'web-1'`` at a file position."""

    text: str
    location: SourceLocation | None = None


@dataclass(frozen=True, slots=True)
class CatalogProblem:
    """One reference that cannot be used (also used by the planner for its own reference checks)."""

    subject: Subject
    message: str
    in_account: bool = False  # the account is at fault (an identity clash), not the manifest

    def __str__(self) -> str:
        where = f"{self.subject.location}: " if self.subject.location else ""
        return f"{where}{self.subject.text}: {self.message}"


CatalogEntry = CatalogRegion | CatalogPlan | CatalogOs | CatalogIso


class _Table:
    """One catalog list indexed by id and by every accepted spelling of its names (display name first)."""

    def __init__(
        self,
        what: str,
        items: Iterable[CatalogEntry],
        names_of: Callable[[Any], tuple[str, ...]],
        loose: Callable[[str], str] | None = None,
        naming: str = "name",
    ) -> None:
        self.what = what
        self._naming = naming
        self._by_id: dict[str, CatalogEntry] = {}
        self._by_name: dict[str, CatalogEntry] = {}
        self._display: dict[str, str] = {}
        self._spellings: dict[str, tuple[str, str]] = {}  # folded name → (name as listed, id)
        self._loose = loose
        loose_forms: dict[str, set[str]] = {}  # loose form → ids of the entries it fits
        for item in items:
            self._by_id[item.id] = item
            for index, name in enumerate(names_of(item)):
                if name:
                    self._by_name.setdefault(_norm(name), item)
                    self._spellings.setdefault(_norm(name), (name, item.id))
                    if index == 0:
                        self._display[item.id] = name
                    if loose is not None:
                        loose_forms.setdefault(loose(name), set()).add(item.id)
        self._by_loose = {
            form: self._by_id[next(iter(ids))] for form, ids in loose_forms.items() if len(ids) == 1
        }
        self._numeric_ids = any(entry_id.isdigit() for entry_id in self._by_id)
        self._found: dict[str, CatalogEntry | None] = {}

    def display(self, entry_id: str) -> str:
        """The display name of an id (the id itself when the catalog does not list it)."""
        return self._display.get(entry_id, entry_id)

    def find(self, reference: str) -> CatalogEntry | None:
        if reference in self._found:  # a manifest names a handful of entries thousands of times
            return self._found[reference]
        key = reference.strip()
        found = self._by_id.get(key) or self._by_name.get(_norm(key))
        if found is None and self._loose is not None:
            found = self._by_loose.get(self._loose(key))
        self._found[reference] = found
        return found

    def suggestion(self, reference: str) -> str:
        """`` (did you mean 'New Jersey'?)`` for the nearest name or code, or nothing when none is near."""
        close = difflib.get_close_matches(_norm(reference), list(self._spellings), n=1, cutoff=0.6)
        if not close:
            return ""
        name, entry_id = self._spellings[close[0]]
        display = self.display(entry_id)
        return f" (did you mean {name!r}{f', {display}' if display != name else ''}?)"

    def unknown(self, reference: str) -> str:
        if reference.strip().isdigit() and self._by_id and not self._numeric_ids:
            entry_id = min(self._by_id, key=lambda i: (len(i), i))  # the plainest: ams, vc2-1c-1gb
            examples = " or ".join(repr(e) for e in dict.fromkeys((self.display(entry_id), entry_id)))
            return (
                f"{self.what} {reference.strip()!r} is a numeric v1 id, which this API does not use: "
                f"name the {self.what} by its {self._naming} (e.g. {examples})"
            )
        return f"unknown {self.what} {reference!r}{self.suggestion(reference)}"


class CatalogIndex:
    """Lookups over one ``Catalog``; build once per plan.

    Args:
        catalog: The catalog ``read_live`` returned.
    """

    def __init__(self, catalog: Catalog) -> None:
        self.regions = _Table("region", catalog.regions, lambda r: (r.name, r.code), naming="city or code")
        self.plans = _Table(
            "plan",
            catalog.plans,
            lambda p: (p.name,),
            naming="id or description",
        )
        self.oses = _Table("OS", catalog.oses, lambda o: (o.name,), loose=loose_os_name)
        self.isos = _Table("ISO", catalog.isos, lambda i: (i.filename,))
        self._catalog = catalog

    def placeholder_os(self, boot: BootKind) -> str | None:
        """The OS id servers booted from a snapshot or ISO report on this API, if it has one."""
        return self._catalog.placeholder_os(boot)

    def resolve(
        self, table: _Table, reference: str, subject: Callable[[], Subject], problems: list[CatalogProblem]
    ) -> str | None:
        """The id ``reference`` names in ``table``, or None after recording a problem about ``subject()``
        (built only then)."""
        found = table.find(reference)
        if found is None:
            problems.append(CatalogProblem(subject(), table.unknown(reference)))
            return None
        return found.id

    def check_available(
        self, plan_id: str, region_id: str, subject: Subject, problems: list[CatalogProblem]
    ) -> None:
        """Record a problem when the plan cannot be ordered in the region (checked only for creates)."""
        plan = self.plans.find(plan_id)
        if not isinstance(plan, CatalogPlan) or region_id in plan.available_locations:
            return
        where = ", ".join(sorted({self.regions.display(r) for r in plan.available_locations})) or "no region"
        problems.append(
            CatalogProblem(
                subject,
                f"plan {plan.name!r} is not available in region {self.regions.display(region_id)!r} "
                f"(available in: {where})",
            )
        )


def _problem_order(problem: CatalogProblem) -> tuple[str, int, int, str]:
    loc = problem.subject.location
    return (loc.file, loc.line, loc.column, str(problem)) if loc else ("", 0, 0, str(problem))


def raise_problems(problems: Sequence[CatalogProblem]) -> None:
    """Raise one ``PlanError`` listing every problem (in manifest order), if there are any.

    Raises:
        PlanError: when ``problems`` is not empty.
    """
    if not problems:
        return
    ordered = _merged(sorted(problems, key=_problem_order))
    manifest = list(dict.fromkeys(str(p) for p in ordered if not p.in_account))
    account = list(dict.fromkeys(str(p) for p in ordered if p.in_account))
    places = [f"{_problems(len(manifest))} in the manifest"] if manifest else []
    places += [f"{_problems(len(account))} in the account"] if account else []
    head = f"cannot plan: {' and '.join(places)}:"
    raise PlanError("\n".join([head, *(f"  {line}" for line in (*manifest, *account))]))


def _merged(problems: Sequence[CatalogProblem]) -> list[CatalogProblem]:
    """One problem per place and message: a bad value in ``defaults`` is reported once, naming every
    entry it reaches (``server 'web-1', 'web-2': unknown region ...``), not once per entry."""
    groups: dict[tuple[str, str, bool], list[CatalogProblem]] = {}
    for problem in problems:
        place = str(problem.subject.location) if problem.subject.location else f"#{id(problem)}"
        groups.setdefault((place, problem.message, problem.in_account), []).append(problem)
    merged = []
    for group in groups.values():
        first = group[0]
        texts = list(dict.fromkeys(p.subject.text for p in group))
        if len(texts) > 1:
            noun = texts[0].split(" '", 1)[0]
            rest = [t.removeprefix(f"{noun} ") for t in texts[1:]]
            first = replace(first, subject=replace(first.subject, text=", ".join([texts[0], *rest])))
        merged.append(first)
    return merged


def _problems(count: int) -> str:
    return f"{count} problem{'s' if count != 1 else ''}"
