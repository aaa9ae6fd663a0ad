"""A fast yes/no validator for the JSON Schema keywords specs use, with Accord's keywords' semantics.

jsonschema builds a validator object for every subschema it descends into (~15 µs each), so a realistic
response body costs about a millisecond; checking a 200-interaction contract that way takes too long. Most
bodies conform, so each schema is compiled once into closures that only answer "valid?", and jsonschema
(keywords.py) runs only for the bodies that aren't, to say why. Keywords this module doesn't implement make
their schema fall back to jsonschema's answer, so both always agree (the property tests compare them).
"""

from __future__ import annotations

import re
import threading
from collections.abc import Callable
from typing import Any, Literal

from accord.compatibility.discriminators import Choice, Discriminators, UnknownValue
from accord.compatibility.evaluated_properties import EvaluatedProperties
from accord.compatibility.json_schema import CLOSED, NULLABLE, READ_ONLY, WRITE_ONLY
from accord.compatibility.json_values import (
    JSON_CLASSES,
    TYPE_TESTS,
    Check,
    always,
    by_isinstance,
    combine,
    json_equal,
    multiple_of,
    never,
    safe_pattern,
    type_predicate,
)
from accord.openapi.references import lookup

Direction = Literal["request", "response"]

# Keywords that make a schema fall back to jsonschema: rare in API specs, or dependent on more than this
# module models (`$id` moves the base of references, `$dynamicRef` follows the dynamic scope).
FALLBACK_KEYWORDS = frozenset(
    {
        "if",
        "then",
        "else",
        "dependentSchemas",
        "dependentRequired",
        "propertyNames",
        "contains",
        "minContains",
        "maxContains",
        "unevaluatedItems",
        "unevaluatedProperties",
        "uniqueItems",
        "$id",
        "$dynamicRef",
        "$recursiveRef",
    }
)


