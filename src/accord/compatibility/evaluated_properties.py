"""Which fields of an object a schema declares: JSON Schema's "evaluated properties", OpenAPI-aware.

A response may only hold fields the spec promises (`x-accord-closed`, see json_schema.py). The fields a schema
promises are those its `properties` name, through `$ref`s, `allOf`, the alternatives the object is valid
against (or the one its discriminator names) and a discriminated subtype; `additionalProperties` promises any.
Most schemas say it with `properties`, `$ref` and `allOf` alone: their fields are worked out once.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any, Literal

from accord.compatibility.discriminators import Choice, Discriminators, UnknownValue
from accord.compatibility.json_values import Check, always, safe_pattern
from accord.openapi.references import lookup

MAX_DEPTH = 64


class EvaluatedProperties:
    """The declared fields of the schemas of one converted document."""

    def __init__(self, document: dict[str, Any], discriminators: Discriminators, check: Callable[[Any], Check]) -> None:
        self.document = document
        self.discriminators = discriminators
        self._check = check  # the compiled check of a schema: which alternatives an object is valid against

    def closed_check(self, schema: dict[str, Any]) -> Check:
        """True when an object holds no field the schema doesn't declare."""
        static = self.static_keys(schema, set())
        if static == "all":
            return always
        if isinstance(static, frozenset):
            return static.issuperset
        keys = self.keys

        def check(value: Any) -> bool:
            found = keys(schema, value)
            return found is None or found.issuperset(value)

        return check

    def keys(self, schema: Any, instance: dict[str, Any], depth: int = 0) -> set[str] | None:
        """The instance's keys the schema evaluates (JSON Schema's "evaluated properties"), None for all of them.

        Follows `$ref`s, `allOf`, the alternatives the instance is valid against (or the one its discriminator
        names), and a base schema's discriminated subtype.
        """
        if not isinstance(schema, dict) or depth > MAX_DEPTH:
            return set() if depth <= MAX_DEPTH else None
        if "additionalProperties" in schema or "unevaluatedProperties" in schema:
            return None
        keys: set[str] = set()
        members: list[Any] = list(schema.get("allOf") or ())
        ref = schema.get("$ref")
        if isinstance(ref, str):
            members.append(lookup(self.document, ref))
        properties = schema.get("properties")
        if isinstance(properties, dict):
            keys.update(key for key in instance if key in properties)
        patterns = schema.get("patternProperties")
        if isinstance(patterns, dict):
            compiled = [found for found in map(safe_pattern, patterns) if found is not None]
            keys.update(key for key in instance if any(pattern.search(key) for pattern in compiled))
        alternatives = [*(schema.get("oneOf") or ()), *(schema.get("anyOf") or ())]
        if alternatives:
            choice = self.discriminators.choose(schema, instance)
            if isinstance(choice, Choice):
                members.append(choice.schema)
            elif isinstance(choice, UnknownValue):
                return None  # the unknown value is the mismatch; the fields it would have selected aren't
            else:
                # With no valid alternative, that is the mismatch: a field any of them declares isn't another.
                valid = [each for each in alternatives if self._check(each)(instance)]
                members.extend(valid or alternatives)
        elif "discriminator" in schema and (subtype := self.discriminators.subtype(schema, instance)) is not None:
            with self.discriminators.entering(subtype, instance) as fresh:
                if fresh:
                    found_keys = self.keys(subtype, instance, depth + 1)
                    if found_keys is None:
                        return None
                    keys |= found_keys
        if "if" in schema:
            if self._check(schema["if"])(instance):
                members.extend((schema["if"], schema.get("then")))
            else:
                members.append(schema.get("else"))
        dependent = schema.get("dependentSchemas")
        if isinstance(dependent, dict):
            members.extend(sub for name, sub in dependent.items() if name in instance)
        for member in members:
            found_keys = self.keys(member, instance, depth + 1)
            if found_keys is None:
                return None
            keys |= found_keys
        return keys

    def static_keys(self, schema: Any, seen: set[int]) -> frozenset[str] | Literal["all", "dynamic"]:
        """The keys a schema evaluates whatever the instance, when only `properties`, `$ref` and `allOf` say."""
        if not isinstance(schema, dict):
            return frozenset()
        if id(schema) in seen:
            return "dynamic"
        seen.add(id(schema))
        if "additionalProperties" in schema or "unevaluatedProperties" in schema:
            return "all"
        dynamic = ("patternProperties", "oneOf", "anyOf", "discriminator", "if", "dependentSchemas")
        if any(keyword in schema for keyword in dynamic):
            return "dynamic"
        properties = schema.get("properties")
        keys = set(properties) if isinstance(properties, dict) else set()
        members = list(schema.get("allOf") or ())
        if isinstance(schema.get("$ref"), str):
            members.append(lookup(self.document, schema["$ref"]))
        for member in members:
            found = self.static_keys(member, seen)
            if not isinstance(found, frozenset):
                return found
            keys |= found
        return frozenset(keys)
