"""Parameter values as the provider's HTTP framework reads them: text coerced to what the schema says.

Query strings, headers, cookies and path segments carry text. `?limit=10` is an integer to a provider whose
spec says `type: integer`, and `?ids=1,2` an array of two; a value that can't be read as the schema's type
stays text, and the validator then reports it.
"""

from __future__ import annotations

import re
from typing import Any

import msgspec

from accord.compatibility.json_schema import NULLABLE
from accord.openapi.references import lookup

_INTEGER = re.compile(r"[+-]?\d+")
_NUMBER = re.compile(r"[+-]?(\d+\.?\d*|\.\d+)([eE][+-]?\d+)?")
# Swagger 2.0 collectionFormat and OpenAPI 3 style: how an array is spelled in one value.
_DELIMITERS = {"csv": ",", "ssv": " ", "tsv": "\t", "pipes": "|", "spaceDelimited": " ", "pipeDelimited": "|"}


class Unreadable(Exception):
    """A value whose serialization Accord doesn't read (objects as deepObject, say): not validated."""


def types_of(document: dict[str, Any], schema: Any, seen: set[int] | None = None) -> set[str]:
    """The JSON types a schema allows, through `$ref`s and composition; empty when it doesn't say."""
    seen = set() if seen is None else seen
    if not isinstance(schema, dict) or id(schema) in seen:
        return set()
    seen.add(id(schema))
    declared = schema.get("type")
    found = set(declared if isinstance(declared, list) else [declared] if isinstance(declared, str) else [])
    if isinstance(schema.get("$ref"), str):
        found |= types_of(document, lookup(document, schema["$ref"]), seen)
    for keyword in ("allOf", "anyOf", "oneOf"):
        for member in schema.get(keyword) or ():
            found |= types_of(document, member, seen)
    if schema.get(NULLABLE) is True and found:
        found.add("null")
    return found


def items_of(document: dict[str, Any], schema: Any, seen: set[int] | None = None) -> Any:
    """The `items` schema of an array schema, through `$ref`s and `allOf`."""
    seen = set() if seen is None else seen
    if not isinstance(schema, dict) or id(schema) in seen:
        return None
    seen.add(id(schema))
    if "items" in schema:
        return schema["items"]
    if isinstance(schema.get("$ref"), str):
        return items_of(document, lookup(document, schema["$ref"]), seen)
    for member in schema.get("allOf") or ():
        found = items_of(document, member, seen)
        if found is not None:
            return found
    return None


def coerce_scalar(text: str, types: set[str]) -> Any:
    if "integer" in types and _INTEGER.fullmatch(text):
        return int(text)
    if "number" in types and _NUMBER.fullmatch(text):
        number = float(text)
        return int(number) if number.is_integer() and _INTEGER.fullmatch(text) else number
    if "boolean" in types and text in ("true", "false"):
        return text == "true"
    if "null" in types and text in ("", "null") and "string" not in types:
        return None
    return text


def coerce(
    document: dict[str, Any],
    schema: Any,
    values: list[str],
    *,
    location: str,
    style: str | None = None,
    explode: bool | None = None,
    collection_format: str | None = None,
    json_content: bool = False,
) -> Any:
    """The value a provider reads from the text of a parameter (several texts for a repeated query key)."""
    if json_content:
        try:
            return msgspec.json.decode(values[0])
        except msgspec.DecodeError:
            return values[0]
    types = types_of(document, schema)
    if "object" in types and not types & {"string", "integer", "number", "boolean", "array"}:
        raise Unreadable(location)
    if "array" not in types:
        return coerce_scalar(_unprefixed(values[0], style), types)
    item_types = types_of(document, items_of(document, schema))
    if collection_format is not None:  # Swagger 2.0: csv unless it says otherwise
        exploded = collection_format == "multi"
    else:  # OpenAPI 3: query (and form) arrays explode by default, `?id=1&id=2`; other places never do
        exploded = location in ("query", "formData") and (explode if explode is not None else style in (None, "form"))
    if exploded:
        texts = values
    else:
        texts = [piece for value in values for piece in _split(_unprefixed(value, style), style, collection_format)]
    return [coerce_scalar(text, item_types) for text in texts]


def _split(text: str, style: str | None, collection_format: str | None) -> list[str]:
    delimiter = _DELIMITERS.get(collection_format or "") or _DELIMITERS.get(style or "", ",")
    return text.split(delimiter) if text else []


def _unprefixed(text: str, style: str | None) -> str:
    # Path parameters in label (`.5`) or matrix (`;id=5`) style carry a prefix before the value.
    if style == "label" and text.startswith("."):
        return text[1:]
    if style == "matrix" and text.startswith(";") and "=" in text:
        return text.split("=", 1)[1]
    return text


def cookies(header: str | None) -> dict[str, str]:
    found: dict[str, str] = {}
    for part in (header or "").split(";"):
        name, separator, value = part.strip().partition("=")
        if separator and name:
            found.setdefault(name, value)
    return found


def form_object(document: dict[str, Any], schema: Any, fields: dict[str, list[str]]) -> dict[str, Any]:
    """A url-encoded form as the object its schema describes, each field coerced by its property's schema."""
    found: dict[str, Any] = {}
    for name, values in fields.items():
        if not values:
            continue
        field_schema = property_schema(document, schema, name)
        try:
            found[name] = coerce(document, field_schema, values, location="formData", style="form", explode=True)
        except Unreadable:
            found[name] = values[0]
    return found


def property_schema(document: dict[str, Any], schema: Any, name: str, seen: set[int] | None = None) -> Any:
    """The schema of an object schema's property `name`, through `$ref`s and composition."""
    seen = set() if seen is None else seen
    if not isinstance(schema, dict) or id(schema) in seen:
        return None
    seen.add(id(schema))
    properties = schema.get("properties")
    if isinstance(properties, dict) and name in properties:
        return properties[name]
    members: list[Any] = [lookup(document, schema["$ref"])] if isinstance(schema.get("$ref"), str) else []
    for keyword in ("allOf", "anyOf", "oneOf"):
        members.extend(schema.get(keyword) or ())
    for member in members:
        found = property_schema(document, member, name, seen)
        if found is not None:
            return found
    additional = schema.get("additionalProperties")
    return additional if isinstance(additional, dict) else None
