"""Comparing two schemas at one place of an operation, field by field, in the direction the data flows.

A request schema is read by the provider: it breaks consumers when it accepts less. A response schema is read
by consumers: it breaks them when it may produce more. The same walk serves both; only the verdicts differ.
Recursive schemas stop where a pair of definitions repeats on the current path.
"""

from __future__ import annotations

from dataclasses import dataclass, replace
from typing import Any, Literal

from accord.openapi import json_pointers
from accord.spec_diff.bounds import TIGHTENED, bound_changes
from accord.spec_diff.changes import Change, Target, change, describe_field
from accord.spec_diff.constraint_values import constraint_of
from accord.spec_diff.refs import Node, Resolver
from accord.spec_diff.shapes import JSON_TYPES, Shape, accepts, enum_key, shape_of

Direction = Literal["request", "response"]
_MAX_DEPTH = 40
_SOME_TYPES = frozenset(JSON_TYPES - {"integer"})  # "number" covers integers


@dataclass(frozen=True, slots=True)
class Site:
    """Where a schema is used: the operation, the direction data flows, what to call it, and what it feeds."""

    operation: str
    direction: Direction
    subject: str  # "the request body", "query parameter `limit`", "the 200 response body"
    target: Target


class Budget:
    """Bounds the work one diff may do on pathological documents (huge or exponentially shared schemas)."""

    def __init__(self, nodes: int = 200_000) -> None:
        self.remaining = nodes

    def take(self) -> bool:
        self.remaining -= 1
        return self.remaining >= 0


