"""OpenAPI discriminators: which schema an object's discriminating property names.

JSON Schema ignores `discriminator`; without it a `oneOf` failure says "matches none of the alternatives". With
it, the named alternative is the one to check, and its errors are the ones to report. Both forms are handled:
`oneOf`/`anyOf` with a discriminator, and a base schema with a discriminator that subtypes extend with `allOf`
(the base then checks the subtype the value names, which includes the base again: a guard stops that loop).
"""

from __future__ import annotations

import threading
from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any, NamedTuple

from accord.openapi.dialects import Dialect
from accord.openapi.references import lookup


class Choice(NamedTuple):
    """The schema a discriminator value selects: one of the alternatives (`position`) or another schema (None)."""

    property_name: str
    value: str
    position: int | None
    schema: Any


class UnknownValue(NamedTuple):
    """A discriminator value that names none of the alternatives."""

    property_name: str
    value: str
    known: list[str]


class Discriminators:
    """Discriminator lookups over one converted document."""

    def __init__(self, document: dict[str, Any], dialect: Dialect) -> None:
        self.document = document
        self.prefix = "#/definitions/" if dialect == "2.0" else "#/components/schemas/"
        self._active = threading.local()

    def choose(self, schema: dict[str, Any], instance: Any) -> Choice | UnknownValue | None:
        """For a schema with `oneOf`/`anyOf` and a discriminator: the alternative the instance's value names.

        None when the discriminator doesn't apply (no discriminator, or the instance carries no string value).
        """
        found = self._value(schema, instance)
        if found is None:
            return None
        property_name, value, mapping = found
        alternatives = schema.get("oneOf")
        if not isinstance(alternatives, list):
            alternatives = schema.get("anyOf")
        alternatives = alternatives if isinstance(alternatives, list) else []
        ref = self._ref(mapping.get(value)) or self.prefix + value
        for index, alternative in enumerate(alternatives):
            if isinstance(alternative, dict) and alternative.get("$ref") == ref:
                return Choice(property_name, value, index, alternative)
        if value in mapping and (target := lookup(self.document, ref)) is not None:
            return Choice(property_name, value, None, target)
        known = list(mapping)
        for alternative in alternatives:
            alt_ref = alternative.get("$ref") if isinstance(alternative, dict) else None
            if isinstance(alt_ref, str) and alt_ref.startswith(self.prefix):
                name = alt_ref[len(self.prefix) :]
                if name not in known and alt_ref not in (self._ref(target) for target in mapping.values()):
                    known.append(name)
        return UnknownValue(property_name, value, known)

    def subtype(self, schema: dict[str, Any], instance: Any) -> Any:
        """For a base schema with a discriminator and no alternatives: the subtype schema the value names, if the
        document has it and it isn't the base itself."""
        found = self._value(schema, instance)
        if found is None:
            return None
        _, value, mapping = found
        target = lookup(self.document, self._ref(mapping.get(value)) or self.prefix + value)
        return target if isinstance(target, dict) and target is not schema else None

    @contextmanager
    def entering(self, schema: Any, instance: Any) -> Iterator[bool]:
        """True the first time a subtype is entered for an instance; False when already inside it (the subtype's
        `allOf` leads back to the base, whose discriminator would select the subtype again)."""
        active: set[tuple[int, int]] = self._active.__dict__.setdefault("keys", set())
        key = (id(schema), id(instance))
        if key in active:
            yield False
            return
        active.add(key)
        try:
            yield True
        finally:
            active.discard(key)

    def _value(self, schema: dict[str, Any], instance: Any) -> tuple[str, str, dict[str, Any]] | None:
        discriminator = schema.get("discriminator")
        if not isinstance(discriminator, dict) or not isinstance(instance, dict):
            return None
        property_name = discriminator.get("propertyName")
        value = instance.get(property_name) if isinstance(property_name, str) else None
        if not isinstance(property_name, str) or not isinstance(value, str):
            return None
        mapping = discriminator.get("mapping")
        return property_name, value, mapping if isinstance(mapping, dict) else {}

    def _ref(self, target: Any) -> str | None:
        """A mapping value as a reference: `#/...` as is, a bare schema name under the document's schemas."""
        if not isinstance(target, str) or not target:
            return None
        return target if target.startswith("#") else self.prefix + target
