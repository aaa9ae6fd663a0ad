"""An OpenAPI operation as Accord models it: parameters, request body and responses, each with the schema that
applies and the JSON pointer of where the spec says it, for OpenAPI 3.0, 3.1 and Swagger 2.0 alike. Built from a
`SpecSource`, one operation at a time (`build_operation`) or all of a document's (`document_operations`).

The static checker validates contracts against it and the mock answers from it, both over a compiled spec
(compatibility.spec_model: converted schemas); the spec diff compares two documents as written through it
(spec_diff.refs: the uploaded document, 3.1 `$ref` siblings merged). Routing (specs.operations) names operations
as `operation_name` does here (accord.openapi.operations).
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass, field
from typing import Any, Protocol

from accord.openapi import json_pointers
from accord.openapi.dialects import Dialect
from accord.openapi.operations import HTTP_METHODS, media_type_key, operation_name, response_key

JSON_MEDIA_TYPE = "application/json"
FORM_MEDIA_TYPES = ("application/x-www-form-urlencoded", "multipart/form-data")


class SpecSource(Protocol):
    """What building operations needs of a spec."""

    @property
    def document(self) -> dict[str, Any]:
        """The document as uploaded."""
        ...

    @property
    def converted(self) -> dict[str, Any]:
        """The document operations and schemas are read from: the checker's converted copy, or the document."""
        ...

    @property
    def dialect(self) -> Dialect: ...

    def resolve(self, value: Any, pointer: str) -> tuple[Any, str | None]:
        """`value`, found at `pointer`, with its `$ref`s followed, and the pointer of where the result is defined.
        What a reference to nothing gives is the source's to say: the compiled spec gives None, the diff's
        resolver an empty object, as each did before they shared this model."""
        ...


@dataclass(frozen=True, slots=True)
class Parameter:
    name: str
    location: str  # path, query, header, cookie, formData (Swagger 2.0)
    required: bool
    pointer: str  # the parameter object, where its `$ref` leads
    schema: Any  # the converted schema; for Swagger's non-body parameters, the parameter itself
    schema_pointer: str
    style: str | None = None
    explode: bool | None = None
    collection_format: str | None = None
    json_content: bool = False  # a 3.x parameter with `content`: its value is a serialized document


@dataclass(frozen=True, slots=True)
class MediaSchema:
    media_type: str  # as the spec writes it
    schema: Any  # the converted schema, None when the media type has none (anything goes)
    schema_pointer: str


@dataclass(frozen=True, slots=True)
class Body:
    pointer: str  # the request body, body parameter or response object
    required: bool
    media: dict[str, MediaSchema]  # by lower-case media type without parameters
    media_pointer: str  # where the media types are listed: `content`, or Swagger's consumes/produces
    # Every media type in the spec's order; where two read the same (`application/json; charset=utf-8`),
    # `media` holds the last and the spec diff compares the first.
    declared: tuple[MediaSchema, ...] = ()


@dataclass(frozen=True, slots=True)
class Response:
    key: str  # "200", "2XX" or "default"
    pointer: str
    body: Body | None  # None: the spec documents no body
    headers: dict[str, Parameter]  # by lower-case name


@dataclass(slots=True)
class Operation:
    method: str
    template: str
    name: str
    pointer: str
    deprecated: bool = False
    parameters: list[Parameter] = field(default_factory=list)
    request_body: Body | None = None
    # Swagger 2.0 `formData` parameters seen as one object body (at the operation's `parameters`); the checker
    # reads them as fields among `parameters`, the spec diff compares them as this body.
    form_body: Body | None = None
    responses: dict[str, Response] = field(default_factory=dict)
    responses_pointer: str = ""


def document_operations(spec: SpecSource) -> Iterator[Operation]:
    """Every operation of the document, in its order (paths, then OpenAPI's order of methods)."""
    paths = spec.converted.get("paths")
    for template in paths if isinstance(paths, dict) else ():
        if not isinstance(template, str) or not template.startswith("/"):  # `x-` extensions
            continue
        for method in HTTP_METHODS:
            operation = build_operation(spec, method, template)
            if operation is not None:
                yield operation


