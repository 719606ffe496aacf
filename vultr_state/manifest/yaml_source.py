"""Safe YAML reading that remembers where every value came from.

``parse_document`` turns one manifest file's text into plain Python values (dict, list, str, int,
float, bool, None) plus a ``SourceDocument`` index from each document path to its file:line:column.
It composes nodes with one of the readers of ``yaml_readers`` and builds values itself, so it can:

- report duplicate mapping keys (PyYAML silently keeps the last one);
- bound alias expansion (a "billion laughs" file stops after ``MAX_VALUES`` values) and nesting depth
  (``MAX_DEPTH``, also enforced while composing), and refuse recursive aliases, instead of exhausting
  memory or the stack;
- accept only the plain YAML types (no ``!!python``, ``!!binary``, ``!!set`` or custom tags);
- support ``<<`` merge keys, with explicit keys taking precedence.

Called by ``manifest.load``; every problem becomes a ``ManifestIssue``.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any, NoReturn

import yaml
from yaml.constructor import SafeConstructor
from yaml.error import Mark
from yaml.nodes import MappingNode, Node, ScalarNode, SequenceNode

from vultr_state.errors import ManifestIssue, SourceLocation
from vultr_state.manifest.yaml_readers import (
    MAX_DEPTH,
    LimitExceeded,
    PureReader,
    Untrusted,
    fast_reader,
    mark_location,
)

MAX_VALUES = 100_000

DocPath = tuple[str | int, ...]

_TAG = "tag:yaml.org,2002:"
_STR, _MAP, _SEQ, _MERGE = (f"{_TAG}{name}" for name in ("str", "map", "seq", "merge"))
_SCALAR_TAGS = {f"{_TAG}{name}" for name in ("str", "int", "float", "bool", "null", "timestamp")}
_KIND_NAMES = {"int": "an integer", "float": "a number", "bool": "a boolean", "null": "null"}


@dataclass(slots=True)
class SourceDocument:
    """One parsed manifest file: its values and where each value and mapping key starts.

    ``marks`` maps a document path (``("servers", 0, "label")``) to the PyYAML mark where its value
    starts; ``key_marks`` maps the same path to the start of the mapping key that introduced it. Marks
    become ``SourceLocation`` values only when asked for, which keeps reading large files cheap.
    """

    file: str
    data: Any
    marks: dict[DocPath, Mark] = field(default_factory=dict)
    key_marks: dict[DocPath, Mark] = field(default_factory=dict)
    _located: dict[tuple[DocPath, bool], SourceLocation] = field(default_factory=dict, repr=False)

    def locate(self, path: DocPath, *, key: bool = False) -> SourceLocation:
        """The location of ``path`` or, if it has none, of its nearest located ancestor. Remembered: the
        defaults' values are located once for every server that takes them."""
        found = self._located.get((path, key))
        if found is None:
            found = self._located[(path, key)] = self._find(path, key)
        return found

    def _find(self, path: DocPath, key: bool) -> SourceLocation:
        if key and path in self.key_marks:
            return mark_location(self.file, self.key_marks[path])
        for end in range(len(path), -1, -1):
            found = self.marks.get(path[:end])
            if found is not None:
                return mark_location(self.file, found)
        return SourceLocation(self.file, 1, 1)


def parse_document(
    text: str, display: str, *, fast: bool = False
) -> tuple[SourceDocument | None, list[ManifestIssue]]:
    """Parse one manifest file.

    With ``fast``, the file is first read with libyaml (when PyYAML has it); that result is kept only
    when the file read without a single issue. Anything else (a syntax error, a bound exceeded, a
    duplicate key...) is read again by the pure-Python reader, so every issue is worded and located
    by PyYAML. Marks of a fast read may still differ from the reference's for empty values: callers
    that report later problems at those marks re-read with ``fast=False`` (as ``manifest.load`` does).

    Args:
        text: The file's decoded text.
        display: The file name used in locations.
        fast: Try libyaml first.

    Returns:
        The document (None when the file cannot be read as YAML at all) and the issues found. A
        document may come with issues (duplicate keys, unsupported tags); its values are then partial.
    """
    document = _parse_fast(text, display) if fast else None
    if document is not None:
        return document, []
    return _parse_pure(text, display)


