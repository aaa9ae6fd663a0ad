"""jsonschema validators (Draft 2020-12) with Accord's keywords: the errors behind a failed check.

What changes from plain JSON Schema, by direction (fast_validator.py implements the same, for speed):

- both: `x-accord-nullable` (3.0 `nullable`) lets null through every keyword; a discriminator selects the
  alternative (or subtype) to check; a `pattern` Python can't compile constrains nothing.
- requests: read-only properties must not be sent and aren't required.
- responses: a consumer may rely on fewer fields than the provider returns, so `required`, `minProperties`
  and `dependentRequired` don't apply, and `oneOf` is checked as `anyOf` (a consumer that reads fewer fields
  can't always tell the alternatives apart); write-only properties must not be read; and in `x-accord-closed`
  schemas a field the spec doesn't promise is a mismatch. `minItems` does apply: an array is one value, and a
  contract whose array is shorter than the spec allows expects a response the provider never sends (a Pact
  `type` matcher, as `eachLike` writes, still relaxes it: its example is a template, not the array).
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from typing import Any

from jsonschema import Draft202012Validator, ValidationError, validators

from accord.compatibility.discriminators import Choice, Discriminators, UnknownValue
from accord.compatibility.fast_validator import Direction
from accord.compatibility.json_schema import CLOSED, NULLABLE, READ_ONLY, WRITE_ONLY
from accord.compatibility.json_values import safe_pattern
from accord.openapi.references import lookup

Keyword = Callable[[Any, Any, Any, dict[str, Any]], Iterator[Any] | None]
Evaluated = Callable[[Any, dict[str, Any]], set[str] | None]

_BASE: Any = Draft202012Validator
_MAX_HOPS = 8
_ORIGINAL: dict[str, Keyword] = dict(_BASE.VALIDATORS)


def build_validator_class(direction: Direction, discriminators: Discriminators, evaluated: Evaluated) -> Any:
    """A jsonschema validator class for one document and direction."""
    keywords: dict[str, Keyword] = dict(_ORIGINAL)
    keywords["pattern"] = _pattern
    keywords["additionalProperties"] = _additional_properties
    keywords["oneOf"] = _alternatives("oneOf", direction, discriminators)
    keywords["anyOf"] = _alternatives("anyOf", direction, discriminators)
    keywords["discriminator"] = _subtype(discriminators)
    if direction == "request":
        keywords["required"] = _required
        keywords[READ_ONLY] = _forbidden("read-only")
    else:
        for relaxed in ("required", "minProperties", "dependentRequired"):
            keywords[relaxed] = _ignore
        keywords[WRITE_ONLY] = _forbidden("write-only")
        keywords[CLOSED] = _closed(evaluated, discriminators)
    wrapped = {name: _nullable_aware(keyword) for name, keyword in keywords.items()}
    return validators.extend(_BASE, wrapped)  # type: ignore[no-untyped-call]  # jsonschema leaves it unannotated


def _nullable_aware(keyword: Keyword) -> Keyword:
    def apply(validator: Any, value: Any, instance: Any, schema: dict[str, Any]) -> Iterator[Any] | None:
        if instance is None and isinstance(schema, dict) and schema.get(NULLABLE) is True:
            return None
        return keyword(validator, value, instance, schema)

    return apply


def _ignore(validator: Any, value: Any, instance: Any, schema: dict[str, Any]) -> None:
    return None


def _pattern(validator: Any, pattern: Any, instance: Any, schema: dict[str, Any]) -> Iterator[Any]:
    compiled = safe_pattern(pattern)
    if compiled is not None and isinstance(instance, str) and compiled.search(instance) is None:
        yield ValidationError(f"{instance!r} does not match {pattern!r}")


def _additional_properties(validator: Any, allowed: Any, instance: Any, schema: dict[str, Any]) -> Iterator[Any]:
    """jsonschema's keyword, but `false` reports each extra field at its own path (not one error for all)."""
    if allowed is not False or not isinstance(instance, dict):
        yield from _ORIGINAL["additionalProperties"](validator, allowed, instance, schema) or ()
        return
    properties = schema.get("properties") or {}
    patterns = [found for found in map(safe_pattern, schema.get("patternProperties") or ()) if found is not None]
    for key, item in instance.items():
        if key not in properties and not any(pattern.search(key) for pattern in patterns):
            yield ValidationError(f"{key!r} is not allowed", path=[key], instance=item)


