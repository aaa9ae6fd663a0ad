"""Which operation of a spec a concrete request calls: `GET /v1/orders/42` -> `getOrder` (or `GET /orders/{id}`).

Matching follows OpenAPI's rules: server base paths come first (OpenAPI 3 `servers[].url`, with variables at
their defaults, relative URLs taken from the root; Swagger 2 `basePath`), concrete path segments beat
templated ones (`/orders/new` before `/orders/{id}`), and a trailing slash doesn't matter. A path that
matches but has no such method resolves to None, as a router would answer 405.
"""

from __future__ import annotations

import re
from collections import OrderedDict
from collections.abc import Iterable, Iterator, Mapping
from typing import Any, NamedTuple
from urllib.parse import unquote, urlsplit

from accord.openapi.operations import HTTP_METHODS, operation_name
from accord.openapi.references import follow
from accord.openapi.servers import root_base_paths, server_base_paths
from accord.openapi.servers import segments as path_segments

_TEMPLATE = re.compile(r"\{([^{}/]*)\}")
# Matching recurses once per segment; longer templates than this are absurd, and skipped.
_MAX_SEGMENTS = 100


class _Node:
    """One path segment of the routing trie; `operations` is set where a path template ends."""

    __slots__ = ("literals", "operations", "parameter", "patterns", "ranked_patterns", "templates")

    def __init__(self) -> None:
        self.literals: dict[str, _Node] = {}
        self.patterns: dict[str, tuple[re.Pattern[str], _Node]] = {}  # segments like `{id}.json`
        self.ranked_patterns: list[tuple[re.Pattern[str], _Node]] = []
        self.parameter: _Node | None = None  # a whole-segment template, `{id}`
        self.operations: dict[str, str] | None = None
        self.templates: dict[str, str] = {}  # method -> the path template as the spec writes it

    def child(self, segment: str) -> _Node:
        if segment.startswith("{") and segment.endswith("}") and _TEMPLATE.fullmatch(segment):
            if self.parameter is None:
                self.parameter = _Node()
            return self.parameter
        if "{" in segment and _TEMPLATE.search(segment):
            key = _TEMPLATE.sub("{}", segment)
            if key not in self.patterns:
                literals = _TEMPLATE.split(segment)[::2]  # the text around the templates
                pattern = re.compile("(?:.+?)".join(re.escape(literal) for literal in literals))
                self.patterns[key] = (pattern, _Node())
                # More literal text is more specific: `{id}.json` before `{name}.{format}`.
                ranked = sorted(self.patterns, key=lambda known: (-len(known.replace("{}", "")), known))
                self.ranked_patterns = [self.patterns[known] for known in ranked]
            return self.patterns[key][1]
        return self.literals.setdefault(segment, _Node())

    def match(self, segments: list[str], index: int) -> _Node | None:
        """The best node where `segments[index:]` ends: literals first, then partial templates, then `{x}`."""
        if index == len(segments):
            return self if self.operations is not None else None
        segment = segments[index]
        decoded = unquote(segment)
        for literal in (segment, decoded) if decoded != segment else (segment,):
            found = self.literals.get(literal)
            if found is not None and (end := found.match(segments, index + 1)) is not None:
                return end
        for pattern, node in self.ranked_patterns:
            if pattern.fullmatch(decoded) and (end := node.match(segments, index + 1)) is not None:
                return end
        return self.parameter.match(segments, index + 1) if self.parameter is not None else None


class RouteMatch(NamedTuple):
    """Where a request lands in a spec: its path template, and the operation of its method if the path has one."""

    template: str
    operation: str | None  # None: the path matches, but has no operation for the method (a router's 405)
    methods: tuple[str, ...]  # the methods the matching path has, lower case
    parameters: dict[str, str]  # path parameter values by name, percent-decoded