def _parse_fast(text: str, display: str) -> SourceDocument | None:
    """The document read with libyaml, or None unless that went without a single issue."""
    loader = fast_reader(text, display)
    if loader is None:
        return None
    try:
        root = loader.get_single_node()
    except (yaml.YAMLError, LimitExceeded, Untrusted, UnicodeError):
        return None
    finally:
        loader.dispose()
    if root is None:
        return None
    # libyaml's composer has no MAX_DEPTH bound: the builder refuses what the composers would (more than
    # MAX_DEPTH levels; aliases expanded, which only deepens), and the reference reader then decides.
    document, issues = _build(loader, root, display, max_depth=MAX_DEPTH - 1)
    return document if not issues else None


def _parse_pure(text: str, display: str) -> tuple[SourceDocument | None, list[ManifestIssue]]:
    try:
        loader = PureReader(text, display)
    except yaml.reader.ReaderError as exc:
        return None, [_reader_issue(display, text, exc)]
    try:
        root = loader.get_single_node()
    except LimitExceeded as abort:
        return None, [abort.issue]
    except yaml.MarkedYAMLError as exc:
        return None, [_syntax_issue(display, exc)]
    except yaml.reader.ReaderError as exc:
        return None, [_reader_issue(display, text, exc)]
    except yaml.YAMLError as exc:  # any other YAML failure, without a position
        return None, [ManifestIssue(SourceLocation(display, 1, 1), (), f"YAML error: {exc}")]
    finally:
        loader.dispose()
    if root is None:
        return None, [
            ManifestIssue(
                SourceLocation(display, 1, 1), (), "the file is empty (a manifest needs at least project)"
            )
        ]
    return _build(loader, root, display, max_depth=MAX_DEPTH)


def _build(
    loader: SafeConstructor, root: Node, display: str, *, max_depth: int
) -> tuple[SourceDocument | None, list[ManifestIssue]]:
    builder = _ValueBuilder(loader, display, max_depth)
    try:
        data = builder.convert(root, (), 0)
    except LimitExceeded as abort:
        return None, [abort.issue]
    document = SourceDocument(display, data, builder.marks, builder.key_marks)
    return document, builder.issues


