"""openapi-spec-validator's document classes, pinned to the Python `jsonschema` backend for the meta-schema check.

openapi-spec-validator switches that check to jsonschema-rs whenever jsonschema-rs happens to be installed (a
test tool, schemathesis, brings it in), and jsonschema-rs words its messages differently ("version" instead of
'version'). What a client is told about its upload must not depend on what else is installed next to Accord.
"""

from __future__ import annotations

import functools
from collections.abc import Iterator, Mapping
from typing import Any, cast

from jsonschema.exceptions import ValidationError
from jsonschema.validators import validator_for
from openapi_spec_validator import OpenAPIV2SpecValidator, OpenAPIV30SpecValidator, OpenAPIV31SpecValidator
from openapi_spec_validator.schemas import schema_v2, schema_v30, schema_v31


class _PythonMetaSchemaValidator:
    """Stands where openapi-spec-validator keeps its backend-chosen validator; built on first use."""

    def __init__(self, meta_schema: Mapping[str, Any]) -> None:
        self._meta_schema = meta_schema

    @functools.cached_property
    def _validator(self) -> Any:
        return validator_for(self._meta_schema)(self._meta_schema)

    def iter_errors(self, instance: Any) -> Iterator[ValidationError]:
        return cast(Iterator[ValidationError], self._validator.iter_errors(instance))


class SwaggerV2Validator(OpenAPIV2SpecValidator):
    schema_validator = cast(Any, _PythonMetaSchemaValidator(schema_v2))


class OpenAPIV30Validator(OpenAPIV30SpecValidator):
    schema_validator = cast(Any, _PythonMetaSchemaValidator(schema_v30))


class OpenAPIV31Validator(OpenAPIV31SpecValidator):
    schema_validator = cast(Any, _PythonMetaSchemaValidator(schema_v31))
