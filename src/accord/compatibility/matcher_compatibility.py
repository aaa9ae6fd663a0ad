"""Whether a pact's matchers can agree with the spec where the example alone can't tell (see pact_matchers.py).

The example of a `decimal` matcher may be 5.0, which an `integer` schema accepts, yet the consumer expects
fractions the provider never sends; a `date` matcher's example may be any date, but the spec's field is a
`date-time`. These checks compare the matcher with the schema at the example's path.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any, NamedTuple

from accord.compatibility.formats import FORMAT_CHECKER
from accord.compatibility.json_schema import IN_PLACE_LISTS, NULLABLE
from accord.compatibility.messages import Location, article, either, subject
from accord.compatibility.pact_matchers import BodyRules, Path, Rule, matcher_kind
from accord.compatibility.schemas import Mismatch
from accord.compatibility.spec_model import CompiledSpec
from accord.openapi import json_pointers
from accord.openapi.references import lookup

_STRING_MATCHERS = frozenset({"regex", "include", "date", "time", "datetime", "timestamp", "semver", "contentType"})
_TEMPORAL_FORMATS = {"date": {"date"}, "time": {"time"}, "datetime": {"date-time"}, "timestamp": {"date-time"}}
_NUMERIC_TYPES = {"integer": {"integer", "number"}, "number": {"integer", "number"}, "decimal": {"number"}}
_KNOWN_FORMATS = frozenset(FORMAT_CHECKER.checkers) | {"float", "double", "binary", "password"}


class _Problem(NamedTuple):
    text: str
    keyword: str  # where in the schema the disagreement is: type, format, maxItems...


class _Shape(NamedTuple):
    """What the schemas at one path of the example allow, taken together."""

    types: set[str]  # empty: any
    formats: set[str]
    max_items: int | None
    min_items: int | None
    schemas: list[dict[str, Any]]


def matcher_mismatches(
    spec: CompiledSpec,
    schema: Any,
    body: Any,
    rules: BodyRules,
    location: Location,
    interaction: str,
    reported: set[str],
) -> list[Mismatch]:
    """Mismatches between the body's matchers and the schema, at paths no other mismatch was reported for."""
    found: list[Mismatch] = []
    for path, value in _walk(body, ()):
        rule = rules.exact(path)
        pointer = json_pointers.join(location.pointer, *path)
        if rule is None or pointer in reported:
            continue
        candidates = schemas_at(spec.converted, schema, path)
        if not candidates:
            continue
        shape = _shape(candidates)
        problem = _problem(rule, value, shape, location.where == "response")
        if problem is not None:
            declaring = next((each for each in shape.schemas if problem.keyword in each), shape.schemas[0])
            found.append(
                Mismatch(
                    interaction=interaction,
                    where=location.where,
                    pointer=pointer,
                    spec_pointer=spec.pointer_of(declaring),
                    message=f"{subject(location, path)} {problem.text}",
                )
            )
    return found


def _walk(value: Any, path: Path) -> Iterator[tuple[Path, Any]]:
    yield path, value
    if isinstance(value, dict):
        for key, item in value.items():
            yield from _walk(item, (*path, key))
    elif isinstance(value, list):
        for index, item in enumerate(value):
            yield from _walk(item, (*path, index))


def schemas_at(document: dict[str, Any], schema: Any, path: Path) -> list[dict[str, Any]]:
    """The schemas that apply to the value at `path` of an instance of `schema` (with what they pull in place)."""
    current = _in_place(document, schema)
    for part in path:
        children: list[Any] = []
        for each in current:
            children.extend(_children(each, part))
        current = [found for child in children for found in _in_place(document, child)]
        if not current:
            break
    return current


def _children(schema: dict[str, Any], part: str | int) -> list[Any]:
    if isinstance(part, int):
        prefix = schema.get("prefixItems")
        if isinstance(prefix, list) and part < len(prefix):
            return [prefix[part]]
        return [schema["items"]] if isinstance(schema.get("items"), dict) else []
    properties = schema.get("properties")
    if isinstance(properties, dict) and part in properties:
        return [properties[part]]
    additional = schema.get("additionalProperties")
    return [additional] if isinstance(additional, dict) else []


def _in_place(document: dict[str, Any], schema: Any) -> list[dict[str, Any]]:
    found: list[dict[str, Any]] = []
    seen: set[int] = set()
    stack = [schema]
    while stack:
        each = stack.pop()
        if not isinstance(each, dict) or id(each) in seen:
            continue
        seen.add(id(each))
        found.append(each)
        if isinstance(each.get("$ref"), str):
            stack.append(lookup(document, each["$ref"]))
        for keyword in IN_PLACE_LISTS:
            stack.extend(each.get(keyword) or ())
    return found


def _shape(schemas: list[dict[str, Any]]) -> _Shape:
    types: set[str] = set()
    formats: set[str] = set()
    max_items: int | None = None
    min_items: int | None = None
    for schema in schemas:
        declared = schema.get("type")
        named = declared if isinstance(declared, list) else [declared] if isinstance(declared, str) else []
        types.update(named)
        if named and schema.get(NULLABLE) is True:
            types.add("null")
        if isinstance(schema.get("format"), str):
            formats.add(schema["format"])
        if isinstance(schema.get("maxItems"), int):
            max_items = schema["maxItems"] if max_items is None else min(max_items, schema["maxItems"])
        if isinstance(schema.get("minItems"), int):
            min_items = schema["minItems"] if min_items is None else max(min_items, schema["minItems"])
    return _Shape(types, formats, max_items, min_items, schemas)


def _problem(rule: Rule, value: Any, shape: _Shape, response: bool) -> _Problem | None:
    problems = [_matcher_problem(matcher, value, shape, response) for matcher in rule.matchers]
    # AND: any matcher the spec contradicts is a problem; OR: only when every alternative is contradicted.
    if rule.combine == "OR" and not all(problems):
        return None
    return next((problem for problem in problems if problem is not None), None)


def _matcher_problem(matcher: dict[str, Any], value: Any, shape: _Shape, response: bool) -> _Problem | None:
    kind = matcher_kind(matcher)
    types = shape.types
    wanted = either([f"`{name}`" for name in sorted(types)])
    if kind in _STRING_MATCHERS:
        if types and "string" not in types:
            return _Problem(f"has {article(kind)} `{kind}` matcher in the contract but is {wanted} in the spec", "type")
        compatible = _TEMPORAL_FORMATS.get(kind)
        known = shape.formats & _KNOWN_FORMATS
        if compatible is not None and known and not known & compatible:
            formats = either([f"`{name}`" for name in sorted(known)])
            return _Problem(
                f"has {article(kind)} `{kind}` matcher in the contract but format {formats} in the spec", "format"
            )
        return None
    expected = _NUMERIC_TYPES.get(kind) or ({kind} if kind in ("boolean", "null") else None)
    if expected is not None:
        if types and not types & expected:
            return _Problem(f"has {article(kind)} `{kind}` matcher in the contract but is {wanted} in the spec", "type")
        return None
    if kind == "type" and response and isinstance(value, list):
        least, most = matcher.get("min"), matcher.get("max")
        if isinstance(least, int) and shape.max_items is not None and least > shape.max_items:
            return _Problem(
                f"has a `type` matcher for at least {least} items in the contract but at most {shape.max_items} "
                "in the spec",
                "maxItems",
            )
        if isinstance(most, int) and shape.min_items is not None and most < shape.min_items:
            return _Problem(
                f"has a `type` matcher for at most {most} items in the contract but at least {shape.min_items} "
                "in the spec",
                "minItems",
            )
    return None
