"""OpenAPI 3.0, 3.1 and Swagger 2.0 operations seen one way: parameters, request body and responses by media type.

Operations are keyed by method and path template with parameter names blanked (`/orders/{}`), so renaming
`{id}` to `{orderId}` is no change; path parameters are keyed by their position in the template for the
same reason. Swagger 2's `body` and `formData` parameters become a request body like OpenAPI 3's.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import Any

from accord.openapi import json_pointers
from accord.openapi.dialects import dialect_of
from accord.openapi.operations import HTTP_METHODS, media_type_key, operation_name, response_key
from accord.openapi.servers import as_path, root_base_paths
from accord.spec_diff.refs import Node, Resolver

_TEMPLATE = re.compile(r"\{[^{}/]*\}")
_PATH_PARAMETER = re.compile(r"\{([^{}/]*)\}")
# OpenAPI: "If in is header and the name is Accept, Content-Type or Authorization, the definition SHALL be ignored."
_IGNORED_HEADERS = frozenset({"accept", "content-type", "authorization"})
# Keywords of a Swagger 2 non-body parameter that describe its value (the rest describe the parameter).
_SWAGGER_VALUE_KEYWORDS = (
    "type", "format", "items", "enum", "default", "maximum", "exclusiveMaximum", "minimum", "exclusiveMinimum",
    "maxLength", "minLength", "pattern", "maxItems", "minItems", "uniqueItems", "multipleOf", "x-nullable",
)  # fmt: skip

OperationKey = tuple[str, str]  # (lower-case method, template with blank parameter names)
ParameterKey = tuple[str, str]  # (in, name): header names lower-cased, path parameters by position


@dataclass(frozen=True, slots=True)
class ParameterView:
    name: str
    location: str
    required: bool
    deprecated: bool
    schema: Node | None
    pointer: str


@dataclass(slots=True)
class BodyView:
    """A request or response body: its media types (parameters stripped, lower case), each with its schema."""

    pointer: str
    required: bool = False
    media: dict[str, Node | None] = field(default_factory=dict)


@dataclass(slots=True)
class ResponseView:
    pointer: str
    body: BodyView
    headers: dict[str, ParameterView]  # lower-case name -> header


@dataclass(slots=True)
class OperationView:
    method: str
    template: str
    name: str  # what OperationIndex resolves a request of this operation to
    pointer: str
    deprecated: bool
    parameters: dict[ParameterKey, ParameterView]
    body: BodyView | None
    responses: dict[str, ResponseView]  # "200", "2XX", "default"

    @property
    def key(self) -> OperationKey:
        return (self.method, template_key(self.template))

    @property
    def label(self) -> str:
        return f"{self.method.upper()} {self.template}"


@dataclass(slots=True)
class SpecView:
    resolver: Resolver
    operations: dict[OperationKey, OperationView]
    base_paths: frozenset[str]

    def by_name(self) -> dict[str, OperationView]:
        """Operations by the name OperationIndex gives them; with duplicate operationIds the first one wins."""
        named: dict[str, OperationView] = {}
        for operation in self.operations.values():
            named.setdefault(operation.name, operation)
        return named


def template_key(template: str) -> str:
    trimmed = template.rstrip("/") or "/"
    return _TEMPLATE.sub("{}", trimmed)


def spec_view(document: dict[str, Any]) -> SpecView:
    resolver = Resolver(document)
    root = Node(document, "")
    swagger = dialect_of(document) == "2.0"
    operations: dict[OperationKey, OperationView] = {}
    paths = resolver.child(root, "paths")
    for template, _ in paths.value.items() if paths is not None and isinstance(paths.value, dict) else ():
        item = resolver.child(paths, template) if paths is not None else None
        if not template.startswith("/") or item is None or not isinstance(item.value, dict):
            continue
        shared = _parameters(resolver, item, template, swagger)
        for method in HTTP_METHODS:
            operation = resolver.child(item, method)
            if operation is None or not isinstance(operation.value, dict):
                continue
            view = _operation(resolver, document, operation, method, template, shared, swagger)
            operations.setdefault(view.key, view)
    return SpecView(resolver=resolver, operations=operations, base_paths=_base_paths(document))


def _operation(
    resolver: Resolver,
    document: dict[str, Any],
    node: Node,
    method: str,
    template: str,
    shared: dict[ParameterKey, ParameterView],
    swagger: bool,
) -> OperationView:
    value = node.value
    parameters = {**shared, **_parameters(resolver, node, template, swagger)}
    if swagger:
        body = _swagger_body(resolver, document, node, parameters)
        parameters = {key: p for key, p in parameters.items() if p.location not in ("body", "formData")}
    else:
        body = _openapi_body(resolver, resolver.child(node, "requestBody"))
    return OperationView(
        method=method,
        template=template,
        name=operation_name(method, template, value),
        pointer=node.pointer,
        deprecated=value.get("deprecated") is True,
        parameters=parameters,
        body=body,
        responses=_responses(resolver, document, node, swagger),
    )


def _parameters(resolver: Resolver, owner: Node, template: str, swagger: bool) -> dict[ParameterKey, ParameterView]:
    found: dict[ParameterKey, ParameterView] = {}
    listed = resolver.child(owner, "parameters")
    path_names = _PATH_PARAMETER.findall(template)
    for index in range(len(listed.value) if listed is not None and isinstance(listed.value, list) else 0):
        parameter = resolver.child(listed, index) if listed is not None else None
        if parameter is None or not isinstance(parameter.value, dict):
            continue
        name, location = parameter.value.get("name"), parameter.value.get("in")
        if not isinstance(name, str) or not isinstance(location, str):
            continue
        if location == "header" and name.lower() in _IGNORED_HEADERS:
            continue
        key = _parameter_key(location, name, path_names)
        found[key] = ParameterView(
            name=name,
            location=location,
            required=parameter.value.get("required") is True or location == "path",
            deprecated=parameter.value.get("deprecated") is True,
            schema=_parameter_schema(resolver, parameter, swagger),
            pointer=parameter.pointer,
        )
    return found


def _parameter_key(location: str, name: str, path_names: list[str]) -> ParameterKey:
    if location == "path" and name in path_names:
        return ("path", str(path_names.index(name)))
    if location == "header":
        return ("header", name.lower())
    return (location, name)


def _parameter_schema(resolver: Resolver, parameter: Node, swagger: bool) -> Node | None:
    if swagger:
        if parameter.value.get("in") == "body":
            return resolver.child(parameter, "schema")
        described = {k: parameter.value[k] for k in _SWAGGER_VALUE_KEYWORDS if k in parameter.value}
        return Node(resolver.locate(described, parameter.pointer), parameter.pointer)
    schema = resolver.child(parameter, "schema")
    if schema is not None:
        return schema
    content = resolver.child(parameter, "content")
    for media_type in content.value if content is not None and isinstance(content.value, dict) else ():
        return resolver.child(content, media_type, "schema") if content is not None else None
    return None


def _openapi_body(resolver: Resolver, node: Node | None) -> BodyView | None:
    if node is None or not isinstance(node.value, dict):
        return None
    return BodyView(pointer=node.pointer, required=node.value.get("required") is True, media=_content(resolver, node))


def _content(resolver: Resolver, owner: Node) -> dict[str, Node | None]:
    content = resolver.child(owner, "content")
    media: dict[str, Node | None] = {}
    for media_type in content.value if content is not None and isinstance(content.value, dict) else ():
        media.setdefault(
            media_type_key(media_type), resolver.child(content, media_type, "schema") if content is not None else None
        )
    return media


def _media_types(document: dict[str, Any], operation: dict[str, Any], keyword: str) -> list[str]:
    listed = operation.get(keyword, document.get(keyword))
    types = [media_type_key(t) for t in listed if isinstance(t, str)] if isinstance(listed, list) else []
    return types or ["application/json"]


def _swagger_body(
    resolver: Resolver, document: dict[str, Any], node: Node, parameters: dict[ParameterKey, ParameterView]
) -> BodyView | None:
    body = next((p for p in parameters.values() if p.location == "body"), None)
    consumes = _media_types(document, node.value, "consumes")
    if body is not None:
        return BodyView(pointer=body.pointer, required=body.required, media=dict.fromkeys(consumes, body.schema))
    form = [p for p in parameters.values() if p.location == "formData"]
    if not form:
        return None
    # Form fields as the properties of one object, each property pointing at its parameter.
    schema = resolver.locate(
        {
            "type": "object",
            "properties": {p.name: p.schema.value if p.schema is not None else {} for p in form},
            "required": [p.name for p in form if p.required],
        },
        json_pointers.join(node.pointer, "parameters"),
    )
    form_types = [t for t in consumes if t in ("application/x-www-form-urlencoded", "multipart/form-data")]
    media_types = form_types or ["application/x-www-form-urlencoded"]
    return BodyView(
        pointer=json_pointers.join(node.pointer, "parameters"),
        required=any(p.required for p in form),
        media=dict.fromkeys(media_types, Node(schema, json_pointers.join(node.pointer, "parameters"))),
    )


def _responses(resolver: Resolver, document: dict[str, Any], node: Node, swagger: bool) -> dict[str, ResponseView]:
    responses = resolver.child(node, "responses")
    found: dict[str, ResponseView] = {}
    for status in responses.value if responses is not None and isinstance(responses.value, dict) else ():
        response = resolver.child(responses, status) if responses is not None else None
        if response is None or not isinstance(response.value, dict) or str(status).startswith("x-"):
            continue
        media: dict[str, Node | None]
        if swagger:
            schema = resolver.child(response, "schema")
            media = dict.fromkeys(_media_types(document, node.value, "produces"), schema) if schema is not None else {}
        else:
            media = _content(resolver, response)
        found[response_key(str(status))] = ResponseView(
            pointer=response.pointer,
            body=BodyView(pointer=response.pointer, media=media),
            headers=_headers(resolver, response, swagger),
        )
    return found


def _headers(resolver: Resolver, response: Node, swagger: bool) -> dict[str, ParameterView]:
    headers = resolver.child(response, "headers")
    found: dict[str, ParameterView] = {}
    for name in headers.value if headers is not None and isinstance(headers.value, dict) else ():
        header = resolver.child(headers, name) if headers is not None else None
        if header is None or not isinstance(header.value, dict) or name.lower() == "content-type":
            continue
        schema = header if swagger else resolver.child(header, "schema")
        found[name.lower()] = ParameterView(
            name=name,
            location="header",
            required=header.value.get("required") is True,
            deprecated=header.value.get("deprecated") is True,
            schema=schema,
            pointer=header.pointer,
        )
    return found


def _base_paths(document: dict[str, Any]) -> frozenset[str]:
    """The path parts of the API's base URLs (Swagger 2 basePath, OpenAPI 3 servers), '' for the root."""
    return frozenset(as_path(base) for base in root_base_paths(document))