def build_operation(spec: SpecSource, method: str, template: str) -> Operation | None:
    paths = spec.converted.get("paths")
    item, item_pointer = spec.resolve(
        paths.get(template) if isinstance(paths, dict) else None, json_pointers.join("/paths", template)
    )
    raw = item.get(method) if isinstance(item, dict) and method in HTTP_METHODS else None
    if not isinstance(raw, dict) or item_pointer is None:
        return None
    pointer = json_pointers.join(item_pointer, method)
    operation = Operation(
        method=method,
        template=template,
        name=operation_name(method, template, raw),
        pointer=pointer,
        deprecated=raw.get("deprecated") is True,
    )
    merged: dict[tuple[str, str], Parameter] = {}
    for owner, owner_pointer in ((item, item_pointer), (raw, pointer)):  # the operation's override the path item's
        for index, each in enumerate(owner.get("parameters") or ()):
            parameter = _parameter(spec, each, json_pointers.join(owner_pointer, "parameters", index))
            if parameter is not None:
                merged[
                    (parameter.name if parameter.location != "header" else parameter.name.lower(), parameter.location)
                ] = parameter
    operation.parameters = [each for each in merged.values() if each.location != "body"]
    if spec.dialect == "2.0":
        _swagger_bodies(spec, operation, raw, list(merged.values()))
    else:
        operation.request_body = _request_body(spec, raw.get("requestBody"), json_pointers.join(pointer, "requestBody"))
    responses = raw.get("responses")
    operation.responses_pointer = json_pointers.join(pointer, "responses")
    for key, each in responses.items() if isinstance(responses, dict) else ():
        response = _response(spec, str(key), each, raw, pointer)
        if response is not None:
            operation.responses[response.key] = response
    return operation


def _swagger_bodies(spec: SpecSource, operation: Operation, raw: dict[str, Any], parameters: list[Parameter]) -> None:
    """Swagger 2.0's `body` parameter as the request body; without one, its `formData` parameters as a form body."""
    consumes = _media_list(raw.get("consumes"), spec.document.get("consumes"))
    media_pointer = json_pointers.join(operation.pointer, "consumes") if "consumes" in raw else "/consumes"
    body = next((each for each in parameters if each.location == "body"), None)
    if body is not None:
        operation.request_body = _swagger_body(
            body.pointer, body.required, consumes, body.schema, body.schema_pointer, media_pointer
        )
        return
    form = [each for each in parameters if each.location == "formData"]
    if form:
        form_types = [each for each in consumes if media_type_key(each) in FORM_MEDIA_TYPES]
        fields_pointer = json_pointers.join(operation.pointer, "parameters")
        fields = {
            "type": "object",
            "properties": {each.name: each.schema for each in form},
            "required": [each.name for each in form if each.required],
        }
        required = any(each.required for each in form)
        media_types = form_types or [FORM_MEDIA_TYPES[0]]
        operation.form_body = _swagger_body(
            fields_pointer, required, media_types, fields, fields_pointer, media_pointer
        )


def _parameter(spec: SpecSource, raw: Any, written_at: str) -> Parameter | None:
    value, pointer = spec.resolve(raw, written_at)
    if not isinstance(value, dict) or pointer is None:
        return None
    name, location = value.get("name"), value.get("in")
    if not isinstance(name, str) or not isinstance(location, str):
        return None
    required = value.get("required") is True or location == "path"
    if spec.dialect == "2.0":
        schema = value.get("schema") if location == "body" else value
        schema_pointer = json_pointers.join(pointer, "schema") if location == "body" else pointer
        declared = value.get("collectionFormat")
        collection_format = declared if isinstance(declared, str) else "csv"
        return Parameter(name, location, required, pointer, schema, schema_pointer, collection_format=collection_format)
    content = value.get("content")
    if isinstance(content, dict) and content:
        media_type, media = next(iter(content.items()))
        schema = media.get("schema") if isinstance(media, dict) else None
        schema_pointer = json_pointers.join(pointer, "content", media_type, "schema")
        return Parameter(name, location, required, pointer, schema, schema_pointer, json_content=True)
    explode = value.get("explode")
    return Parameter(
        name,
        location,
        required,
        pointer,
        value.get("schema"),
        json_pointers.join(pointer, "schema"),
        style=value.get("style") if isinstance(value.get("style"), str) else None,
        explode=explode if isinstance(explode, bool) else None,
    )


