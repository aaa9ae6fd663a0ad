"""jsonschema's errors as Accord's mismatches: plain sentences, a pointer into the contract and one into the spec.

Every sentence reads "<what> is <this> in the contract but <that> in the spec", so a reader comparing two
documents knows which side says what. For `anyOf`/`oneOf` only the errors of the closest alternative are
reported (the one whose failures are fewest and not about the instance's type), not "matches none".
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from typing import Any, NamedTuple, Protocol

import msgspec

from accord.compatibility.field_paths import field_path
from accord.compatibility.json_schema import NULLABLE
from accord.compatibility.schemas import Mismatch, Side
from accord.openapi import json_pointers

Path = tuple[str | int, ...]
MAX_MISMATCHES = 50
_MAX_VALUE = 60
_ROOT_KINDS = frozenset({"type", "const", "enum", "discriminator"})


class SpecPointers(Protocol):
    def pointer_of(self, schema: Any) -> str:
        """Where a schema object of the converted document sits in the spec."""

    def declaring_pointer_of(self, schema: Any) -> str:
        """Where the properties of a schema are declared: `{$ref: X}` is declared at X."""


class Location(NamedTuple):
    """Where a validated value sits in an interaction, and how a sentence names it and its parts."""

    where: Side
    pointer: str  # e.g. /response/body, /request/query/limit
    label: str  # e.g. "response body", "query parameter"
    name: str | None = None  # a parameter's name: "query parameter `ids[1]`"; a body's parts are its fields
    quote_values: bool = False  # parameters are text: "is \"ten\"" says more than "is a string"
    path_in_pointer: bool = True  # False when the parts have no place of their own (`?ids=1,2`)


class Finding(NamedTuple):
    """A leaf error with the path of the value it is about, relative to the validated value."""

    path: Path
    error: Any  # a jsonschema ValidationError


def leaf_findings(errors: Iterable[Any], keep: Callable[[Path, Any], bool] | None = None) -> list[Finding]:
    """The errors worth reporting: alternatives replaced by their closest branch, `keep` applied to leaves.

    An alternative whose every error `keep` drops counts as satisfied, and then so does the `anyOf`/`oneOf`.
    """
    findings: list[Finding] = []
    for error in errors:
        findings.extend(_leaves(error, keep))
    return findings


def _leaves(error: Any, keep: Callable[[Path, Any], bool] | None) -> list[Finding]:
    if error.validator in ("anyOf", "oneOf") and error.context:
        branches: dict[Any, list[Finding]] = {}
        for sub in error.context:
            branch = sub.relative_schema_path[0] if sub.relative_schema_path else None
            branches.setdefault(branch, []).extend(_leaves(sub, keep))
        if any(not found for found in branches.values()):
            return []
        depth = len(error.absolute_path)
        return min(branches.values(), key=lambda found: _rank(found, depth))
    path = tuple(error.absolute_path)
    if keep is not None and not keep(path, error):
        return []
    return [Finding(path, error)]


def _rank(findings: list[Finding], depth: int) -> tuple[int, int]:
    # An alternative that fails on the value itself (wrong type, other const) is probably not the one meant.
    at_root = sum(1 for found in findings if len(found.path) == depth and found.error.validator in _ROOT_KINDS)
    return at_root, len(findings)


def to_mismatches(
    findings: Iterable[Finding],
    location: Location,
    interaction: str,
    spec: SpecPointers,
    matcher_of: Callable[[Path], str | None] | None = None,
) -> list[Mismatch]:
    mismatches: list[Mismatch] = []
    seen: set[tuple[str, str]] = set()
    for path, error in findings:
        pointer = json_pointers.join(location.pointer, *path) if location.path_in_pointer else location.pointer
        matcher = matcher_of(path) if matcher_of is not None else None
        message = f"{subject(location, path)} {predicate(error, matcher, quote_values=location.quote_values)}"
        if (pointer, message) in seen:
            continue
        seen.add((pointer, message))
        spec_pointer = _spec_pointer(error, spec)
        mismatches.append(
            Mismatch(
                interaction=interaction,
                where=location.where,
                pointer=pointer,
                spec_pointer=spec_pointer,
                message=message,
            )
        )
        if len(mismatches) >= MAX_MISMATCHES:
            break
    return mismatches


def subject(location: Location, path: Path) -> str:
    if location.name is not None:
        parts = "".join(f"[{part}]" if isinstance(part, int) else f".{part}" for part in path)
        return f"{location.label} `{location.name}{parts}`"
    if not path:
        return location.label
    return f"{location.label} field `{field_path(path)}`"


def predicate(error: Any, matcher: str | None = None, *, quote_values: bool = False) -> str:
    """What the contract has and the spec wants, for one error."""
    keyword, expected, value = error.validator, error.validator_value, error.instance
    schema = error.schema if isinstance(error.schema, dict) else {}
    if keyword == "type":
        types = expected if isinstance(expected, list) else [expected]
        if schema.get(NULLABLE) is True and "null" not in types:
            types = [*types, "null"]
        wanted = either(f"`{name}`" for name in types)
        if matcher is not None:
            return f"has {article(matcher)} `{matcher}` matcher in the contract but is {wanted} in the spec"
        shown = render(value) if quote_values else kind_of(value)
        return f"is {shown} in the contract but {wanted} in the spec"
    if keyword == "enum" and schema.get(NULLABLE) is True and isinstance(expected, list) and None not in expected:
        expected = [*expected, None]
    simple = _value_predicate(keyword, expected, value)
    if simple is not None:
        return simple
    if keyword == "required":
        return "is missing in the contract but required in the spec"
    if keyword in ("x-accord-closed", "additionalProperties", "false", None):
        return "is in the contract but not in the spec"
    if keyword == "x-accord-readOnly":
        return "is sent in the contract but read-only in the spec"
    if keyword == "x-accord-writeOnly":
        return "is read in the contract but write-only in the spec"
    if keyword == "oneOf":
        return "matches more than one of the spec's `oneOf` alternatives in the contract but exactly one in the spec"
    if keyword == "not":
        return f"is {render(value)} in the contract but the spec excludes it (`not`)"
    if keyword == "uniqueItems":
        return "has duplicate items in the contract but unique items in the spec"
    if keyword == "contains" and isinstance(value, list):
        return f"has no item matching the spec's `contains` in the contract ({render(error.validator_value)})"
    if keyword == "dependentRequired" and isinstance(value, dict) and isinstance(expected, dict):
        pairs = [
            f"`{name}` without `{needed}`"
            for name, dependencies in expected.items()
            if name in value and isinstance(dependencies, list)
            for needed in dependencies
            if needed not in value
        ]
        if pairs:
            return f"has {either(pairs)} in the contract but the spec requires them together (`dependentRequired`)"
    return f"doesn't satisfy the spec's `{keyword}` in the contract: {_shorten(error.message)}"


def _value_predicate(keyword: str, expected: Any, value: Any) -> str | None:
    bounds = {
        "minimum": "at least",
        "maximum": "at most",
        "exclusiveMinimum": "greater than",
        "exclusiveMaximum": "less than",
        "multipleOf": "a multiple of",
    }
    if keyword in bounds:
        return f"is {render(value)} in the contract but {bounds[keyword]} {render(expected)} in the spec"
    if keyword in ("enum", "discriminator"):
        allowed = expected if isinstance(expected, list) else []
        return f"is {render(value)} in the contract but {either(render(each) for each in allowed)} in the spec"
    if keyword == "const":
        return f"is {render(value)} in the contract but {render(expected)} in the spec"
    if keyword == "format":
        return f"is {render(value)} in the contract but format `{expected}` in the spec"
    if keyword == "pattern":
        return f"is {render(value)} in the contract but a string matching `{expected}` in the spec"
    lengths = {"minLength": "at least", "maxLength": "at most"}
    if keyword in lengths and isinstance(value, str):
        long = _count(len(value), "character")
        return f"is {long} long in the contract but {lengths[keyword]} {expected} in the spec"
    counts = {"minItems": "at least", "maxItems": "at most", "minProperties": "at least", "maxProperties": "at most"}
    if keyword in counts and isinstance(value, list | dict):
        unit = "item" if isinstance(value, list) else "field"
        return f"has {_count(len(value), unit)} in the contract but {counts[keyword]} {expected} in the spec"
    return None


def _count(number: int, unit: str) -> str:
    return f"{number} {unit}" if number == 1 else f"{number} {unit}s"


def _spec_pointer(error: Any, spec: SpecPointers) -> str:
    schema = error.schema
    if error.validator == "x-accord-closed":
        return spec.declaring_pointer_of(schema)
    base = spec.pointer_of(schema)
    name = error.path[-1] if error.path else None
    if error.validator in ("required", "x-accord-readOnly", "x-accord-writeOnly") and isinstance(schema, dict):
        properties = schema.get("properties")
        if isinstance(properties, dict) and name in properties:
            return json_pointers.join(base, "properties", str(name))
        return json_pointers.join(base, "required") if error.validator == "required" else base
    if error.validator == "discriminator":
        return json_pointers.join(base, "discriminator")
    return base


def kind_of(value: Any) -> str:
    if value is None:
        return "null"
    if isinstance(value, bool):
        return "a boolean"
    if isinstance(value, int):
        return "an integer"
    if isinstance(value, float):
        return "a number"
    if isinstance(value, str):
        return "a string"
    if isinstance(value, list):
        return "an array"
    return "an object" if isinstance(value, dict) else "a value"


def render(value: Any) -> str:
    """A value as JSON, shortened: messages quote values, never whole bodies."""
    try:
        text = msgspec.json.encode(value).decode()
    except (TypeError, msgspec.EncodeError):
        text = repr(value)
    return _shorten(text, _MAX_VALUE)


def _shorten(text: str, limit: int = 200) -> str:
    return text if len(text) <= limit else text[: limit - 1] + "…"


def either(items: Iterable[str]) -> str:
    listed = list(items)
    if len(listed) <= 1:
        return listed[0] if listed else "nothing"
    return ", ".join(listed[:-1]) + " or " + listed[-1]


def article(word: str) -> str:
    return "an" if word[:1].lower() in "aeiou" else "a"
