"""Checking that a parsed document is an OpenAPI 3.0, 3.1 or Swagger 2.0 description, with openapi-spec-validator."""

from __future__ import annotations

import re
from collections.abc import Iterator, Mapping
from typing import Any, NoReturn

from jsonschema_path import SchemaPath
from openapi_spec_validator.validation.validators import SpecValidator
from referencing.exceptions import Unresolvable

from accord.errors import FieldError, InvalidInput
from accord.openapi import json_pointers
from accord.specs.meta_schema_validators import OpenAPIV30Validator, OpenAPIV31Validator, SwaggerV2Validator

# openapi-spec-validator also knows 3.2; Accord stores what its resolver and the Pact tooling understand.
_VERSIONS: tuple[tuple[str, re.Pattern[str], type[SpecValidator]], ...] = (
    ("openapi", re.compile(r"3\.0\.\d{1,4}(-[0-9A-Za-z.-]{1,8})?"), OpenAPIV30Validator),
    ("openapi", re.compile(r"3\.1\.\d{1,4}(-[0-9A-Za-z.-]{1,8})?"), OpenAPIV31Validator),
    ("swagger", re.compile(r"2\.0"), SwaggerV2Validator),
)
_MAX_MESSAGE = 500


def validate_openapi(document: dict[str, Any]) -> str:
    """The document's `openapi` (or `swagger`) version; InvalidInput naming the first problem if it isn't valid."""
    version, validator_class = _detect(document)
    schema_path = SchemaPath.from_dict(document, handlers=_NO_RETRIEVAL)
    try:
        error = next(iter(validator_class(schema_path).iter_errors()), None)
    except Unresolvable as exc:
        target = exc.ref or f"#{getattr(exc, 'anchor', '')}"
        _refuse(f"the reference {target if target.startswith('#') else '#' + target} points to nothing", "")
    except RecursionError:
        _refuse("its references go round in a circle (a $ref that leads back to itself)", "")
    finally:
        _forget_validated_documents()
    if error is not None:
        _refuse(_shorten(error.message), _pointer(error))
    return version


def _detect(document: Mapping[str, Any]) -> tuple[str, type[SpecValidator]]:
    for keyword, pattern, validator_class in _VERSIONS:
        value = document.get(keyword)
        if isinstance(value, str) and pattern.fullmatch(value):
            return value, validator_class
    keyword = "swagger" if "swagger" in document and "openapi" not in document else "openapi"
    found = document.get(keyword)
    what = f"{keyword} {_shorten(repr(found))}" if found is not None else "no `openapi` or `swagger` field"
    hint = " (quote it: YAML reads 3.0 as a number)" if isinstance(found, int | float) else ""
    detail = f"only OpenAPI 3.0, 3.1 and Swagger 2.0 documents are accepted, not {what}{hint}"
    raise InvalidInput(
        f"The document's version is not supported: {detail}.",
        errors=[FieldError(detail=detail, pointer=f"/{keyword}" if found is not None else "")],
    )


def _refuse(detail: str, pointer: str) -> NoReturn:
    raise InvalidInput(
        f"The document is not a valid OpenAPI description: {detail}.",
        errors=[FieldError(detail=detail, pointer=pointer)],
    )


def _pointer(error: Any) -> str:  # a jsonschema ValidationError
    return json_pointers.join("", *error.absolute_path)


def _shorten(message: str) -> str:
    # jsonschema quotes the offending value, which may be most of the document.
    return message if len(message) <= _MAX_MESSAGE else message[: _MAX_MESSAGE - 1] + "…"


def _forget_validated_documents() -> None:
    """openapi-spec-validator 0.9 memoises `iter_errors` per validator with an unbounded lru_cache, which would
    keep every validated document alive for the life of the process; drop those entries."""
    cache = getattr(SpecValidator.iter_errors, "__wrapped__", None)
    cache_clear = getattr(cache, "cache_clear", None)
    if callable(cache_clear):
        cache_clear()


class _NoRetrieval(Mapping[str, Any]):
    """Resolver handlers that refuse every URI scheme.

    jsonschema-path fetches any `$ref` it doesn't find in the document (http, https, file ... and urlopen for
    schemes without a handler). Uploaded documents are checked to hold only local references; this makes
    sure that nothing they contain reaches the network or the file system either.
    """

    def __getitem__(self, scheme: str) -> Any:
        return _refuse_retrieval

    def __contains__(self, scheme: object) -> bool:
        return True

    def __iter__(self) -> Iterator[str]:
        return iter(())

    def __len__(self) -> int:
        return 0


def _refuse_retrieval(uri: str) -> Any:
    raise Unresolvable(ref=uri)


_NO_RETRIEVAL = _NoRetrieval()
