"""How the spec diff reads the operations of a document (accord.openapi.operation_model) to pair and compare them.

Operations are keyed by method and path template with parameter names blanked (`/orders/{}`), so renaming
`{id}` to `{orderId}` is no change; path parameters are keyed by their position in the template for the
same reason. Swagger 2's `body` and `formData` parameters are compared as a request body like OpenAPI 3's.
Schemas are compared as nodes of the document as written (refs.py), each at the pointer of its definition.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Any

from accord.openapi.operation_model import Body, Operation, Parameter, Response, document_operations
from accord.openapi.operations import media_type_key
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
class SpecView:
    """One document's operations as the diff pairs them, and the base paths its API is served under."""

    resolver: Resolver
    operations: dict[OperationKey, Operation]
    base_paths: frozenset[str]

    def by_name(self) -> dict[str, Operation]:
        """Operations by the name OperationIndex gives them; with duplicate operationIds the first one wins."""
        named: dict[str, Operation] = {}
        for operation in self.operations.values():
            named.setdefault(operation.name, operation)
        return named


def spec_view(document: dict[str, Any]) -> SpecView:
    resolver = Resolver(document)
    operations: dict[OperationKey, Operation] = {}
    for operation in document_operations(resolver):
        operations.setdefault(operation_key(operation), operation)
    return SpecView(resolver=resolver, operations=operations, base_paths=_base_paths(document))


def template_key(template: str) -> str:
    trimmed = template.rstrip("/") or "/"
    return _TEMPLATE.sub("{}", trimmed)


def operation_key(operation: Operation) -> OperationKey:
    return (operation.method, template_key(operation.template))


def operation_label(operation: Operation) -> str:
    return f"{operation.method.upper()} {operation.template}"


def compared_parameters(resolver: Resolver, operation: Operation) -> dict[ParameterKey, Parameter]:
    """The parameters besides the body, keyed so that renaming a path parameter is no change."""
    path_names = _PATH_PARAMETER.findall(operation.template)
    found: dict[ParameterKey, Parameter] = {}
    for parameter in operation.parameters:
        location, name = parameter.location, parameter.name
        if (location == "header" and name.lower() in _IGNORED_HEADERS) or (
            location == "formData" and resolver.dialect == "2.0"  # part of the form body
        ):
            continue
        if location == "path" and name in path_names:
            found[("path", str(path_names.index(name)))] = parameter
        else:
            found[(location, name.lower() if location == "header" else name)] = parameter
    return found


def parameter_schema(resolver: Resolver, parameter: Parameter) -> Node | None:
    if resolver.dialect == "2.0" and parameter.location != "body":
        # A Swagger 2 parameter is its own schema: only the keywords that describe its value are compared.
        value = parameter.schema
        described = {k: value[k] for k in _SWAGGER_VALUE_KEYWORDS if k in value}
        return Node(resolver.locate(described, parameter.pointer), parameter.pointer)
    return _node(resolver, parameter.schema, parameter.schema_pointer)


def request_body(operation: Operation) -> Body | None:
    return operation.request_body or operation.form_body


def request_schemas(resolver: Resolver, operation: Operation) -> dict[str, Node | None]:
    """The request body's schemas by media type (lower case, parameters stripped)."""
    form = operation.form_body
    if operation.request_body is not None or form is None:
        return media_schemas(resolver, operation.request_body)
    # Form fields as the properties of one object, each property pointing at its parameter.
    fields = [each for each in operation.parameters if each.location == "formData"]
    schema = resolver.locate(
        {
            "type": "object",
            "properties": {each.name: _value(parameter_schema(resolver, each)) for each in fields},
            "required": [each.name for each in fields if each.required],
        },
        form.pointer,
    )
    return dict.fromkeys(form.media, Node(schema, form.pointer))


def media_schemas(resolver: Resolver, body: Body | None) -> dict[str, Node | None]:
    """A body's schemas by media type; of media types that read the same, the first the spec lists."""
    media: dict[str, Node | None] = {}
    for each in body.declared if body is not None else ():
        key = media_type_key(each.media_type)
        if key not in media:
            media[key] = _node(resolver, each.schema, each.schema_pointer)
    return media


def compared_responses(operation: Operation) -> dict[str, Response]:
    """The responses by status key, without the responses object's `x-` extensions."""
    return {key: each for key, each in operation.responses.items() if not key.startswith("X-")}


def compared_headers(response: Response) -> dict[str, Parameter]:
    return {name: each for name, each in response.headers.items() if name != "content-type"}


def header_schema(resolver: Resolver, header: Parameter) -> Node | None:
    # A 3.x header described by `content` is not compared.
    return None if header.json_content else _node(resolver, header.schema, header.schema_pointer)


def _node(resolver: Resolver, schema: Any, pointer: str) -> Node | None:
    return None if schema is None else resolver.node(schema, pointer)


def _value(node: Node | None) -> Any:
    return node.value if node is not None else {}


def _base_paths(document: dict[str, Any]) -> frozenset[str]:
    """The path parts of the API's base URLs (Swagger 2 basePath, OpenAPI 3 servers), '' for the root."""
    return frozenset(as_path(base) for base in root_base_paths(document))
