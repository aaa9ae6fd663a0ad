"""OpenAPI schemas as JSON Schema 2020-12: one dialect to validate, whatever the spec's version.

The conversion works on a copy of the whole document and keeps every schema at its pointer, so a validation
error's schema maps straight back to where the spec says it. What changes:

- OpenAPI 3.0 `nullable` and Swagger's `x-nullable` become `x-accord-nullable`, which the validators read as
  "null is also fine" (3.1 has no `nullable`: there it stays an unknown keyword, as the spec says).
- Draft 4 boolean `exclusiveMinimum`/`exclusiveMaximum` become 2020-12 numbers.
- In 3.0 and 2.0, siblings of `$ref` are ignored (as those versions say), except `nullable`: generators put it
  there and mean it.
- Swagger's `type: file` (no JSON type) goes; its string `discriminator` becomes `{propertyName: ...}`.

and what is added, read by Accord's keywords (see keywords.py):

- `x-accord-readOnly` / `x-accord-writeOnly`: the names of an object's properties that are read-only (must not
  be sent in requests, aren't required in them) or write-only (must not be read from responses).
- `x-accord-closed` on schemas where an instance sits (a body, a property, an item) that declare properties:
  in responses a consumer may only rely on fields the provider promises, so a field no `properties` (through
  `$ref`s and `allOf`/`anyOf`/`oneOf`) declares is a mismatch, unless `additionalProperties` allows it.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import msgspec

from accord.openapi.dialects import Dialect
from accord.openapi.operations import HTTP_METHODS
from accord.openapi.references import lookup

NULLABLE = "x-accord-nullable"
READ_ONLY = "x-accord-readOnly"
WRITE_ONLY = "x-accord-writeOnly"
CLOSED = "x-accord-closed"

# Subschemas that apply to the instance itself (their properties count as the instance's).
IN_PLACE_LISTS = ("allOf", "anyOf", "oneOf")
IN_PLACE_SINGLE = ("if", "then", "else", "not")
# Subschemas that apply to a part of the instance (a property, an item).
_CHILD_MAPS = ("properties", "patternProperties", "dependentSchemas", "$defs", "definitions")
_CHILD_SINGLE = ("additionalProperties", "items", "contains", "propertyNames", "unevaluatedProperties")
_INSTANCE_MAPS = ("properties", "patternProperties")
_INSTANCE_SINGLE = ("additionalProperties", "items", "unevaluatedProperties")


def convert_document(document: dict[str, Any], dialect: Dialect) -> dict[str, Any]:
    """A converted copy of the document (the original is not touched)."""
    converted: dict[str, Any] = msgspec.json.decode(msgspec.json.encode(document))
    roots, positions = _schema_locations(converted, dialect)
    seen: set[int] = set()
    for schema in roots:
        _convert(schema, dialect, seen, positions)
    for schema in _all_schemas(roots):
        _annotate_access(converted, schema)
    for schema in positions:
        if isinstance(schema, dict) and declares_properties(converted, schema):
            schema[CLOSED] = True
    return converted


def _schema_locations(document: dict[str, Any], dialect: Dialect) -> tuple[list[Any], list[Any]]:
    """Every schema the document holds outside other schemas, and those of them where an instance sits."""
    roots: list[Any] = []
    positions: list[Any] = []

    def body_schema(holder: Any) -> None:
        if isinstance(holder, dict) and "schema" in holder:
            roots.append(holder["schema"])
            positions.append(holder["schema"])

    def media(content: Any) -> None:
        for media_type in _values(content):
            body_schema(media_type)

    def parameter(item: Any) -> None:
        if not isinstance(item, dict) or "$ref" in item:
            return
        if dialect == "2.0":
            if item.get("in") == "body":
                body_schema(item)
            else:
                roots.append(item)  # Swagger's other parameters are schema-like themselves (type, items...)
            return
        if "schema" in item:
            roots.append(item["schema"])
        media(item.get("content"))

    def response(item: Any) -> None:
        if not isinstance(item, dict) or "$ref" in item:
            return
        if dialect == "2.0":
            body_schema(item)
            roots.extend(header for header in _values(item.get("headers")) if isinstance(header, dict))
            return
        media(item.get("content"))
        for header in _values(item.get("headers")):
            parameter(header)

    def operation(item: Any) -> None:
        if not isinstance(item, dict):
            return
        for each in item.get("parameters") or ():
            parameter(each)
        body = item.get("requestBody")
        if isinstance(body, dict) and "$ref" not in body:
            media(body.get("content"))
        for each in _values(item.get("responses")):
            response(each)

    def path_item(item: Any) -> None:
        if not isinstance(item, dict) or "$ref" in item:
            return
        for each in item.get("parameters") or ():
            parameter(each)
        for method in HTTP_METHODS:
            operation(item.get(method))

    for item in _values(document.get("paths")):
        path_item(item)
    if dialect == "2.0":
        roots.extend(_values(document.get("definitions")))
        for each in _values(document.get("parameters")):
            parameter(each)
        for each in _values(document.get("responses")):
            response(each)
        return roots, positions
    components = document.get("components")
    components = components if isinstance(components, dict) else {}
    roots.extend(_values(components.get("schemas")))
    for each in _values(components.get("parameters")):
        parameter(each)
    for each in _values(components.get("headers")):
        parameter(each)
    for each in _values(components.get("requestBodies")):
        if isinstance(each, dict):
            media(each.get("content"))
    for each in _values(components.get("responses")):
        response(each)
    for each in _values(components.get("pathItems")):
        path_item(each)
    return roots, positions


def _values(container: Any) -> list[Any]:
    return list(container.values()) if isinstance(container, dict) else []


def _convert(schema: Any, dialect: Dialect, seen: set[int], positions: list[Any]) -> None:
    if not isinstance(schema, dict) or id(schema) in seen:
        return
    seen.add(id(schema))
    if dialect != "3.1":
        _convert_draft4(schema, dialect)
    for keyword in _CHILD_MAPS:
        children = schema.get(keyword)
        if isinstance(children, dict):
            for child in children.values():
                _convert(child, dialect, seen, positions)
            if keyword in _INSTANCE_MAPS:
                positions.extend(children.values())
    for keyword in (*_CHILD_SINGLE, *IN_PLACE_SINGLE):
        child = schema.get(keyword)
        if keyword == "items" and isinstance(child, list):
            # Draft 4 tuple form; 3.0 forbids it, 2020-12 spells it prefixItems.
            schema["prefixItems"] = schema.pop("items")
            continue
        _convert(child, dialect, seen, positions)
        if keyword in _INSTANCE_SINGLE and isinstance(child, dict):
            positions.append(child)
    for keyword in (*IN_PLACE_LISTS, "prefixItems"):
        children = schema.get(keyword)
        if isinstance(children, list):
            for child in children:
                _convert(child, dialect, seen, positions)
            if keyword == "prefixItems":
                positions.extend(children)


def _convert_draft4(schema: dict[str, Any], dialect: Dialect) -> None:
    nullable_key = "nullable" if dialect == "3.0" else "x-nullable"
    nullable = schema.pop(nullable_key, None) is True
    if "$ref" in schema:
        ref = schema["$ref"]
        schema.clear()
        schema["$ref"] = ref
    if nullable:
        schema[NULLABLE] = True
    for exclusive, bound in (("exclusiveMinimum", "minimum"), ("exclusiveMaximum", "maximum")):
        flag = schema.get(exclusive)
        if isinstance(flag, bool):
            del schema[exclusive]
            if flag and bound in schema:
                schema[exclusive] = schema.pop(bound)
    if dialect == "2.0":
        if schema.get("type") == "file":
            del schema["type"]
        if isinstance(schema.get("discriminator"), str):
            schema["discriminator"] = {"propertyName": schema["discriminator"]}


def _all_schemas(roots: list[Any]) -> Iterator[dict[str, Any]]:
    seen: set[int] = set()
    stack = list(roots)
    while stack:
        schema = stack.pop()
        if not isinstance(schema, dict) or id(schema) in seen:
            continue
        seen.add(id(schema))
        yield schema
        for keyword in _CHILD_MAPS:
            children = schema.get(keyword)
            if isinstance(children, dict):
                stack.extend(children.values())
        for keyword in (*_CHILD_SINGLE, *IN_PLACE_SINGLE):
            stack.append(schema.get(keyword))
        for keyword in (*IN_PLACE_LISTS, "prefixItems"):
            children = schema.get(keyword)
            if isinstance(children, list):
                stack.extend(children)


def _annotate_access(document: dict[str, Any], schema: dict[str, Any]) -> None:
    properties = schema.get("properties")
    if not isinstance(properties, dict):
        return
    for flag, annotation in (("readOnly", READ_ONLY), ("writeOnly", WRITE_ONLY)):
        names = [name for name, sub in properties.items() if _flagged(document, sub, flag, set())]
        if names:
            schema[annotation] = names


def _flagged(document: dict[str, Any], schema: Any, flag: str, seen: set[int]) -> bool:
    """Whether a property's schema says readOnly/writeOnly itself, through its `$ref`, or in an allOf member."""
    if not isinstance(schema, dict) or id(schema) in seen:
        return False
    seen.add(id(schema))
    if schema.get(flag) is True:
        return True
    if isinstance(schema.get("$ref"), str) and _flagged(document, lookup(document, schema["$ref"]), flag, seen):
        return True
    return any(_flagged(document, member, flag, seen) for member in schema.get("allOf") or ())


def declares_properties(document: dict[str, Any], schema: Any, seen: set[int] | None = None) -> bool:
    """Whether a schema, through `$ref`s and in-place subschemas, names any property: then it is not a free-form
    map, and a field none of them names is not promised."""
    seen = set() if seen is None else seen
    if not isinstance(schema, dict) or id(schema) in seen:
        return False
    seen.add(id(schema))
    if schema.get("properties") or schema.get("patternProperties"):
        return True
    ref = schema.get("$ref")
    if isinstance(ref, str) and declares_properties(document, lookup(document, ref), seen):
        return True
    members: list[Any] = [schema.get(keyword) for keyword in ("if", "then", "else")]
    for keyword in IN_PLACE_LISTS:
        members.extend(schema.get(keyword) or ())
    return any(declares_properties(document, member, seen) for member in members)