class FastValidator:
    """Compiled checks for the schemas of one converted document, in one direction."""

    def __init__(
        self,
        document: dict[str, Any],
        direction: Direction,
        discriminators: Discriminators,
        format_checker: Any,
        fallback: Callable[[dict[str, Any]], Check],
    ) -> None:
        self.document = document
        self.direction = direction
        self.discriminators = discriminators
        self.format_checker = format_checker
        self._fallback = fallback
        self._evaluated = EvaluatedProperties(document, discriminators, self.check)
        self._compiled: dict[int, Check] = {}
        self._staged: dict[int, Check] = {}
        self._depth = 0
        self._lock = threading.RLock()

    @property
    def compiled_schemas(self) -> int:
        return len(self._compiled)

    def check(self, schema: Any) -> Check:
        """The compiled check of a schema of the document (compiled on first use; recursion-safe, thread-safe)."""
        key = id(schema)
        found = self._compiled.get(key)
        if found is not None:
            return found
        with self._lock:
            found = self._compiled.get(key) or self._staged.get(key)
            if found is not None:
                return found
            self._depth += 1
            try:
                cell: list[Check] = []
                # Recursive schemas reach themselves while compiling: they get a forwarder to the check to be.
                self._staged[key] = lambda value: cell[0](value)
                compiled = self._compile(schema)
                cell.append(compiled)
                self._staged[key] = compiled
            finally:
                self._depth -= 1
                if self._depth == 0:
                    # Published together: a check may call a forwarder that only the outermost compile fills.
                    self._compiled.update(self._staged)
                    self._staged.clear()
            return compiled

    def evaluated(self, schema: Any, instance: dict[str, Any]) -> set[str] | None:
        """The instance's keys the schema evaluates, None for all of them (see evaluated_properties.py)."""
        return self._evaluated.keys(schema, instance)

    def _compile(self, schema: Any) -> Check:
        if schema is True or not isinstance(schema, dict):
            return never if schema is False else always
        if not FALLBACK_KEYWORDS.isdisjoint(schema):
            return self._fallback(schema)
        types = schema.get("type")
        type_names = types if isinstance(types, list) else [types] if types is not None else []
        if any(name not in TYPE_TESTS for name in type_names):
            return self._fallback(schema)
        type_ok = type_predicate(type_names)
        nullable = schema.get(NULLABLE) is True
        general = combine(self._general_checks(schema))
        numbers = combine(self._number_checks(schema))
        by_class: dict[type, Check] = {}
        for classes, checks in (
            ((dict,), self._object_checks(schema)),
            ((list,), self._array_checks(schema)),
            ((str,), self._string_checks(schema)),
        ):
            combined = combine(checks)
            if combined is not None:
                by_class.update(dict.fromkeys(classes, combined))
        if numbers is not None:
            by_class.update({int: numbers, float: numbers})

        def check(value: Any) -> bool:
            if value is None and nullable:
                return True
            if type_ok is not None and not type_ok(value):
                return False
            if general is not None and not general(value):
                return False
            specific = by_class.get(value.__class__)
            if specific is not None:
                return specific(value)
            if value.__class__ in JSON_CLASSES:
                return True
            return by_isinstance(by_class, value)  # a dict or list subclass, say

        return check

    def _general_checks(self, schema: dict[str, Any]) -> list[Check]:
        checks: list[Check] = []
        if "enum" in schema:
            allowed = schema["enum"] if isinstance(schema["enum"], list) else []
            checks.append(lambda value: any(json_equal(value, each) for each in allowed))
        if "const" in schema:
            constant = schema["const"]
            checks.append(lambda value: json_equal(value, constant))
        fmt = schema.get("format")
        if isinstance(fmt, str) and fmt in self.format_checker.checkers:
            conforms = self.format_checker.conforms
            checks.append(lambda value: bool(conforms(value, fmt)))
        ref = schema.get("$ref")
        if isinstance(ref, str):
            target = lookup(self.document, ref)
            if target is None:
                return [self._fallback(schema)]  # jsonschema says what's wrong with the reference
            checks.append(self.check(target))
        members = schema.get("allOf")
        if isinstance(members, list):
            checks.extend(self.check(member) for member in members)
        if "not" in schema:
            excluded = self.check(schema["not"])
            checks.append(lambda value: not excluded(value))
        checks.extend(self._alternatives(schema))
        if "discriminator" in schema and "oneOf" not in schema and "anyOf" not in schema:
            checks.append(self._subtype_check(schema))
        return checks

    def _alternatives(self, schema: dict[str, Any]) -> list[Check]:
        checks: list[Check] = []
        discriminated = "oneOf" if "oneOf" in schema else "anyOf"
        for keyword in ("oneOf", "anyOf"):
            alternatives = schema.get(keyword)
            if not isinstance(alternatives, list):
                continue
            compiled = [self.check(alternative) for alternative in alternatives]
            exactly_one = keyword == "oneOf" and self.direction == "request"
            selects = keyword == discriminated and "discriminator" in schema
            checks.append(self._alternatives_check(schema, compiled, exactly_one=exactly_one, selects=selects))
        return checks

    def _alternatives_check(
        self, schema: dict[str, Any], compiled: list[Check], *, exactly_one: bool, selects: bool
    ) -> Check:
        choose = self.discriminators.choose

        def check(value: Any) -> bool:
            if selects:
                choice = choose(schema, value)
                if isinstance(choice, UnknownValue):
                    return False
                if isinstance(choice, Choice):
                    chosen = compiled[choice.position] if choice.position is not None else self.check(choice.schema)
                    return chosen(value)
            if not exactly_one:
                return any(each(value) for each in compiled)
            return sum(1 for each in compiled if each(value)) == 1

        return check

    def _subtype_check(self, schema: dict[str, Any]) -> Check:
        discriminators = self.discriminators

        def check(value: Any) -> bool:
            subtype = discriminators.subtype(schema, value)
            if subtype is None:
                return True
            with discriminators.entering(subtype, value) as fresh:
                return not fresh or self.check(subtype)(value)

        return check

    def _object_checks(self, schema: dict[str, Any]) -> list[Check]:
        checks: list[Check] = []
        request = self.direction == "request"
        properties = schema.get("properties")
        properties = properties if isinstance(properties, dict) else {}
        if properties:
            by_name = {name: self.check(sub) for name, sub in properties.items()}

            def check_properties(value: dict[str, Any]) -> bool:
                for key, item in value.items():
                    each = by_name.get(key)
                    if each is not None and not each(item):
                        return False
                return True

            checks.append(check_properties)
        required = schema.get("required")
        if request and isinstance(required, list):
            read_only = schema.get(READ_ONLY) or ()
            names = [name for name in required if name not in read_only]
            if names:
                checks.append(lambda value: all(name in value for name in names))
        forbidden = schema.get(READ_ONLY if request else WRITE_ONLY)
        if isinstance(forbidden, list) and forbidden:
            checks.append(lambda value: not any(name in value for name in forbidden))
        patterns = schema.get("patternProperties")
        compiled_patterns: list[tuple[re.Pattern[str], Check]] = []
        if isinstance(patterns, dict):
            for pattern, sub in patterns.items():
                compiled = safe_pattern(pattern)
                if compiled is not None:
                    compiled_patterns.append((compiled, self.check(sub)))
            checks.append(
                lambda value: all(
                    each(item)
                    for key, item in value.items()
                    for pattern, each in compiled_patterns
                    if pattern.search(key)
                )
            )
        if "additionalProperties" in schema:
            extra = self.check(schema["additionalProperties"])
            checks.append(
                lambda value: all(
                    extra(item)
                    for key, item in value.items()
                    if key not in properties and not any(pattern.search(key) for pattern, _ in compiled_patterns)
                )
            )
        if request and isinstance(schema.get("minProperties"), int):
            least = schema["minProperties"]
            checks.append(lambda value: len(value) >= least)
        if isinstance(schema.get("maxProperties"), int):
            most = schema["maxProperties"]
            checks.append(lambda value: len(value) <= most)
        if not request and schema.get(CLOSED) is True:
            checks.append(self._evaluated.closed_check(schema))
        return checks

    def _array_checks(self, schema: dict[str, Any]) -> list[Check]:
        checks: list[Check] = []
        prefix = schema.get("prefixItems")
        prefix_checks = [self.check(sub) for sub in prefix] if isinstance(prefix, list) else []
        if prefix_checks:
            checks.append(lambda value: all(each(item) for each, item in zip(prefix_checks, value, strict=False)))
        if "items" in schema:
            item_check = self.check(schema["items"])
            start = len(prefix_checks)

            def check_items(value: list[Any]) -> bool:
                for item in value[start:] if start else value:  # noqa: SIM110 - as in combine()
                    if not item_check(item):
                        return False
                return True

            checks.append(check_items)
        if isinstance(schema.get("minItems"), int):
            least = schema["minItems"]
            checks.append(lambda value: len(value) >= least)
        if isinstance(schema.get("maxItems"), int):
            most = schema["maxItems"]
            checks.append(lambda value: len(value) <= most)
        return checks

    def _string_checks(self, schema: dict[str, Any]) -> list[Check]:
        checks: list[Check] = []
        if isinstance(schema.get("minLength"), int):
            least = schema["minLength"]
            checks.append(lambda value: len(value) >= least)
        if isinstance(schema.get("maxLength"), int):
            most = schema["maxLength"]
            checks.append(lambda value: len(value) <= most)
        pattern = safe_pattern(schema.get("pattern"))
        if pattern is not None:
            search = pattern.search
            checks.append(lambda value: search(value) is not None)
        return checks

    def _number_checks(self, schema: dict[str, Any]) -> list[Check]:
        checks: list[Check] = []
        if "minimum" in schema:
            low = schema["minimum"]
            checks.append(lambda value: not value < low)
        if "maximum" in schema:
            high = schema["maximum"]
            checks.append(lambda value: not value > high)
        if "exclusiveMinimum" in schema:
            exclusive_low = schema["exclusiveMinimum"]
            checks.append(lambda value: not value <= exclusive_low)
        if "exclusiveMaximum" in schema:
            exclusive_high = schema["exclusiveMaximum"]
            checks.append(lambda value: not value >= exclusive_high)
        if "multipleOf" in schema:
            divisor = schema["multipleOf"]
            checks.append(lambda value: multiple_of(value, divisor))
        return checks
