"""The two PyYAML readers the manifest loader composes YAML with: pure Python, and libyaml (C).

``PureReader`` is PyYAML's pure-Python ``SafeLoader``: the reference, whose messages and marks every
manifest problem is reported with. ``fast_reader`` gives a reader that runs libyaml's scanner and
parser (C) under the same Python composer, about eight times faster on large files, or None when
PyYAML was built without libyaml or the text holds something the two read differently. Both refuse
documents nested deeper than ``MAX_DEPTH`` while composing (``LimitExceeded``), so deep input never
reaches the recursion limit.

The libyaml reader is only trusted when it reads like PyYAML. Differential fuzzing (see
``tests/manifest/test_fast_paths.py``) found where they part: libyaml accepts a tab after a value,
``|#``/``>#`` block headers and ``?`` inside a plain scalar in ``[...]``/``{...}``, reads an inner
byte-order mark differently, and resolves some explicit tags (``!``) otherwise. Texts with those
characters go to PyYAML alone; the others are caught while composing (``Untrusted``).

Called by ``manifest.yaml_source``.
"""

from __future__ import annotations

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
# comment right after a block scalar header.
_DIVERGENT = re.compile(r"[\t\ufeff]|[|>][-+0-9]*#")


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
    if CParser is None or _DIVERGENT.search(text) or Reader.NON_PRINTABLE.search(text):
        return None
    return _FastReader(text, display)


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
