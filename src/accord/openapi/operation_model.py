"""An OpenAPI operation as Accord models it: parameters, request body and responses, each with the schema that
applies and the JSON pointer of where the spec says it, for OpenAPI 3.0, 3.1 and Swagger 2.0 alike. Built from a
compiled spec (compatibility.spec_model), one operation at a time.

The static checker validates contracts against it and the mock answers from it; routing (specs.operations)
and the spec diff name operations as `operation_name` does here (accord.openapi.operations), and read
references and server base paths through the same helpers (references.py, servers.py).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any, Protocol

from accord.openapi import json_pointers
from accord.openapi.dialects import Dialect
from accord.openapi.operations import HTTP_METHODS, media_type_key, operation_name, response_key

JSON_MEDIA_TYPE = "application/json"


class SpecSource(Protocol):
    """What building operations needs of a compiled spec."""

    @property
    def document(self) -> dict[str, Any]: ...

    @property
    def converted(self) -> dict[str, Any]: ...

    @property
    def dialect(self) -> Dialect: ...

    def resolve(self, value: Any) -> tuple[Any, str | None]: ...


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
    parameters: list[Parameter] = field(default_factory=list)
    request_body: Body | None = None
    responses: dict[str, Response] = field(default_factory=dict)
    responses_pointer: str = ""


def build_operation(spec: SpecSource, method: str, template: str) -> Operation | None:
    paths = spec.converted.get("paths")
    item, item_pointer = spec.resolve(paths.get(template) if isinstance(paths, dict) else None)
    raw = item.get(method) if isinstance(item, dict) and method in HTTP_METHODS else None
    if not isinstance(raw, dict) or item_pointer is None:
        return None
    pointer = json_pointers.join(item_pointer, method)
    operation = Operation(method=method, template=template, name=operation_name(method, template, raw), pointer=pointer)
    merged: dict[tuple[str, str], Parameter] = {}
    for owner in (item, raw):  # the operation's parameters override the path item's
        for each in owner.get("parameters") or ():
            parameter = _parameter(spec, each)
            if parameter is not None:
                merged[
                    (parameter.name if parameter.location != "header" else parameter.name.lower(), parameter.location)
                ] = parameter
    operation.parameters = [each for each in merged.values() if each.location != "body"]
    if spec.dialect == "2.0":
        body = next((each for each in merged.values() if each.location == "body"), None)
        if body is not None:
            consumes = _media_list(raw.get("consumes"), spec.document.get("consumes"))
            media_pointer = json_pointers.join(pointer, "consumes") if "consumes" in raw else "/consumes"
            operation.request_body = Body(
                pointer=body.pointer,
                required=body.required,
                media=_swagger_media(consumes, body.schema, body.schema_pointer),
                media_pointer=media_pointer,
            )
    else:
        operation.request_body = _request_body(spec, raw.get("requestBody"))
    responses = raw.get("responses")
    operation.responses_pointer = json_pointers.join(pointer, "responses")
    for key, each in responses.items() if isinstance(responses, dict) else ():
        response = _response(spec, str(key), each, raw, pointer)
        if response is not None:
            operation.responses[response.key] = response
    return operation


def _parameter(spec: SpecSource, raw: Any) -> Parameter | None:
    value, pointer = spec.resolve(raw)
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


def _request_body(spec: SpecSource, raw: Any) -> Body | None:
    value, pointer = spec.resolve(raw)
    if not isinstance(value, dict) or pointer is None:
        return None
    content_pointer = json_pointers.join(pointer, "content")
    return Body(
        pointer=pointer,
        required=value.get("required") is True,
        media=_content_media(value.get("content"), content_pointer),
        media_pointer=content_pointer,
    )


def _response(spec: SpecSource, key: str, raw: Any, operation: dict[str, Any], op_pointer: str) -> Response | None:
    value, pointer = spec.resolve(raw)
    if not isinstance(value, dict) or pointer is None:
        return None
    headers: dict[str, Parameter] = {}
    for name, header in (value.get("headers") or {}).items():
        header_value, header_pointer = spec.resolve(header)
        if not isinstance(header_value, dict) or header_pointer is None:
            continue
        headers[name.lower()] = _header(spec, name, header_value, header_pointer)
    body: Body | None = None
    if spec.dialect == "2.0":
        if "schema" in value:
            produces = _media_list(operation.get("produces"), spec.document.get("produces"))
            media_pointer = json_pointers.join(op_pointer, "produces") if "produces" in operation else "/produces"
            schema_pointer = json_pointers.join(pointer, "schema")
            body = Body(pointer, False, _swagger_media(produces, value["schema"], schema_pointer), media_pointer)
    elif isinstance(value.get("content"), dict) and value["content"]:
        content_pointer = json_pointers.join(pointer, "content")
        body = Body(pointer, False, _content_media(value["content"], content_pointer), content_pointer)
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


def _content_media(content: Any, content_pointer: str) -> dict[str, MediaSchema]:
    media: dict[str, MediaSchema] = {}
    for media_type, value in content.items() if isinstance(content, dict) else ():
        schema = value.get("schema") if isinstance(value, dict) else None
        media[media_type_key(media_type)] = MediaSchema(
            media_type, schema, json_pointers.join(content_pointer, media_type, "schema")
        )
    return media


def _swagger_media(media_types: list[str], schema: Any, schema_pointer: str) -> dict[str, MediaSchema]:
    return {media_type_key(each): MediaSchema(each, schema, schema_pointer) for each in media_types}


def _media_list(own: Any, root: Any) -> list[str]:
    chosen = own if isinstance(own, list) else root if isinstance(root, list) else [JSON_MEDIA_TYPE]
    return [each for each in chosen if isinstance(each, str)] or [JSON_MEDIA_TYPE]
