"""What the spec says an operation returns: the response the mock picks, and its example or generated body."""

from __future__ import annotations

from typing import Any

import msgspec

from accord.compatibility.spec_model import CompiledSpec
from accord.mock.generation import SchemaGenerator
from accord.mock.schemas import MockAnswer, NothingToAnswer
from accord.openapi import json_pointers
from accord.openapi.operation_model import MediaSchema, Operation, Response


def chosen_response(operation: Operation) -> tuple[int, Response] | None:
    """The success a client expects: the lowest documented 2xx, else `2XX`, else `default`, else the lowest."""
    responses = operation.responses
    codes = sorted(int(key) for key in responses if key.isdigit())
    for code in codes:
        if 200 <= code < 300:
            return code, responses[str(code)]
    for key in ("2XX", "default"):
        if key in responses:
            return 200, responses[key]
    return (codes[0], responses[str(codes[0])]) if codes else None


def _preferred_media(media: dict[str, MediaSchema]) -> MediaSchema | None:
    for key, each in media.items():
        if key == "application/json" or key.endswith("+json"):
            return each
    return next(iter(media.values()), None)


def _example(spec: CompiledSpec, response: Response, media: MediaSchema) -> tuple[bool, Any]:
    """(found, value) of the spec's example for a response's media type: the media type's `example` or first
    of `examples`, Swagger 2's `examples[mime]`, else the schema's own `example` / `examples`."""
    holder = (
        json_pointers.resolve(spec.converted, media.schema_pointer.rsplit("/", 1)[0]) if media.schema_pointer else None
    )
    if isinstance(holder, dict):
        if "example" in holder:
            return True, holder["example"]
        examples = holder.get("examples")
        if isinstance(examples, dict) and examples:
            first = next(iter(examples.values()))
            if spec.dialect == "2.0" and media.media_type in examples:
                return True, examples[media.media_type]
            first, _ = spec.resolve(first)  # an Example object, maybe a $ref to components/examples
            if isinstance(first, dict) and "value" in first:
                return True, first["value"]
    schema = media.schema
    if isinstance(schema, dict):
        if "example" in schema:
            return True, schema["example"]
        if isinstance(schema.get("examples"), list) and schema["examples"]:
            return True, schema["examples"][0]
    return False, None


def _encoded(value: Any, media_type: str) -> bytes:
    if isinstance(value, str) and "json" not in media_type:
        return value.encode()
    return msgspec.json.encode(value)


def documented_answer(spec: CompiledSpec, operation: Operation) -> MockAnswer:
    """The spec's example for the chosen response, else a body generated from its schema (valid against it)."""
    chosen = chosen_response(operation)
    if chosen is None:
        raise NothingToAnswer(f"The spec documents no response for {operation.name}.")
    status, response = chosen
    if response.body is None or not response.body.media:
        # Documented without a body (204, a 200 with no content): that is the answer.
        return MockAnswer(status=status, headers={}, body=b"", media_type=None, source="schema")
    media = _preferred_media(response.body.media)
    assert media is not None  # media is not empty
    media_type = "application/json" if "*" in media.media_type else media.media_type
    found, example = _example(spec, response, media)
    if found:
        return MockAnswer(
            status=status, headers={}, body=_encoded(example, media_type), media_type=media_type, source="spec-example"
        )
    if media.schema is None:
        raise NothingToAnswer(
            f"{operation.name} returns {media.media_type} for status {response.key}, but there is no approved "
            "fixture for it and the spec gives neither an example nor a schema to generate one from."
        )
    body = SchemaGenerator(spec.converted).value(media.schema)
    return MockAnswer(
        status=status, headers={}, body=_encoded(body, media_type), media_type=media_type, source="schema"
    )
