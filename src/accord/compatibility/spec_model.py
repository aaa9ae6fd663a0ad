"""A provider spec compiled for checking contracts: operations by path template, and their parameters, bodies
and responses with the schemas (converted, see json_schema.py) and pointers of each.

A spec is compiled once per content (its SHA-256) and kept in a bounded LRU; operations and validators inside
it are built on first use, so a contract that calls five operations of a 300-operation spec pays for five.
"""

from __future__ import annotations

import threading
from collections import OrderedDict
from typing import Any

from referencing import Registry
from referencing.jsonschema import DRAFT202012

from accord.compatibility.discriminators import Discriminators
from accord.compatibility.fast_validator import Direction
from accord.compatibility.json_schema import convert_document
from accord.compatibility.validation import SPEC_URI, SchemaEngine
from accord.openapi import json_pointers
from accord.openapi.dialects import Dialect, dialect_of
from accord.openapi.operation_model import Operation, build_operation
from accord.openapi.references import MAX_REF_HOPS, follow, lookup
from accord.specs.operations import OperationIndex


class CompiledSpec:
    """One spec's content, ready to check contracts against; safe to share between tenants and threads."""

    def __init__(self, document: dict[str, Any], content_sha: str) -> None:
        self.content_sha = content_sha
        self.document = document
        self.dialect: Dialect = dialect_of(document)
        self.converted = convert_document(document, self.dialect)
        self.index = OperationIndex.from_document(document)
        self.discriminators = Discriminators(self.converted, self.dialect)
        self._registry: Registry[Any] = Registry().with_resource(SPEC_URI, DRAFT202012.create_resource(self.converted))
        self._pointers = _pointer_map(self.converted)
        self._operations: dict[tuple[str, str], Operation | None] = {}
        self._engines: dict[str, SchemaEngine] = {}
        self._lock = threading.Lock()

    def operation(self, method: str, template: str) -> Operation | None:
        key = (method.lower(), template)
        if key not in self._operations:
            self._operations[key] = build_operation(self, key[0], template)
        return self._operations[key]

    def engine(self, direction: Direction) -> SchemaEngine:
        found = self._engines.get(direction)
        if found is None:
            with self._lock:
                found = self._engines.get(direction)
                if found is None:
                    found = SchemaEngine(self.converted, self._registry, self.discriminators, direction, self.pointer)
                    self._engines[direction] = found
        return found

    def pointer(self, value: Any) -> str | None:
        """Where an object of the converted document sits (its JSON pointer)."""
        return self._pointers.get(id(value))

    def pointer_of(self, schema: Any) -> str:
        return self._pointers.get(id(schema), "")

    def declaring_pointer_of(self, schema: Any) -> str:
        for _ in range(MAX_REF_HOPS):
            if not isinstance(schema, dict) or "properties" in schema or not isinstance(schema.get("$ref"), str):
                break
            target = lookup(self.converted, schema["$ref"])
            if not isinstance(target, dict):
                break
            schema = target
        return self.pointer_of(schema)

    def resolve(self, value: Any, pointer: str | None = None) -> tuple[Any, str | None]:
        """A parameter, response, header or request body object and its pointer, after any `$ref`s: `pointer`
        says where the value sits; without it, it is looked up."""
        return follow(self.converted, value, self.pointer(value) if pointer is None else pointer)


def _pointer_map(document: Any) -> dict[int, str]:
    found: dict[int, str] = {}
    stack: list[tuple[Any, str]] = [(document, "")]
    while stack:
        value, pointer = stack.pop()
        if isinstance(value, dict):
            found[id(value)] = pointer
            stack.extend((item, json_pointers.join(pointer, key)) for key, item in value.items())
        elif isinstance(value, list):
            stack.extend((item, json_pointers.join(pointer, index)) for index, item in enumerate(value))
    return found


class CompiledSpecCache:
    """Recently used compiled specs by the SHA-256 of their content, least recently used out.

    The same content compiles to the same spec, so entries are shared by every tenant. Compiling happens outside
    the lock: two threads compiling the same new content both do the work, and one result is kept.
    """

    def __init__(self, max_entries: int = 16) -> None:
        self.max_entries = max_entries
        self._entries: OrderedDict[str, CompiledSpec] = OrderedDict()
        self._lock = threading.Lock()

    def __len__(self) -> int:
        return len(self._entries)

    def get(self, content_sha: str) -> CompiledSpec | None:
        with self._lock:
            found = self._entries.get(content_sha)
            if found is not None:
                self._entries.move_to_end(content_sha)
            return found

    def put(self, spec: CompiledSpec) -> CompiledSpec:
        with self._lock:
            kept = self._entries.setdefault(spec.content_sha, spec)
            self._entries.move_to_end(spec.content_sha)
            while len(self._entries) > self.max_entries:
                self._entries.popitem(last=False)
            return kept


COMPILED_SPECS = CompiledSpecCache()


def compile_spec(document: dict[str, Any], content_sha: str) -> CompiledSpec:
    """The compiled spec of a document whose canonical content hashes to `content_sha` (cached by it)."""
    found = COMPILED_SPECS.get(content_sha)
    if found is not None:
        return found
    return COMPILED_SPECS.put(CompiledSpec(document, content_sha))