def _request_body(spec: SpecSource, raw: Any, written_at: str) -> Body | None:
    value, pointer = spec.resolve(raw, written_at)
    if not isinstance(value, dict) or pointer is None:
        return None
    return _content_body(pointer, value.get("required") is True, value.get("content"))


def _response(spec: SpecSource, key: str, raw: Any, operation: dict[str, Any], op_pointer: str) -> Response | None:
    value, pointer = spec.resolve(raw, json_pointers.join(op_pointer, "responses", key))
    if not isinstance(value, dict) or pointer is None:
        return None
    headers: dict[str, Parameter] = {}
    for name, header in (value.get("headers") or {}).items():
        header_value, header_pointer = spec.resolve(header, json_pointers.join(pointer, "headers", name))
        if not isinstance(header_value, dict) or header_pointer is None:
            continue
        headers[name.lower()] = _header(spec, name, header_value, header_pointer)
    body: Body | None = None
    if spec.dialect == "2.0":
        if "schema" in value:
            produces = _media_list(operation.get("produces"), spec.document.get("produces"))
            media_pointer = json_pointers.join(op_pointer, "produces") if "produces" in operation else "/produces"
            schema_pointer = json_pointers.join(pointer, "schema")
            body = _swagger_body(pointer, False, produces, value["schema"], schema_pointer, media_pointer)
    elif isinstance(value.get("content"), dict) and value["content"]:
        body = _content_body(pointer, False, value["content"])
    return Response(key=response_key(key), pointer=pointer, body=body, headers=headers)


def _header(spec: SpecSource, name: str, value: dict[str, Any], pointer: str) -> Parameter:
    """A response header: Swagger's header objects are schema-like, 3.x ones hold a schema or content."""
    if spec.dialect == "2.0":
        return Parameter(name, "header", False, pointer, value, pointer)
    content = value.get("content")
    if isinstance(content, dict) and content:
        media_type, media = next(iter(content.items()))
        schema = media.get("schema") if isinstance(media, dict) else None
        schema_pointer = json_pointers.join(pointer, "content", media_type, "schema")
        return Parameter(name, "header", False, pointer, schema, schema_pointer, json_content=True)
    return Parameter(name, "header", False, pointer, value.get("schema"), json_pointers.join(pointer, "schema"))


def _content_body(pointer: str, required: bool, content: Any) -> Body:
    content_pointer = json_pointers.join(pointer, "content")
    declared = tuple(
        MediaSchema(
            media_type,
            value.get("schema") if isinstance(value, dict) else None,
            json_pointers.join(content_pointer, media_type, "schema"),
        )
        for media_type, value in (content.items() if isinstance(content, dict) else ())
    )
    return Body(pointer, required, _by_media_type(declared), content_pointer, declared)


def _swagger_body(
    pointer: str, required: bool, media_types: list[str], schema: Any, schema_pointer: str, media_pointer: str
) -> Body:
    declared = tuple(MediaSchema(each, schema, schema_pointer) for each in media_types)
    return Body(pointer, required, _by_media_type(declared), media_pointer, declared)


def _by_media_type(declared: tuple[MediaSchema, ...]) -> dict[str, MediaSchema]:
    return {media_type_key(each.media_type): each for each in declared}


def _media_list(own: Any, root: Any) -> list[str]:
    chosen = own if isinstance(own, list) else root if isinstance(root, list) else [JSON_MEDIA_TYPE]
    return [each for each in chosen if isinstance(each, str)] or [JSON_MEDIA_TYPE]