class SchemaComparison:
    def __init__(self, old: Resolver, new: Resolver, budget: Budget) -> None:
        self.old = old
        self.new = new
        self.budget = budget

    def compare(self, old: Node, new: Node, site: Site) -> list[Change]:
        found: list[Change] = []
        self._walk(old, new, (), site, set(), found)
        return found

    def _walk(
        self, old: Node, new: Node, field: tuple[str, ...], site: Site, path: set[tuple[str, str]], out: list[Change]
    ) -> None:
        pair = (old.pointer, new.pointer)
        if pair in path or len(path) > _MAX_DEPTH or not self.budget.take():
            return
        a, b = shape_of(self.old, old), shape_of(self.new, new)
        emit = _Emitter(site, field, out)
        retyped = self._types(a, b, emit)
        if not retyped:
            self._formats(a, b, emit)
        self._enums(a, b, emit)
        if site.direction == "request":
            for kind, keyword, message in bound_changes(a, b):
                # A tightened bound concerns only consumers that send a value it refuses: carry it to check.
                constraint = (constraint_of(b, keyword),) if kind == TIGHTENED else ()
                emit(kind, json_pointers.join(b.pointer, keyword), f"{emit.where}: {message}.", values=constraint)
        if not _comparable(a, b):
            return
        path.add(pair)
        try:
            if accepts(a.types, "object") and accepts(b.types, "object"):
                self._objects(a, b, field, site, path, out, emit)
            if a.items is not None and b.items is not None:
                self._walk(a.items, b.items, (*field, "[]"), site, path, out)
            if a.variants and b.variants:
                self._variants(a, b, field, site, path, out, emit)
        finally:
            path.discard(pair)

    def _types(self, a: Shape, b: Shape, emit: _Emitter) -> bool:
        """Reports a change of JSON types; True when the types changed."""
        lost = frozenset(t for t in (a.types if a.types is not None else _SOME_TYPES) if not accepts(b.types, t))
        gained = frozenset(t for t in (b.types if b.types is not None else _SOME_TYPES) if not accepts(a.types, t))
        was, now = _type_names(a.types), _type_names(b.types)
        if emit.site.direction == "request":
            if lost:
                what = "no longer accepts null" if lost == {"null"} else f"now accepts {now} (was {was})"
                emit("request-type-narrowed", b.pointer, f"{emit.where} {what}.")
            elif gained:
                emit("request-type-widened", b.pointer, f"{emit.where} now accepts {now} (was {was}).")
        elif gained:
            if gained == {"null"}:
                emit("response-field-made-nullable", b.pointer, f"{emit.where} may now be null.")
            else:
                emit("response-field-retyped", b.pointer, f"{emit.where} may now be {now} (was {was}).")
        elif lost:
            emit("response-type-narrowed", b.pointer, f"{emit.where} is now {now} (was {was}).")
        return bool(lost or gained)

    def _formats(self, a: Shape, b: Shape, emit: _Emitter) -> None:
        if a.format == b.format:
            return
        was, now = a.format or "any format", b.format or "any format"
        if emit.site.direction == "request":
            kind = "request-type-narrowed" if b.format is not None else "request-type-widened"
            emit(kind, b.pointer, f"{emit.where} now takes {now} (was {was}).")
        else:
            kind = "response-field-retyped" if a.format is not None else "response-type-narrowed"
            emit(kind, b.pointer, f"{emit.where} is now {now} (was {was}).")

    def _enums(self, a: Shape, b: Shape, emit: _Emitter) -> None:
        pointer = json_pointers.join(b.pointer, "enum")
        if emit.site.direction == "request":
            if b.enum is not None and a.enum is None:
                emit("request-type-narrowed", pointer, f"{emit.where} is now limited to {_values(b.enum)}.")
            elif b.enum is not None and a.enum is not None:
                removed, added = _difference(a.enum, b.enum), _difference(b.enum, a.enum)
                if removed:
                    message = f"{emit.where} no longer accepts {_values(removed)}."
                    emit("enum-value-removed-from-request", pointer, message, values=removed)
                if added:
                    emit("request-enum-value-added", pointer, f"{emit.where} now also accepts {_values(added)}.")
            elif a.enum is not None:
                emit("request-type-widened", b.pointer, f"{emit.where} is no longer limited to {_values(a.enum)}.")
            return
        if a.enum is not None and b.enum is None:
            message = f"{emit.where} is no longer limited to {_values(a.enum)}."
            emit("response-enum-value-added", b.pointer, message)
        elif a.enum is not None and b.enum is not None:
            removed, added = _difference(a.enum, b.enum), _difference(b.enum, a.enum)
            if added:
                message = f"{emit.where} may now be {_values(added)}, which consumers with a closed enum can't read."
                emit("response-enum-value-added", pointer, message)
            if removed:
                emit("response-enum-value-removed", pointer, f"{emit.where} is no longer {_values(removed)}.")
        elif b.enum is not None:
            emit("response-type-narrowed", pointer, f"{emit.where} is now limited to {_values(b.enum)}.")
        elif a.extensible_enum is not None and b.extensible_enum is not None:
            added = _difference(b.extensible_enum, a.extensible_enum)
            if added:
                message = f"{emit.where} may now be {_values(added)}; the list was declared open (x-extensible-enum)."
                emit(
                    "response-enum-value-added",
                    json_pointers.join(b.pointer, "x-extensible-enum"),
                    message,
                    breaking=False,
                )

    def _objects(
        self,
        a: Shape,
        b: Shape,
        field: tuple[str, ...],
        site: Site,
        path: set[tuple[str, str]],
        out: list[Change],
        emit: _Emitter,
    ) -> None:
        request = site.direction == "request"
        hidden = "readOnly" if request else "writeOnly"  # never sent in this direction
        names = [*a.properties, *(n for n in b.properties if n not in a.properties)]
        names += sorted((a.required | b.required) - set(names)) if request else []
        for name in names:
            old, new = a.properties.get(name), b.properties.get(name)
            if _flagged(old, hidden) or _flagged(new, hidden):
                continue
            inner = _Emitter(site, (*field, name), out)
            if request:
                self._request_field(a, b, name, old, new, inner)
            else:
                self._response_field(a, b, name, old, new, inner)
            if old is not None and new is not None:
                self._walk(old, new, (*field, name), site, path, out)
        if request and a.additional is not False and b.additional is False:
            message = f"{emit.where} no longer accepts fields other than {_values(tuple(b.properties)) or 'none'}."
            pointer = json_pointers.join(b.pointer, "additionalProperties")
            emit("request-additional-properties-forbidden", pointer, message, values=tuple(b.properties))
        if isinstance(a.additional, Node) and isinstance(b.additional, Node):
            self._walk(a.additional, b.additional, (*field, "*"), site, path, out)

    @staticmethod
    def _request_field(a: Shape, b: Shape, name: str, old: Node | None, new: Node | None, emit: _Emitter) -> None:
        was_required, is_required = name in a.required, name in b.required
        declared_old = old is not None or was_required
        declared_new = new is not None or is_required
        pointer = new.pointer if new is not None else json_pointers.join(b.pointer, "required")
        if declared_new and not declared_old:
            if is_required:
                emit("request-body-field-added-required", pointer, f"{emit.where} is a new required field.")
            else:
                emit("request-body-field-added", pointer, f"{emit.where} is a new optional field.")
        elif declared_old and not declared_new and old is not None:
            forbidden = b.additional is False
            tail = " and the object no longer accepts undeclared fields" if forbidden else ""
            message = f"{emit.where} was removed from the request{tail}."
            emit("request-body-field-removed", old.pointer, message, document="from", breaking=forbidden)
        elif is_required and not was_required:
            emit("request-body-field-made-required", pointer, f"{emit.where} is now required.")
        elif was_required and not is_required:
            emit("request-body-field-made-optional", pointer, f"{emit.where} is now optional.")

    @staticmethod
    def _response_field(a: Shape, b: Shape, name: str, old: Node | None, new: Node | None, emit: _Emitter) -> None:
        if old is not None and new is None:
            emit("response-field-removed", old.pointer, f"{emit.where} was removed.", document="from")
        elif new is not None and old is None:
            emit("response-field-added", new.pointer, f"{emit.where} was added.")
        elif new is not None and name in a.required and name not in b.required:
            emit("response-field-made-optional", new.pointer, f"{emit.where} is no longer always present.")

    def _variants(
        self,
        a: Shape,
        b: Shape,
        field: tuple[str, ...],
        site: Site,
        path: set[tuple[str, str]],
        out: list[Change],
        emit: _Emitter,
    ) -> None:
        """oneOf/anyOf members: the same definition pairs with itself, the others pair in order."""
        new_by_pointer = {member.pointer: member for member in b.variants}
        pairs = [(m, new_by_pointer[m.pointer]) for m in a.variants if m.pointer in new_by_pointer]
        paired = {m.pointer for m, _ in pairs}
        lost = [m for m in a.variants if m.pointer not in paired]
        gained = [m for m in b.variants if m.pointer not in paired]
        while lost and gained:
            pairs.append((lost.pop(0), gained.pop(0)))
        request = site.direction == "request"
        for member in lost:
            kind = "request-type-narrowed" if request else "response-type-narrowed"
            emit(kind, member.pointer, f"{emit.where} no longer has the alternative at {member.pointer}.", "from")
        for member in gained:
            kind = "request-type-widened" if request else "response-field-retyped"
            emit(kind, member.pointer, f"{emit.where} has a new alternative at {member.pointer}.")
        for old, new in pairs:
            self._walk(old, new, field, site, path, out)