class _ValueBuilder:
    """Turns composed nodes into plain values, recording marks and issues on the way."""

    def __init__(self, loader: SafeConstructor, display: str, max_depth: int):
        self.display = display
        self.max_depth = max_depth
        self.marks: dict[DocPath, Mark] = {}
        self.key_marks: dict[DocPath, Mark] = {}
        self.issues: list[ManifestIssue] = []
        self.count = 0
        self.active: set[int] = set()
        self.constructors: dict[str, Callable[[ScalarNode], Any]] = {
            _STR: loader.construct_scalar,
            f"{_TAG}int": loader.construct_yaml_int,
            f"{_TAG}float": loader.construct_yaml_float,
            f"{_TAG}bool": loader.construct_yaml_bool,
            f"{_TAG}null": loader.construct_yaml_null,
        }

    def convert(self, node: Node, path: DocPath, depth: int) -> Any:
        """The plain value of ``node`` at ``path``, ``depth`` levels deep (aliases count in full)."""
        self._enter(node, depth)
        self.marks[path] = node.start_mark
        if isinstance(node, ScalarNode):  # holds nothing, so never contains itself
            return node.value if node.tag == _STR else self._scalar(node, path)
        self.active.add(id(node))
        try:
            if isinstance(node, MappingNode):
                if node.tag != _MAP:
                    self._tag_issue(node, path)
                return self._mapping(node, path, depth)
            if node.tag != _SEQ:
                self._tag_issue(node, path)
            return [self.convert(item, (*path, i), depth + 1) for i, item in enumerate(node.value)]
        finally:
            self.active.discard(id(node))

    def _enter(self, node: Node, depth: int) -> None:
        self.count += 1
        if self.count > MAX_VALUES:
            self._abort(
                node,
                f"more than {MAX_VALUES} values once aliases are expanded; "
                "refusing to expand further (a 'billion laughs' document?)",
            )
        if depth > self.max_depth:
            self._abort(node, f"nested more than {MAX_DEPTH} levels deep")
        if id(node) in self.active:
            self._abort(node, "recursive alias: this value contains itself")

    def _abort(self, node: Node, message: str) -> NoReturn:
        raise LimitExceeded(ManifestIssue(self._at(node.start_mark), (), message))

    def _at(self, mark: Mark) -> SourceLocation:
        return mark_location(self.display, mark)

    def _scalar(self, node: ScalarNode, path: DocPath) -> Any:
        if node.tag not in _SCALAR_TAGS:
            self._tag_issue(node, path)
            return node.value
        if node.tag == f"{_TAG}timestamp":
            return node.value  # dates stay text: descriptions like 2026-11-01 are names, not datetimes
        try:
            return self.constructors[node.tag](node)
        except ValueError:
            kind = _KIND_NAMES.get(node.tag.removeprefix(_TAG), "a value")
            self.issues.append(
                ManifestIssue(
                    self._at(self.marks[path]),
                    path,
                    f"{_short(node.value)} is not valid as {kind}; quote it to make it text",
                )
            )
            return node.value

    def _mapping(self, node: MappingNode, path: DocPath, depth: int) -> dict[str, Any]:
        merged: dict[str, Any] = {}
        own: dict[str, Any] = {}
        first_seen: dict[str, Mark] = {}
        for key_node, value_node in node.value:
            if key_node.tag == _MERGE:
                merged.update(self._merge_sources(value_node, path, depth))
        for key_node, value_node in node.value:
            if key_node.tag == _MERGE:
                continue
            key_mark = key_node.start_mark
            key = self._key(key_node, path)
            if key is None:
                continue
            inner = (*path, key)
            if key in first_seen:
                self.issues.append(
                    ManifestIssue(
                        self._at(key_mark),
                        inner,
                        f"duplicate key '{key}' (first given at {self._at(first_seen[key])})",
                    )
                )
                continue
            first_seen[key] = key_mark
            self.key_marks[inner] = key_mark
            own[key] = self.convert(value_node, inner, depth + 1)
        merged.update(own)
        return merged

    def _merge_sources(self, value_node: Node, path: DocPath, depth: int) -> dict[str, Any]:
        sources = value_node.value if isinstance(value_node, SequenceNode) else [value_node]
        result: dict[str, Any] = {}
        for source in reversed(sources):  # earlier sources win, as in the YAML merge-key spec
            if not isinstance(source, MappingNode):
                self.issues.append(
                    ManifestIssue(
                        self._at(source.start_mark), path, "'<<' merges only mappings (or a list of them)"
                    )
                )
                continue
            self._enter(source, depth + 1)
            self.active.add(id(source))
            try:
                result.update(self._mapping(source, path, depth + 1))
            finally:
                self.active.discard(id(source))
        return result

    def _key(self, key_node: Node, path: DocPath) -> str | None:
        if isinstance(key_node, ScalarNode) and key_node.tag == _STR:
            return key_node.value
        if isinstance(key_node, ScalarNode):
            kind = _KIND_NAMES.get(key_node.tag.removeprefix(_TAG), "a value")
            message = f"field name {_short(key_node.value)} is read as {kind}; quote it to make it text"
        else:
            message = "a field name must be plain text, not a list or mapping"
        self.issues.append(ManifestIssue(self._at(key_node.start_mark), path, message))
        return None

    def _tag_issue(self, node: Node, path: DocPath) -> None:
        tag = node.tag.replace(_TAG, "!!", 1)
        self.issues.append(ManifestIssue(self._at(self.marks[path]), path, f"unsupported YAML tag '{tag}'"))


def _short(value: str) -> str:
    return repr(value if len(value) <= 40 else value[:37] + "...")


def _syntax_issue(display: str, exc: yaml.MarkedYAMLError) -> ManifestIssue:
    mark = exc.problem_mark or exc.context_mark
    location = mark_location(display, mark) if mark is not None else SourceLocation(display, 1, 1)
    problem = exc.problem or "invalid YAML"
    if "expected a single document" in (exc.context or ""):
        return ManifestIssue(
            location, (), "a manifest file holds one YAML document, but another one starts here"
        )
    context = f" ({exc.context})" if exc.context else ""
    return ManifestIssue(location, (), f"YAML syntax error: {problem}{context}")


def _reader_issue(display: str, text: str, exc: yaml.reader.ReaderError) -> ManifestIssue:
    position = min(max(exc.position, 0), len(text))
    line = text.count("\n", 0, position) + 1
    column = position - (text.rfind("\n", 0, position) + 1) + 1
    character = exc.character if isinstance(exc.character, str) else chr(exc.character)
    return ManifestIssue(
        SourceLocation(display, line, column),
        (),
        f"character U+{ord(character):04X} is not allowed in a YAML file",
    )
