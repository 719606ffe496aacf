"""The two PyYAML readers the manifest loader composes YAML with: pure Python, and libyaml (C).

``PureReader`` is PyYAML's pure-Python ``SafeLoader``: the reference, whose messages and marks every
manifest problem is reported with. ``fast_reader`` gives a libyaml reader, or None when PyYAML was
built without libyaml or the text holds something the two read differently. For most texts that is
libyaml's own composer (``yaml.CSafeLoader``: scanner, parser and composer all in C, no Python work
per node). A text that could hold an explicit tag (a ``!`` where a tag may start) or a ``?`` is
composed instead by PyYAML's Python composer over libyaml's events (``_FastReader``), which checks
every event as it comes; so is every text when this libyaml does not refuse deep nesting itself
(0.2.5 stops past 1,000 levels; probed once), since its composer is recursive C code. The pure reader
and the Python composer refuse documents nested deeper than ``MAX_DEPTH`` while composing
(``LimitExceeded``), so deep input never reaches the recursion limit; the value builder of
``yaml_source`` applies ``MAX_DEPTH`` to whatever was composed.

The libyaml reader is only trusted when it reads like PyYAML. Differential fuzzing (see
``tests/manifest/test_fast_paths.py``) found where they part: libyaml accepts a tab after a value,
``|#``/``>#`` block headers and ``?`` inside a plain scalar in ``[...]``/``{...}``, reads an inner
byte-order mark differently, and resolves some explicit tags (``!``) otherwise. Texts with those
characters go to PyYAML alone; the others are caught while composing (``Untrusted``).

Called by ``manifest.yaml_source``.
"""

from __future__ import annotations

import functools
import re
from typing import Any

import yaml
from yaml.composer import Composer
from yaml.constructor import SafeConstructor
from yaml.error import Mark
from yaml.events import CollectionStartEvent, ScalarEvent
from yaml.nodes import Node
from yaml.reader import Reader
from yaml.resolver import Resolver

from vultr_state.errors import ManifestIssue, SourceLocation

try:
    from yaml.cyaml import CParser
except ImportError:  # pragma: no cover - PyYAML built without libyaml
    CParser = None

MAX_DEPTH = 64

# Texts the two readers treat differently before any node exists: tabs, an inner byte-order mark, a
# comment right after a block scalar header (``_diverges``).
_BLOCK_HEADER_COMMENT = re.compile(r"[|>][-+0-9]*#")
# Texts left to the Python composer (over libyaml's events) rather than libyaml's: a "!" where a tag
# may start (the start, after a space, a flow indicator or ":"), or any "?" (``_c_unsafe``).
_TAG_START = re.compile(r"[\s,\[{:]!")
# Nesting that libyaml's scanner must refuse before its composer is trusted with a text.
_PROBE_DEPTH = 1_500


class LimitExceeded(Exception):
    """Stops reading a file that exceeds a bound; carries the one issue to report."""

    def __init__(self, issue: ManifestIssue):
        super().__init__(issue.message)
        self.issue = issue


class Untrusted(Exception):
    """The libyaml reading may differ from PyYAML's: the file must be read again in pure Python."""


def mark_location(display: str, mark: Mark) -> SourceLocation:
    """The 1-based file:line:column of a (0-based) PyYAML mark."""
    return SourceLocation(display, mark.line + 1, mark.column + 1)


class _DepthBound:
    """Composer mix-in that refuses documents nested deeper than ``MAX_DEPTH``."""

    display: str
    depth: int

    def compose_node(self, parent: Node | None, index: Any) -> Node:
        self.depth += 1
        try:
            if self.depth > MAX_DEPTH:
                mark = self.peek_event().start_mark
                raise LimitExceeded(
                    ManifestIssue(
                        mark_location(self.display, mark), (), f"nested more than {MAX_DEPTH} levels deep"
                    )
                )
            return super().compose_node(parent, index)
        finally:
            self.depth -= 1


class PureReader(_DepthBound, yaml.SafeLoader):
    """PyYAML's pure-Python safe loader, bounded."""

    def __init__(self, text: str, display: str):
        yaml.SafeLoader.__init__(self, text)  # the reader checks for forbidden characters here
        self.display = display
        self.depth = 0


def fast_reader(text: str, display: str) -> SafeConstructor | None:
    """A libyaml-backed reader for ``text``, or None when there is none or PyYAML must judge ``text``.

    Args:
        text: The file's decoded text.
        display: The file name used in locations.

    Returns:
        A reader whose ``get_single_node`` raises ``Untrusted`` when its reading could differ from
        PyYAML's (and the usual PyYAML errors); None when libyaml is unavailable or ``text`` holds a
        character the two treat differently (or one PyYAML refuses, so that PyYAML words the error).
    """
    if CParser is None or _diverges(text) or Reader.NON_PRINTABLE.search(text):
        return None
    if _c_unsafe(text) or not _libyaml_bounds_nesting():
        return _FastReader(text, display)
    return yaml.CSafeLoader(text)


def _diverges(text: str) -> bool:
    """Whether ``text`` holds what the two readers treat differently before any node exists. The single
    characters are looked for first, by substring search: one regular expression with the alternatives
    scanned a large manifest several times slower."""
    return "\t" in text or "\ufeff" in text or _BLOCK_HEADER_COMMENT.search(text) is not None


def _c_unsafe(text: str) -> bool:
    """Whether ``text`` must go to the Python composer: any "?", or a "!" where a tag may start."""
    return "?" in text or text.startswith("!") or _TAG_START.search(text) is not None


@functools.cache
def _libyaml_bounds_nesting() -> bool:
    """True when this libyaml refuses deep nesting itself (0.2.5 stops past 1,000 levels, block or flow).

    Its composer is recursive C code without a depth check of its own: it is only given texts when
    libyaml's scanner stops them first.
    """
    for text in ("[" * _PROBE_DEPTH, "- " * _PROBE_DEPTH + "x"):
        try:
            yaml.CSafeLoader(text).get_single_node()
        except yaml.MarkedYAMLError as exc:
            if "maximum nesting depth" not in str(exc.problem):
                return False
        else:
            return False
    return True


if CParser is not None:

    class _FastReader(_DepthBound, Composer, CParser, SafeConstructor, Resolver):
        """libyaml's scanner and parser feeding PyYAML's composer, constructors and resolver."""

        def __init__(self, text: str, display: str):
            CParser.__init__(self, text)
            Composer.__init__(self)
            SafeConstructor.__init__(self)
            Resolver.__init__(self)
            self.display = display
            self.depth = 0
            self.flow = 0  # how many flow collections ([...] or {...}) enclose the current node

        def compose_node(self, parent: Node | None, index: Any) -> Node:
            event = self.peek_event()
            if getattr(event, "tag", None) is not None:
                raise Untrusted  # an explicit tag: the two resolve some (like "!") differently
            if self.flow and isinstance(event, ScalarEvent) and not event.style and "?" in event.value:
                raise Untrusted  # PyYAML ends a plain scalar at "?" inside [...] or {...}; libyaml does not
            nested = int(isinstance(event, CollectionStartEvent) and bool(event.flow_style))
            self.flow += nested
            try:
                return super().compose_node(parent, index)
            finally:
                self.flow -= nested