def _required(validator: Any, names: Any, instance: Any, schema: dict[str, Any]) -> Iterator[Any]:
    # Swagger 2.0 parameters, validated as schemas, carry a boolean `required`: not this keyword.
    if not isinstance(names, list) or not isinstance(instance, dict):
        return
    read_only = schema.get(READ_ONLY) or ()
    for name in names:
        if name not in instance and name not in read_only:
            # The path names the missing field, so the mismatch points where it should be.
            yield ValidationError(f"{name!r} is a required property", path=[name])


def _forbidden(access: str) -> Keyword:
    def forbidden(validator: Any, names: Any, instance: Any, schema: dict[str, Any]) -> Iterator[Any]:
        if not isinstance(instance, dict) or not isinstance(names, list):
            return
        for name in names:
            if name in instance:
                yield ValidationError(f"{name!r} is {access}", path=[name], instance=instance[name])

    return forbidden


def _closed(evaluated: Evaluated, discriminators: Discriminators) -> Keyword:
    def closed(validator: Any, value: Any, instance: Any, schema: dict[str, Any]) -> Iterator[Any]:
        if value is not True or not isinstance(instance, dict):
            return
        keys = evaluated(schema, instance)
        if keys is None:
            return
        declaring = _declaring(discriminators, schema, instance)
        for key, item in instance.items():
            if key not in keys:
                message = f"{key!r} is not a property the schema declares"
                yield ValidationError(message, path=[key], instance=item, schema=declaring)

    return closed


def _declaring(discriminators: Discriminators, schema: dict[str, Any], instance: dict[str, Any]) -> Any:
    """The schema whose properties an object's fields would be declared in: through `$ref`s, to the alternative
    or subtype its discriminator names (a field Freight lacks is missing from Freight, not from Shipment)."""
    for _ in range(_MAX_HOPS):
        ref = schema.get("$ref")
        if isinstance(ref, str) and "properties" not in schema:
            target = lookup(discriminators.document, ref)
        elif "oneOf" in schema or "anyOf" in schema:
            choice = discriminators.choose(schema, instance)
            target = choice.schema if isinstance(choice, Choice) else None
        else:
            target = discriminators.subtype(schema, instance) if "discriminator" in schema else None
        if not isinstance(target, dict):
            break
        schema = target
    return schema


def _alternatives(keyword: str, direction: Direction, discriminators: Discriminators) -> Keyword:
    exactly_one = keyword == "oneOf" and direction == "request"
    fallback = _ORIGINAL["oneOf"] if exactly_one else _ORIGINAL["anyOf"]

    def alternatives(validator: Any, branches: Any, instance: Any, schema: dict[str, Any]) -> Iterator[Any]:
        discriminated = "oneOf" if "oneOf" in schema else "anyOf"
        choice = discriminators.choose(schema, instance) if keyword == discriminated else None
        if isinstance(choice, UnknownValue):
            yield ValidationError(
                f"{choice.value!r} names none of {choice.known!r}",
                validator="discriminator",
                validator_value=choice.known,
                instance=choice.value,
                path=[choice.property_name],
            )
            return
        if isinstance(choice, Choice):
            yield from validator.descend(instance, choice.schema, schema_path=choice.position)
            return
        yield from fallback(validator, branches, instance, schema) or ()

    return alternatives


def _subtype(discriminators: Discriminators) -> Keyword:
    def subtype(validator: Any, value: Any, instance: Any, schema: dict[str, Any]) -> Iterator[Any]:
        if "oneOf" in schema or "anyOf" in schema:
            return
        target = discriminators.subtype(schema, instance)
        if target is None:
            return
        with discriminators.entering(target, instance) as fresh:
            # Collected inside the guard: iter_errors is lazy, and the guard must hold while it runs.
            errors = list(validator.descend(instance, target)) if fresh else []
        yield from errors

    return subtype
