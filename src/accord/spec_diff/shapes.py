"""What a schema allows, in one flat form the comparison can read: JSON types, enum, fields, bounds.

`allOf` members are merged (fields and required names add up, types and enums intersect); OpenAPI 3.0's
`nullable` and Swagger's `x-nullable` add "null" to the types, as OpenAPI 3.1 writes it.
"""

from __future__ import annotations

from dataclasses import dataclass, field, replace
from typing import Any, TypeGuard

import msgspec

from accord.spec_diff.refs import Node, Resolver

_MAX_ALL_OF_DEPTH = 8
JSON_TYPES = frozenset({"null", "boolean", "object", "array", "number", "string", "integer"})
LOWER_BOUNDS = ("minLength", "minItems", "minProperties", "minimum")
UPPER_BOUNDS = ("maxLength", "maxItems", "maxProperties", "maximum")

_encode = msgspec.json.Encoder(order="sorted")


def enum_key(value: Any) -> str:
    """Enum members compared as canonical JSON: 1 and 1.0 differ in JSON Schema only by type, "1" and 1 do."""
    return _encode.encode(value).decode()


@dataclass(frozen=True, slots=True)
class Bound:
    value: float
    exclusive: bool = False


@dataclass(slots=True)
class Shape:
    pointer: str
    types: frozenset[str] | None = None  # None: any type
    format: str | None = None
    enum: tuple[Any, ...] | None = None  # None: any value
    extensible_enum: tuple[Any, ...] | None = None  # x-extensible-enum: values known so far, more may come
    properties: dict[str, Node] = field(default_factory=dict)
    required: frozenset[str] = frozenset()
    additional: bool | Node = True  # additionalProperties: True (anything), False (nothing), or a schema
    items: Node | None = None
    variants: tuple[Node, ...] = ()  # oneOf / anyOf members
    read_only: bool = False
    write_only: bool = False
    lower: dict[str, Bound] = field(default_factory=dict)
    upper: dict[str, Bound] = field(default_factory=dict)
    pattern: str | None = None
    multiple_of: float | None = None
    unique_items: bool = False


def accepts(types: frozenset[str] | None, json_type: str) -> bool:
    return types is None or json_type in types or (json_type == "integer" and "number" in types)


def shape_of(resolver: Resolver, node: Node, depth: int = 0) -> Shape:
    value = node.value
    if value is False:
        return Shape(pointer=node.pointer, types=frozenset())
    if not isinstance(value, dict):
        return Shape(pointer=node.pointer)
    shape = Shape(
        pointer=node.pointer,
        types=_types(value),
        format=value.get("format") if isinstance(value.get("format"), str) else None,
        enum=_enum(value),
        extensible_enum=tuple(value["x-extensible-enum"]) if isinstance(value.get("x-extensible-enum"), list) else None,
        required=frozenset(n for n in value.get("required") or () if isinstance(n, str))
        if isinstance(value.get("required"), list)
        else frozenset(),
        read_only=value.get("readOnly") is True,
        write_only=value.get("writeOnly") is True,
        lower=_bounds(value, LOWER_BOUNDS, "exclusiveMinimum"),
        upper=_bounds(value, UPPER_BOUNDS, "exclusiveMaximum"),
        pattern=value.get("pattern") if isinstance(value.get("pattern"), str) else None,
        multiple_of=value.get("multipleOf") if _is_number(value.get("multipleOf")) else None,
        unique_items=value.get("uniqueItems") is True,
    )
    properties = resolver.child(node, "properties")
    if properties is not None and isinstance(properties.value, dict):
        for name in properties.value:
            child = resolver.child(properties, name)
            if child is not None:
                shape.properties[name] = child
    additional = resolver.child(node, "additionalProperties")
    if additional is not None:
        shape.additional = additional.value if isinstance(additional.value, bool) else additional
    shape.items = resolver.child(node, "items")
    for keyword in ("oneOf", "anyOf"):
        members = resolver.child(node, keyword)
        if members is not None and isinstance(members.value, list) and not shape.variants:
            shape.variants = tuple(
                m for i in range(len(members.value)) if (m := resolver.child(members, i)) is not None
            )
    if shape.types is None and (shape.properties or additional is not None or shape.required):
        shape.types = frozenset({"object"})
    elif shape.types is None and shape.items is not None:
        shape.types = frozenset({"array"})
    members = resolver.child(node, "allOf")
    if members is not None and isinstance(members.value, list) and depth < _MAX_ALL_OF_DEPTH:
        for index in range(len(members.value)):
            member = resolver.child(members, index)
            if member is not None:
                shape = _merge(shape, shape_of(resolver, member, depth + 1))
    if shape.types is not None and _nullable(value):
        shape.types = shape.types | {"null"}
    return shape


def _types(value: dict[str, Any]) -> frozenset[str] | None:
    declared = value.get("type")
    if isinstance(declared, str) and declared in JSON_TYPES:
        return frozenset({declared})
    if isinstance(declared, list):
        return frozenset(t for t in declared if isinstance(t, str) and t in JSON_TYPES)
    if declared == "file":  # Swagger 2 uploads
        return frozenset({"string"})
    return None


def _nullable(value: dict[str, Any]) -> bool:
    return value.get("nullable") is True or value.get("x-nullable") is True


def _enum(value: dict[str, Any]) -> tuple[Any, ...] | None:
    if "const" in value:
        return (value["const"],)
    listed = value.get("enum")
    return tuple(listed) if isinstance(listed, list) else None


def _is_number(value: Any) -> TypeGuard[int | float]:
    return isinstance(value, int | float) and not isinstance(value, bool)


def _bounds(value: dict[str, Any], keywords: tuple[str, ...], exclusive_keyword: str) -> dict[str, Bound]:
    bounds = {k: Bound(float(value[k])) for k in keywords if _is_number(value.get(k))}
    exclusive = value.get(exclusive_keyword)
    numeric = keywords[-1]  # minimum / maximum
    if exclusive is True and numeric in bounds:  # OpenAPI 3.0, Swagger 2
        bounds[numeric] = Bound(bounds[numeric].value, exclusive=True)
    elif _is_number(exclusive):  # OpenAPI 3.1: the exclusive bound itself
        candidate = Bound(float(exclusive), exclusive=True)
        current = bounds.get(numeric)
        lower = numeric == "minimum"
        if current is None or (candidate.value >= current.value if lower else candidate.value <= current.value):
            bounds[numeric] = candidate
    return bounds


def _merge(shape: Shape, member: Shape) -> Shape:
    """An allOf: what both allow."""
    types = member.types if shape.types is None else shape.types if member.types is None else shape.types & member.types
    if shape.enum is None or member.enum is None:
        enum = shape.enum if member.enum is None else member.enum
    else:
        allowed = {enum_key(v) for v in member.enum}
        enum = tuple(v for v in shape.enum if enum_key(v) in allowed)
    additional = shape.additional if member.additional is True else member.additional
    return replace(
        shape,
        types=types,
        format=shape.format or member.format,
        enum=enum,
        extensible_enum=shape.extensible_enum or member.extensible_enum,
        properties={**member.properties, **shape.properties},
        required=shape.required | member.required,
        additional=additional if shape.additional is True else shape.additional,
        items=shape.items or member.items,
        variants=shape.variants or member.variants,
        read_only=shape.read_only or member.read_only,
        write_only=shape.write_only or member.write_only,
        lower={**member.lower, **shape.lower},
        upper={**member.upper, **shape.upper},
        pattern=shape.pattern or member.pattern,
        multiple_of=shape.multiple_of or member.multiple_of,
        unique_items=shape.unique_items or member.unique_items,
    )
