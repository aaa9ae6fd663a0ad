"""Following local `$ref`s through an OpenAPI document while keeping a JSON pointer to where each value lives.

Changes point into the document that holds them, so a value reached through `$ref` is reported at its
definition (`/components/schemas/Order/properties/status`), which is a pointer a reader can follow. The same
resolver is the `SpecSource` the diff reads operations from (accord.openapi.operation_model): the document as
written, where the checker reads a converted copy.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from accord.openapi import json_pointers
from accord.openapi.dialects import Dialect, dialect_of
from accord.openapi.references import MAX_REF_HOPS, lookup


@dataclass(frozen=True, slots=True)
class Node:
    """A value of the document, references followed, and the JSON pointer of where it is defined."""

    value: Any
    pointer: str


class Resolver:
    """Resolves local references of one document; synthetic values (built from Swagger 2 parameters) can be
    registered with the pointer of what they were built from."""

    def __init__(self, document: dict[str, Any]) -> None:
        self.document = document
        self.dialect: Dialect = dialect_of(document)
        # OpenAPI 3.1 schemas apply keywords next to `$ref`; 3.0 and Swagger 2 ignore them.
        self.merges_ref_siblings = self.dialect == "3.1"
        self._located: dict[int, str] = {}
        self._keep: list[Any] = []  # keeps registered values alive, so their ids stay theirs

    @property
    def converted(self) -> dict[str, Any]:
        """The diff compares documents as written: there is no converted copy."""
        return self.document

    def resolve(self, value: Any, pointer: str) -> tuple[Any, str | None]:
        node = self.node(value, pointer)
        return node.value, node.pointer

    def locate(self, value: Any, pointer: str) -> Any:
        self._located[id(value)] = pointer
        self._keep.append(value)
        return value

    def node(self, value: Any, pointer: str) -> Node:
        siblings: dict[str, Any] = {}
        for _ in range(MAX_REF_HOPS):
            ref = value.get("$ref") if isinstance(value, dict) else None
            if not isinstance(ref, str):
                break
            if self.merges_ref_siblings:
                siblings = {**{k: v for k, v in value.items() if k != "$ref"}, **siblings}
            target = lookup(self.document, ref)
            if target is None:  # the upload validator refuses these; be lenient with older rows
                return Node({}, pointer)
            value, pointer = target, ref[1:]
        else:
            return Node({}, pointer)
        pointer = self._located.get(id(value), pointer)
        if siblings and isinstance(value, dict):
            value = {**value, **siblings}
        return Node(value, pointer)

    def child(self, node: Node, *keys: str | int) -> Node | None:
        """The value at `keys` under the node (following references on the way), or None if absent."""
        current = node
        for key in keys:
            value = current.value
            found = (isinstance(value, dict) and isinstance(key, str) and key in value) or (
                isinstance(value, list) and isinstance(key, int) and 0 <= key < len(value)
            )
            if not found:
                return None
            current = self.node(value[key], json_pointers.join(current.pointer, key))
        return current