class _Emitter:
    def __init__(self, site: Site, field: tuple[str, ...], out: list[Change]) -> None:
        self.site = site
        self.field = field
        self.out = out
        self.where = f"`{describe_field(field)}` in {site.subject}" if field else _capitalized(site.subject)

    def __call__(
        self,
        kind: str,
        pointer: str,
        message: str,
        document: Literal["from", "to"] = "to",
        *,
        values: tuple[Any, ...] = (),
        breaking: bool | None = None,
    ) -> None:
        target = replace(self.site.target, field=self.field, values=values)
        self.out.append(
            change(kind, self.site.operation, pointer, message, target, document=document, breaking=breaking)
        )


def _capitalized(text: str) -> str:
    return text[:1].upper() + text[1:]


def _comparable(a: Shape, b: Shape) -> bool:
    """Whether the schemas describe the same sort of value, so comparing their insides means something."""
    if a.types is None or b.types is None:
        return True
    return any(accepts(b.types, t) or accepts(a.types, t) for t in a.types | b.types if t != "null") and bool(
        (a.types | b.types) - {"null"}
    )


def _flagged(node: Node | None, keyword: str) -> bool:
    return node is not None and isinstance(node.value, dict) and node.value.get(keyword) is True


def _type_names(types: frozenset[str] | None) -> str:
    return "any type" if types is None else " or ".join(sorted(types)) or "nothing"


def _difference(values: tuple[Any, ...], others: tuple[Any, ...]) -> tuple[Any, ...]:
    known = {enum_key(v) for v in others}
    return tuple(v for v in values if enum_key(v) not in known)


def _values(values: tuple[Any, ...]) -> str:
    return ", ".join(enum_key(v) for v in values)
