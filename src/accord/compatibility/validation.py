"""Validating a value against a schema of a compiled spec: the fast yes/no first, jsonschema for the reasons."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any
from urllib.parse import quote

from jsonschema import ValidationError
from referencing import Registry

from accord.compatibility.discriminators import Discriminators
from accord.compatibility.fast_validator import Direction, FastValidator
from accord.compatibility.formats import FORMAT_CHECKER
from accord.compatibility.json_values import Check
from accord.compatibility.keywords import build_validator_class

SPEC_URI = "urn:accord:spec"


class SchemaEngine:
    """The validators of one converted document in one direction, each built on first use and kept."""

    def __init__(
        self,
        document: dict[str, Any],
        registry: Registry[Any],
        discriminators: Discriminators,
        direction: Direction,
        pointer_of: Callable[[Any], str | None],
    ) -> None:
        self._registry = registry
        self._pointer_of = pointer_of
        self.fast = FastValidator(document, direction, discriminators, FORMAT_CHECKER, self._fallback)
        self._class = build_validator_class(direction, discriminators, self.fast.evaluated)
        self._validators: dict[int, Any] = {}

    def is_valid(self, schema: Any, instance: Any) -> bool:
        return schema is None or self.fast.check(schema)(instance)

    def errors(self, schema: Any, instance: Any) -> list[Any]:
        """jsonschema's errors (ValidationError) for a value the fast check refused."""
        if schema is None or schema is True:
            return []
        if schema is False:
            return [ValidationError("nothing is allowed here", validator="false", instance=instance, schema=False)]
        return list(self._validator(schema).iter_errors(instance))

    def _validator(self, schema: Any) -> Any:
        key = id(schema)
        found = self._validators.get(key)
        if found is None:
            pointer = self._pointer_of(schema)
            # Validating `{$ref: <the schema's place in the document>}` keeps the document as the base of its
            # references (`#/components/...`), and the schema objects errors name are the document's own.
            root = {"$ref": f"{SPEC_URI}#{quote(pointer, safe='/~')}"} if pointer is not None else schema
            found = self._class(root, registry=self._registry, format_checker=FORMAT_CHECKER)
            self._validators[key] = found
        return found

    def _fallback(self, schema: dict[str, Any]) -> Check:
        validator = self._validator(schema)
        return lambda instance: bool(validator.is_valid(instance))