class OperationIndex:
    """Resolves (method, path) to the operationId, or `METHOD /path/template`, of one spec's operation."""

    def __init__(self) -> None:
        self._prefixed = _Node()  # templates under their server base paths
        self._bare = _Node()  # the same templates without them, for requests recorded relative to the base
        self._depth = 0
        self._has_base_paths = False
        self.operation_count = 0

    @classmethod
    def from_document(cls, document: Mapping[str, Any]) -> OperationIndex:
        index = cls()
        root_bases = root_base_paths(document)
        paths = document.get("paths")
        for template, raw_item in paths.items() if isinstance(paths, Mapping) else ():
            # A path item may be a `$ref` to `#/components/pathItems/...` (OpenAPI 3.1).
            item, _ = follow(document, raw_item)
            if not isinstance(template, str) or not template.startswith("/") or not isinstance(item, Mapping):
                continue
            item_bases = server_base_paths(item.get("servers")) or root_bases
            for method in HTTP_METHODS:
                operation = item.get(method)
                if not isinstance(operation, Mapping):
                    continue
                name = operation_name(method, template, operation)
                bases = server_base_paths(operation.get("servers")) or item_bases
                index._add(bases, template, method, name)
                index.operation_count += 1
        return index

    def _add(self, bases: Iterable[list[str]], path_template: str, method: str, name: str) -> None:
        template = path_segments(path_template)
        for trie, prefixes in ((self._bare, [[]]), (self._prefixed, bases)):
            for prefix in prefixes:
                if len(prefix) + len(template) > _MAX_SEGMENTS:
                    continue
                node = trie
                for segment in [*prefix, *template]:
                    node = node.child(segment)
                if node.operations is None:
                    node.operations = {}
                # Templates differing only in parameter names are invalid OpenAPI; the first one wins.
                node.operations.setdefault(method, name)
                node.templates.setdefault(method, path_template)
                self._depth = max(self._depth, len(prefix) + len(template))
                self._has_base_paths = self._has_base_paths or bool(prefix)

    def resolve(self, method: str, path: str) -> str | None:
        """The operation a request calls, or None when no path matches or the matching path lacks the method."""
        node = self._node(path_segments(_path_of(path)))
        if node is None or node.operations is None:
            return None
        return node.operations.get(method.lower())

    def locate(self, method: str, path: str) -> RouteMatch | None:
        """Like resolve(), but tells a path no template matches (None) from a path without the method, and
        gives the template and the values of its parameters."""
        segments = path_segments(_path_of(path))
        node = self._node(segments)
        if node is None or node.operations is None:
            return None
        method = method.lower()
        operation = node.operations.get(method)
        template = node.templates.get(method) or next(iter(node.templates.values()))
        methods = tuple(known for known in HTTP_METHODS if known in node.operations)
        return RouteMatch(template, operation, methods, path_parameter_values(template, segments))

    def _node(self, segments: list[str]) -> _Node | None:
        if len(segments) > self._depth:
            return None
        node = self._prefixed.match(segments, 0)
        if node is None and self._has_base_paths:
            node = self._bare.match(segments, 0)
        return node


def path_parameter_values(template: str, segments: list[str]) -> dict[str, str]:
    """The values a matched path gives the template's parameters; the template is the tail of the path (server
    base path segments come first)."""
    parts = path_segments(template)
    values: dict[str, str] = {}
    for part, segment in zip(parts, segments[len(segments) - len(parts) :], strict=True):
        if "{" not in part:
            continue
        names = _TEMPLATE.findall(part)
        literals = _TEMPLATE.split(part)[::2]
        found = re.fullmatch("(.+?)".join(re.escape(literal) for literal in literals), unquote(segment))
        if found is not None:
            values.update(zip(names, found.groups(), strict=True))
    return values


def _path_of(target: str) -> str:
    """The path of a request target that may be a full URL or carry a query string or fragment."""
    if "://" in target:
        return urlsplit(target).path
    return target.split("?", 1)[0].split("#", 1)[0]


class OperationIndexCache:
    """Recently used OperationIndexes by the SHA-256 of their spec's content, least recently used out.

    The same content always yields the same index, so entries are shared by every tenant (a tenant only
    ever looks up the hashes of its own specs). Used from the event loop only: no locking.
    """

    def __init__(self, max_entries: int = 64) -> None:
        self.max_entries = max_entries
        self._entries: OrderedDict[str, OperationIndex] = OrderedDict()

    def __len__(self) -> int:
        return len(self._entries)

    def __iter__(self) -> Iterator[str]:
        return iter(list(self._entries))

    def get(self, content_sha: str) -> OperationIndex | None:
        index = self._entries.get(content_sha)
        if index is not None:
            self._entries.move_to_end(content_sha)
        return index

    def put(self, content_sha: str, index: OperationIndex) -> None:
        self._entries[content_sha] = index
        self._entries.move_to_end(content_sha)
        while len(self._entries) > self.max_entries:
            self._entries.popitem(last=False)

    def snapshot(self) -> dict[str, OperationIndex]:
        """The cached entries as they are now: holding them keeps them usable if evicted meanwhile."""
        return dict(self._entries)


OPERATION_INDEXES = OperationIndexCache()
