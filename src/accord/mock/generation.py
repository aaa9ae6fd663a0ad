"""A response body generated from its JSON Schema: deterministic, the smallest plausible value that is valid.

Works on the converted schemas of a compiled spec (JSON Schema 2020-12, see compatibility/json_schema.py):
`$ref`s resolve in that document. Required properties always appear, optional ones too unless write-only or
past a nesting depth (recursive schemas end there). Tests validate every generated body against its schema.
"""

from __future__ import annotations

import re
from typing import Any

from accord.mock.patterns import matching_string
from accord.openapi.references import MAX_REF_HOPS, lookup

_MAX_DEPTH = 6
_FORMATS = {
    "date-time": "2026-01-01T00:00:00Z",
    "date": "2026-01-01",
    "time": "00:00:00Z",
    "email": "user@example.com",
    "idn-email": "user@example.com",
    "uuid": "00000000-0000-4000-8000-000000000000",
    "uri": "https://example.com/",
    "iri": "https://example.com/",
    "uri-reference": "/example",
    "url": "https://example.com/",
    "hostname": "example.com",
    "ipv4": "192.0.2.1",
    "ipv6": "2001:db8::1",
    "byte": "AAAA",
    "binary": "",
    "password": "secret",
    "duration": "P1D",
}
# Tried, in order, against a `pattern` the format's value doesn't match.
_PATTERN_CANDIDATES = ("string", "a", "A", "0", "1", "abc", "ABC", "a1", "A1", "example", "2026-01-01", "x-1")


class SchemaGenerator:
    """Values for schemas of one (converted) spec document."""

    def __init__(self, document: dict[str, Any]) -> None:
        self.document = document

    def value(self, schema: Any, depth: int = 0) -> Any:
        schema = self._resolved(schema)
        if schema is True or schema is None or schema == {}:
            return {} if depth == 0 else "string"
        if not isinstance(schema, dict):
            return None
        if "const" in schema:
            return schema["const"]
        if isinstance(schema.get("enum"), list) and schema["enum"]:
            return schema["enum"][0]
        if isinstance(schema.get("allOf"), list):
            return self.value(self._merged(schema), depth)
        for keyword in ("oneOf", "anyOf"):
            options = schema.get(keyword)
            if isinstance(options, list) and options:
                base = {key: value for key, value in schema.items() if key != keyword}
                return self.value(self._merged({"allOf": [base, options[0]]}), depth)
        kind = self._type(schema)
        if kind == "object":
            return self._object(schema, depth)
        if kind == "array":
            return self._array(schema, depth)
        if kind == "string":
            return self._string(schema)
        if kind in ("integer", "number"):
            return self._number(schema, integer=kind == "integer")
        if kind == "boolean":
            return True
        return None

    def _resolved(self, schema: Any) -> Any:
        for _ in range(MAX_REF_HOPS):
            ref = schema.get("$ref") if isinstance(schema, dict) else None
            if not isinstance(ref, str) or not ref.startswith("#"):
                return schema
            target = lookup(self.document, ref)
            if len(schema) > 1 and isinstance(target, dict):  # siblings of $ref apply too (2020-12)
                return {**target, **{key: value for key, value in schema.items() if key != "$ref"}}
            schema = target
        return {}

    def _merged(self, schema: dict[str, Any]) -> dict[str, Any]:
        """allOf as one schema: properties and required united, other keywords from the last that has them."""
        merged: dict[str, Any] = {key: value for key, value in schema.items() if key != "allOf"}
        for part in schema.get("allOf") or ():
            part = self._resolved(part)
            if not isinstance(part, dict):
                continue
            if "allOf" in part:
                part = self._merged(part)
            for key, value in part.items():
                if key == "properties" and isinstance(value, dict):
                    merged["properties"] = {**merged.get("properties", {}), **value}
                elif key == "required" and isinstance(value, list):
                    merged["required"] = sorted({*merged.get("required", []), *value})
                else:
                    merged.setdefault(key, value)
        return merged

    @staticmethod
    def _type(schema: dict[str, Any]) -> str | None:
        kind = schema.get("type")
        if isinstance(kind, list):
            kinds = [each for each in kind if each != "null"]
            return kinds[0] if kinds else "null"
        if isinstance(kind, str):
            return kind
        if "properties" in schema or "required" in schema or "additionalProperties" in schema:
            return "object"
        if "items" in schema or "prefixItems" in schema:
            return "array"
        return "object"  # untyped: anything goes, an object included

    def _object(self, schema: dict[str, Any], depth: int) -> dict[str, Any]:
        declared = schema.get("properties")
        properties: dict[str, Any] = declared if isinstance(declared, dict) else {}
        required = set(schema.get("required") or ())
        result: dict[str, Any] = {}
        for name, subschema in properties.items():
            resolved = self._resolved(subschema)
            write_only = isinstance(resolved, dict) and bool(resolved.get("writeOnly"))
            if name not in required and (depth >= _MAX_DEPTH or write_only):
                continue
            result[name] = self.value(subschema, depth + 1)
        for name in sorted(required - result.keys()):  # required without a declared schema
            result[name] = "string"
        return result

    def _array(self, schema: dict[str, Any], depth: int) -> list[Any]:
        minimum = int(schema.get("minItems") or 0)
        maximum = schema.get("maxItems")
        declared = schema.get("prefixItems")
        prefix: list[Any] = declared if isinstance(declared, list) else []
        count = max(minimum, len(prefix), 0 if depth >= _MAX_DEPTH else 1)
        if isinstance(maximum, int):
            count = min(count, maximum)
        items = schema.get("items", {})
        values = []
        for index in range(count):
            item_schema = prefix[index] if index < len(prefix) else items
            value = self.value(item_schema, depth + 1)
            if schema.get("uniqueItems") and isinstance(value, int | float) and not isinstance(value, bool):
                value = value + index
            values.append(value)
        return values

    @staticmethod
    def _string(schema: dict[str, Any]) -> str:
        value = _FORMATS.get(str(schema.get("format")), "string")
        pattern = schema.get("pattern")
        if isinstance(pattern, str):
            try:
                compiled = re.compile(pattern)
            except re.error:
                compiled = None
            if compiled is not None and not compiled.search(value):
                built = matching_string(pattern)
                value = (
                    built
                    if built is not None
                    else next((each for each in _PATTERN_CANDIDATES if compiled.search(each)), value)
                )
        minimum, maximum = schema.get("minLength"), schema.get("maxLength")
        if isinstance(minimum, int) and len(value) < minimum:
            value = value + "x" * (minimum - len(value))
        if isinstance(maximum, int) and len(value) > maximum:
            value = value[:maximum]
        return value

    @staticmethod
    def _number(schema: dict[str, Any], *, integer: bool) -> int | float:
        low: float | None = None
        high: float | None = None
        if isinstance(schema.get("minimum"), int | float):
            low = schema["minimum"]
        if isinstance(schema.get("exclusiveMinimum"), int | float):
            low = schema["exclusiveMinimum"] + (1 if integer else 0.5)
        if isinstance(schema.get("maximum"), int | float):
            high = schema["maximum"]
        if isinstance(schema.get("exclusiveMaximum"), int | float):
            high = schema["exclusiveMaximum"] - (1 if integer else 0.5)
        value: float = low if low is not None else (min(0, high) if high is not None else 1)
        step = schema.get("multipleOf")
        if isinstance(step, int | float) and step > 0:
            value = -(-value // step) * step  # the first multiple at or above
        if integer:
            return int(-(-value // 1))
        return float(value)
