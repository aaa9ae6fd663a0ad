"""Spec diffs: the engine per change kind, in both directions and all three OpenAPI dialects; matching recorded
exchanges and pacts to the changes they run into; and the endpoint, whose `affected` lists exactly the deployed
or released consumer versions whose contracts use what a breaking change touches."""

from __future__ import annotations

import base64
import copy
import json
from typing import Any

import pytest

from accord.spec_diff.changes import KINDS, Change
from accord.spec_diff.diff import diff_documents
from accord.spec_diff.exchanges import OPAQUE, Exchange, exchanges_of
from accord.spec_diff.usage import UsageMatcher
from accord.specs.operations import OperationIndex

PROBLEM = "urn:accord:problem:"
OK = {"200": {"description": "ok"}}


def openapi(paths: dict[str, Any], schemas: dict[str, Any] | None = None, version: str = "3.0.3") -> dict[str, Any]:
    document: dict[str, Any] = {"openapi": version, "info": {"title": "Orders", "version": "1"}, "paths": paths}
    if schemas:
        document["components"] = {"schemas": schemas}
    return document


def json_content(schema: dict[str, Any]) -> dict[str, Any]:
    return {"application/json": {"schema": schema}}


def request_spec(schema: dict[str, Any], version: str = "3.0.3") -> dict[str, Any]:
    """POST /things taking `schema` as its (required) JSON body."""
    operation = {"requestBody": {"required": True, "content": json_content(schema)}, "responses": OK}
    return openapi({"/things": {"post": operation}}, version=version)


def response_spec(schema: dict[str, Any], version: str = "3.0.3") -> dict[str, Any]:
    """GET /things answering 200 with `schema` as its JSON body."""
    responses = {"200": {"description": "ok", "content": json_content(schema)}}
    return openapi({"/things": {"get": {"responses": responses}}}, version=version)


def obj(required: tuple[str, ...] = (), **properties: Any) -> dict[str, Any]:
    schema: dict[str, Any] = {"type": "object", "properties": properties}
    if required:
        schema["required"] = list(required)
    return schema


STRING = {"type": "string"}
INTEGER = {"type": "integer"}
NUMBER = {"type": "number"}


def changes(old: dict[str, Any], new: dict[str, Any]) -> list[Change]:
    return diff_documents(old, new).changes


def kinds(old: dict[str, Any], new: dict[str, Any]) -> set[tuple[str, bool]]:
    return {(change.kind, change.breaking) for change in changes(old, new)}


# The engine: request schemas (the provider reads them: narrowing breaks) ------------------------------------


def string(**keywords: Any) -> dict[str, Any]:
    return {"type": "string", **keywords}


def nullable(schema: dict[str, Any]) -> dict[str, Any]:
    return {**schema, "nullable": True}


REQUIRED_B = obj(("b",), a=STRING, b=STRING)
X, XY = string(enum=["x"]), string(enum=["x", "y"])
# (what, old schema, new schema, kind, breaking)
REQUEST_CASES = [
    ("field added required", obj(a=STRING), REQUIRED_B, "request-body-field-added-required", True),
    ("field added optional", obj(a=STRING), obj(a=STRING, b=STRING), "request-body-field-added", False),
    ("field made required", obj(a=STRING, b=STRING), REQUIRED_B, "request-body-field-made-required", True),
    ("field made optional", obj(("a",), a=STRING), obj(a=STRING), "request-body-field-made-optional", False),
    ("field removed", obj(a=STRING, b=STRING), obj(a=STRING), "request-body-field-removed", False),
    ("number to integer", obj(a=NUMBER), obj(a=INTEGER), "request-type-narrowed", True),
    ("integer to number", obj(a=INTEGER), obj(a=NUMBER), "request-type-widened", False),
    ("null refused", obj(a=nullable(STRING)), obj(a=STRING), "request-type-narrowed", True),
    ("null accepted", obj(a=STRING), obj(a=nullable(STRING)), "request-type-widened", False),
    ("format required", obj(a=STRING), obj(a=string(format="date")), "request-type-narrowed", True),
    ("enum value removed", obj(a=XY), obj(a=X), "enum-value-removed-from-request", True),
    ("enum value added", obj(a=X), obj(a=XY), "request-enum-value-added", False),
    ("enum introduced", obj(a=STRING), obj(a=X), "request-type-narrowed", True),
    ("maxLength down", obj(a=string(maxLength=20)), obj(a=string(maxLength=10)), "request-constraint-tightened", True),
    ("maxLength up", obj(a=string(maxLength=10)), obj(a=string(maxLength=20)), "request-constraint-relaxed", False),
    ("minimum introduced", obj(a=INTEGER), obj(a={**INTEGER, "minimum": 1}), "request-constraint-tightened", True),
    ("pattern dropped", obj(a=string(pattern="^a")), obj(a=STRING), "request-constraint-relaxed", False),
]  # fmt: skip


@pytest.mark.parametrize(
    ("old", "new", "kind", "breaking"), [c[1:] for c in REQUEST_CASES], ids=[c[0] for c in REQUEST_CASES]
)
def test_request_schema_changes(old: dict[str, Any], new: dict[str, Any], kind: str, breaking: bool) -> None:
    assert kinds(request_spec(old), request_spec(new)) == {(kind, breaking)}


def test_removed_request_field_breaks_when_undeclared_fields_are_refused() -> None:
    closed = {**obj(a=STRING), "additionalProperties": False}
    found = kinds(request_spec(obj(a=STRING, b=STRING)), request_spec(closed))
    assert found == {("request-body-field-removed", True), ("request-additional-properties-forbidden", True)}


def test_read_only_fields_are_no_request_change_and_write_only_no_response_change() -> None:
    read_only = {**STRING, "readOnly": True}
    assert kinds(request_spec(obj(a=STRING)), request_spec(obj(("id",), a=STRING, id=read_only))) == set()
    write_only = {**STRING, "writeOnly": True}
    assert kinds(response_spec(obj(a=STRING, secret=write_only)), response_spec(obj(a=STRING))) == set()


# Response schemas (consumers read them: producing more breaks) ------------------------------------------------

ARRAY_OF_INTEGERS, ARRAY_OF_STRINGS = {"type": "array", "items": INTEGER}, {"type": "array", "items": STRING}
RESPONSE_CASES = [
    ("field removed", obj(a=STRING, b=STRING), obj(a=STRING), "response-field-removed", True),
    ("field added", obj(a=STRING), obj(a=STRING, b=STRING), "response-field-added", False),
    ("field made optional", obj(("a",), a=STRING), obj(a=STRING), "response-field-made-optional", True),
    ("integer to string", obj(a=INTEGER), obj(a=STRING), "response-field-retyped", True),
    ("integer to number", obj(a=INTEGER), obj(a=NUMBER), "response-field-retyped", True),
    ("number to integer", obj(a=NUMBER), obj(a=INTEGER), "response-type-narrowed", False),
    ("format changed", obj(a=string(format="date-time")), obj(a=string(format="date")), "response-field-retyped", True),
    ("made nullable", obj(a=STRING), obj(a=nullable(STRING)), "response-field-made-nullable", True),
    ("no longer nullable", obj(a=nullable(STRING)), obj(a=STRING), "response-type-narrowed", False),
    ("enum value added", obj(a=X), obj(a=XY), "response-enum-value-added", True),
    ("enum value removed", obj(a=XY), obj(a=X), "response-enum-value-removed", False),
    ("enum dropped", obj(a=X), obj(a=STRING), "response-enum-value-added", True),
    ("open enum value added", obj(a=string(**{"x-extensible-enum": ["x"]})),
     obj(a=string(**{"x-extensible-enum": ["x", "y"]})), "response-enum-value-added", False),
    ("array items retyped", obj(a=ARRAY_OF_INTEGERS), obj(a=ARRAY_OF_STRINGS), "response-field-retyped", True),
]  # fmt: skip


@pytest.mark.parametrize(
    ("old", "new", "kind", "breaking"), [c[1:] for c in RESPONSE_CASES], ids=[c[0] for c in RESPONSE_CASES]
)
def test_response_schema_changes(old: dict[str, Any], new: dict[str, Any], kind: str, breaking: bool) -> None:
    assert kinds(response_spec(old), response_spec(new)) == {(kind, breaking)}


def test_the_same_change_reads_oppositely_in_requests_and_responses() -> None:
    narrower, wider = obj(a=INTEGER), obj(a=NUMBER)
    assert kinds(request_spec(wider), request_spec(narrower)) == {("request-type-narrowed", True)}
    assert kinds(response_spec(wider), response_spec(narrower)) == {("response-type-narrowed", False)}
    assert kinds(request_spec(narrower), request_spec(wider)) == {("request-type-widened", False)}
    assert kinds(response_spec(narrower), response_spec(wider)) == {("response-field-retyped", True)}


def test_nested_fields_are_named_by_path_and_pointed_at_their_definition() -> None:
    things = {"type": "array", "items": {"$ref": "#/components/schemas/Thing"}}
    lines = {"type": "array", "items": {"$ref": "#/components/schemas/Line"}}
    old = response_spec(things)
    old["components"] = {"schemas": {"Thing": obj(lines=lines), "Line": obj(sku=STRING, qty=INTEGER)}}
    new = copy.deepcopy(old)
    del new["components"]["schemas"]["Line"]["properties"]["qty"]
    [removed] = changes(old, new)
    assert removed.kind == "response-field-removed"
    assert removed.operation == "GET /things"
    assert removed.pointer == "/components/schemas/Line/properties/qty"
    assert removed.document == "from"
    assert removed.target.field == ("[]", "lines", "[]", "qty")
    assert "`[].lines[].qty` in the 200 response body" in removed.message


def test_recursive_schemas_terminate() -> None:
    children = {"type": "array", "items": {"$ref": "#/components/schemas/Node"}}
    old = response_spec({"$ref": "#/components/schemas/Node"})
    old["components"] = {"schemas": {"Node": obj(name=STRING, children=children)}}
    new = copy.deepcopy(old)
    new["components"]["schemas"]["Node"]["properties"]["name"] = INTEGER
    assert kinds(old, new) == {("response-field-retyped", True)}


def test_all_of_members_merge() -> None:
    base = obj(("id",), id=STRING)
    old = request_spec({"allOf": [{"$ref": "#/components/schemas/Base"}, obj(note=STRING)]})
    old["components"] = {"schemas": {"Base": base}}
    new = copy.deepcopy(old)
    new["components"]["schemas"]["Base"] = obj(("id", "owner"), id=STRING, owner=STRING)
    assert kinds(old, new) == {("request-body-field-added-required", True)}


def test_one_of_alternatives() -> None:
    cat, dog = obj(meow=STRING), obj(bark=STRING)
    assert kinds(response_spec({"oneOf": [cat]}), response_spec({"oneOf": [cat, dog]})) == {
        ("response-field-retyped", True)
    }
    assert kinds(request_spec({"oneOf": [cat, dog]}), request_spec({"oneOf": [cat]})) == {
        ("request-type-narrowed", True)
    }


# Operations, parameters, bodies, responses ----------------------------------------------------------------


def orders_spec() -> dict[str, Any]:
    order = {"$ref": "#/components/schemas/Order"}
    return openapi(
        {
            "/orders": {
                "get": {
                    "parameters": [
                        {"name": "status", "in": "query", "schema": {"type": "string", "enum": ["open", "closed"]}}
                    ],
                    "responses": {
                        "200": {"description": "ok", "content": json_content({"type": "array", "items": order})}
                    },
                },
                "post": {
                    "requestBody": {
                        "required": True,
                        "content": json_content({"$ref": "#/components/schemas/NewOrder"}),
                    },
                    "responses": {"201": {"description": "created", "headers": {"Location": {"schema": STRING}}}},
                },
            },
            "/orders/{id}": {
                "parameters": [{"name": "id", "in": "path", "required": True, "schema": STRING}],
                "get": {
                    "operationId": "getOrder",
                    "responses": {
                        "200": {"description": "ok", "content": json_content(order)},
                        "404": {"description": "no"},
                    },
                },
                "delete": {"responses": {"204": {"description": "gone"}}},
            },
            "/legacy": {"get": {"responses": OK}},
        },
        {
            "Order": obj(
                ("id", "total"), id=STRING, total=NUMBER, note=STRING, status={**STRING, "enum": ["open", "closed"]}
            ),
            "NewOrder": obj(("sku",), sku=STRING, kind={**STRING, "enum": ["a", "b"]}),
        },
    )


class TestOperations:
    def test_identical_documents_have_no_changes(self) -> None:
        assert changes(orders_spec(), orders_spec()) == []

    def test_renaming_a_path_parameter_is_no_change(self) -> None:
        new = orders_spec()
        item = new["paths"].pop("/orders/{id}")
        item["parameters"][0]["name"] = "orderId"
        new["paths"]["/orders/{orderId}"] = item
        assert changes(orders_spec(), new) == []

    def test_paths_and_operations_removed_and_added(self) -> None:
        new = orders_spec()
        del new["paths"]["/legacy"]
        del new["paths"]["/orders/{id}"]["delete"]
        new["paths"]["/refunds"] = {"post": {"responses": OK}}
        found = {(c.kind, c.operation, c.breaking, c.document) for c in changes(orders_spec(), new)}
        assert found == {
            ("path-removed", "GET /legacy", True, "from"),
            ("operation-removed", "DELETE /orders/{id}", True, "from"),
            ("operation-added", "POST /refunds", False, "to"),
        }

    def test_deprecation_is_not_breaking(self) -> None:
        new = orders_spec()
        new["paths"]["/legacy"]["get"]["deprecated"] = True
        assert kinds(orders_spec(), new) == {("operation-deprecated", False)}

    def test_parameters(self) -> None:
        new = orders_spec()
        parameters = new["paths"]["/orders"]["get"]["parameters"]
        parameters[0]["schema"]["enum"] = ["open"]
        parameters.append({"name": "X-Tenant", "in": "header", "required": True, "schema": STRING})
        parameters.append({"name": "page", "in": "query", "schema": INTEGER})
        # Accept, Content-Type and Authorization header parameters are ignored by OpenAPI.
        parameters.append({"name": "Authorization", "in": "header", "required": True, "schema": STRING})
        found = {(c.kind, c.breaking, c.pointer) for c in changes(orders_spec(), new)}
        assert found == {
            ("enum-value-removed-from-request", True, "/paths/~1orders/get/parameters/0/schema/enum"),
            ("request-parameter-added-required", True, "/paths/~1orders/get/parameters/1"),
            ("request-parameter-added-optional", False, "/paths/~1orders/get/parameters/2"),
        }
        assert kinds(new, orders_spec()) == {
            ("request-enum-value-added", False),
            ("request-parameter-removed", False),
        }

    def test_parameter_made_required_and_optional(self) -> None:
        new = orders_spec()
        new["paths"]["/orders"]["get"]["parameters"][0]["required"] = True
        assert kinds(orders_spec(), new) == {("request-parameter-made-required", True)}
        assert kinds(new, orders_spec()) == {("request-parameter-made-optional", False)}

    def test_request_bodies(self) -> None:
        new = orders_spec()
        new["paths"]["/legacy"]["get"]["requestBody"] = {"required": True, "content": json_content(STRING)}
        assert kinds(orders_spec(), new) == {("request-body-added-required", True)}
        assert kinds(new, orders_spec()) == {("request-body-removed", False)}
        optional = orders_spec()
        optional["paths"]["/orders"]["post"]["requestBody"]["required"] = False
        assert kinds(optional, orders_spec()) == {("request-body-made-required", True)}
        assert kinds(orders_spec(), optional) == {("request-body-made-optional", False)}

    def test_media_types(self) -> None:
        new = orders_spec()
        content = new["paths"]["/orders"]["post"]["requestBody"]["content"]
        content["application/vnd.orders+json"] = content.pop("application/json")
        found = kinds(orders_spec(), new)
        assert found == {("request-media-type-removed", True), ("request-media-type-added", False)}

    def test_of_media_types_that_read_the_same_the_first_listed_is_compared(self) -> None:
        def spec(first: dict[str, Any], second: dict[str, Any]) -> dict[str, Any]:
            content = {"application/json": {"schema": first}, "Application/JSON; charset=utf-8": {"schema": second}}
            return openapi({"/things": {"get": {"responses": {"200": {"description": "ok", "content": content}}}}})

        both = obj(a=STRING, b=STRING)
        assert changes(spec(both, both), spec(both, obj(a=STRING))) == []
        found = [(c.kind, c.pointer) for c in changes(spec(both, both), spec(obj(a=STRING), both))]
        schema = "/paths/~1things/get/responses/200/content/application~1json/schema"
        assert found == [("response-field-removed", f"{schema}/properties/b")]

    def test_responses(self) -> None:
        new = orders_spec()
        responses = new["paths"]["/orders/{id}"]["get"]["responses"]
        del responses["404"]
        responses["409"] = {"description": "conflict"}
        del new["paths"]["/orders"]["post"]["responses"]["201"]["headers"]
        found = {(c.kind, c.breaking, c.operation) for c in changes(orders_spec(), new)}
        assert found == {
            ("response-status-removed", True, "GET /orders/{id}"),
            ("response-status-added", False, "GET /orders/{id}"),
            ("response-header-removed", True, "POST /orders"),
        }

    def test_a_status_still_covered_by_its_range_is_not_breaking_and_its_body_is_compared(self) -> None:
        new = orders_spec()
        responses = new["paths"]["/orders/{id}"]["get"]["responses"]
        responses["2XX"] = responses.pop("200")
        responses["2XX"]["content"] = json_content(obj(id=STRING))
        found = kinds(orders_spec(), new)
        assert ("response-status-removed", False) in found
        assert ("response-field-removed", True) in found

    def test_response_body_removed(self) -> None:
        new = orders_spec()
        del new["paths"]["/orders/{id}"]["get"]["responses"]["200"]["content"]
        assert kinds(orders_spec(), new) == {("response-body-removed", True)}

    def test_shared_definitions_are_reported_per_operation_and_breaking_changes_come_first(self) -> None:
        new = orders_spec()
        del new["components"]["schemas"]["Order"]["properties"]["note"]
        new["paths"]["/refunds"] = {"post": {"responses": OK}}
        found = changes(orders_spec(), new)
        assert [(c.kind, c.operation) for c in found] == [
            ("response-field-removed", "GET /orders"),
            ("response-field-removed", "GET /orders/{id}"),
            ("operation-added", "POST /refunds"),
        ]
        assert found[0].target.field == ("[]", "note")
        assert found[1].target.field == ("note",)

    def test_every_kind_is_catalogued(self) -> None:
        for change in changes(orders_spec(), openapi({"/other": {"get": {"responses": OK}}})):
            assert change.kind in KINDS


class TestDialects:
    def test_swagger_2(self) -> None:
        def swagger(body: dict[str, Any], answer: dict[str, Any], base: str = "/v1") -> dict[str, Any]:
            return {
                "swagger": "2.0",
                "info": {"title": "Orders", "version": "1"},
                "basePath": base,
                "paths": {
                    "/orders": {
                        "post": {
                            "parameters": [
                                {"name": "body", "in": "body", "required": True, "schema": body},
                                {"name": "mode", "in": "query", "type": "string", "enum": ["fast", "slow"]},
                            ],
                            "responses": {"200": {"description": "ok", "schema": answer}},
                        }
                    }
                },
            }

        old = swagger(obj(sku=STRING), obj(id=STRING, note=STRING))
        new = swagger(obj(("owner",), sku=STRING, owner=STRING), obj(id=STRING))
        new["paths"]["/orders"]["post"]["parameters"][1]["enum"] = ["fast"]
        found = {(c.kind, c.breaking, c.pointer) for c in changes(old, new)}
        assert found == {
            ("request-body-field-added-required", True, "/paths/~1orders/post/parameters/0/schema/properties/owner"),
            ("response-field-removed", True, "/paths/~1orders/post/responses/200/schema/properties/note"),
            ("enum-value-removed-from-request", True, "/paths/~1orders/post/parameters/1/enum"),
        }
        moved = swagger(obj(sku=STRING), obj(id=STRING, note=STRING), base="/v2")
        assert kinds(old, moved) == {("server-base-path-changed", True)}

    def test_swagger_2_form_fields(self) -> None:
        def form(required: bool) -> dict[str, Any]:
            field = {"name": "file", "in": "formData", "type": "file", "required": required}
            operation = {"consumes": ["multipart/form-data"], "parameters": [field], "responses": OK}
            return {"swagger": "2.0", "info": {"title": "t", "version": "1"}, "paths": {"/upload": {"post": operation}}}

        found = {(c.kind, c.breaking, c.pointer) for c in changes(form(False), form(True))}
        assert found == {
            ("request-body-made-required", True, "/paths/~1upload/post/parameters"),
            ("request-body-field-made-required", True, "/paths/~1upload/post/parameters/0"),
        }

    def test_openapi_3_1(self) -> None:
        old = response_spec(obj(a=STRING, n=INTEGER), version="3.1.0")
        new = response_spec(obj(a={"type": ["string", "null"]}, n=INTEGER), version="3.1.0")
        assert kinds(old, new) == {("response-field-made-nullable", True)}
        strict = request_spec(obj(n={**INTEGER, "exclusiveMinimum": 0}), version="3.1.0")
        lenient = request_spec(obj(n={**INTEGER, "minimum": 0}), version="3.1.0")
        assert kinds(lenient, strict) == {("request-constraint-tightened", True)}
        constant = request_spec(obj(kind={"const": "a"}), version="3.1.0")
        either = request_spec(obj(kind={"enum": ["a", "b"]}), version="3.1.0")
        assert kinds(either, constant) == {("enum-value-removed-from-request", True)}

    def test_servers_moving_break_every_caller(self) -> None:
        old, new = orders_spec(), orders_spec()
        old["servers"] = [{"url": "https://api.example.com/v1"}, {"url": "https://staging.example.com/v1"}]
        new["servers"] = [{"url": "https://api.example.com/{version}", "variables": {"version": {"default": "v2"}}}]
        [moved] = changes(old, new)
        assert (moved.kind, moved.breaking, moved.operation) == ("server-base-path-changed", True, "*")
        new["servers"].append({"url": "/v1"})
        assert changes(old, new) == []


# Matching exchanges to changes ---------------------------------------------------------------------------


def hits(old: dict[str, Any], new: dict[str, Any], *exchanges: Exchange) -> dict[str, set[str]]:
    """{kind of change: keys of the exchanges it concerns}."""
    diff = diff_documents(old, new)
    matcher = UsageMatcher(diff.changes, diff.old, OperationIndex.from_document(old))
    found: dict[str, set[str]] = {}
    for position, keys in matcher.hits(exchanges).items():
        found.setdefault(diff.changes[position].kind, set()).update(keys)
    return found


def get_order(key: str, body: Any, status: int = 200, path: str = "/orders/1") -> Exchange:
    return Exchange(key=key, method="GET", path=path, status=status, response_body=body)


def post_order(key: str, body: Any, **fields: Any) -> Exchange:
    return Exchange(key=key, method="POST", path="/orders", body=body, status=201, **fields)


class TestUsage:
    def test_removed_response_field_concerns_only_readers_of_it(self) -> None:
        new = orders_spec()
        del new["components"]["schemas"]["Order"]["properties"]["note"]
        found = hits(
            orders_spec(),
            new,
            get_order("reads-note", {"id": "1", "total": 2, "note": "x"}),
            get_order("no-note", {"id": "1", "total": 2}),
            get_order("missing", {"note": "x"}, status=404),
            Exchange(key="list", method="GET", path="/orders", status=200, response_body=[{"id": "1"}, {"note": "y"}]),
        )
        assert found == {"response-field-removed": {"reads-note", "list"}}

    def test_removed_request_enum_value_concerns_only_senders_of_it(self) -> None:
        new = orders_spec()
        new["components"]["schemas"]["NewOrder"]["properties"]["kind"]["enum"] = ["a"]
        new["paths"]["/orders"]["get"]["parameters"][0]["schema"]["enum"] = ["open"]
        found = hits(
            orders_spec(),
            new,
            post_order("sends-b", {"sku": "s", "kind": "b"}),
            post_order("sends-a", {"sku": "s", "kind": "a"}),
            Exchange(key="closed", method="GET", path="/orders", query={"status": ["closed"]}, status=200),
            Exchange(key="open", method="GET", path="/orders", query={"status": ["open"]}, status=200),
        )
        assert found == {"enum-value-removed-from-request": {"sends-b", "closed"}}

    def test_new_requirements_concern_those_who_lack_them(self) -> None:
        new = orders_spec()
        new["components"]["schemas"]["NewOrder"]["required"] = ["sku", "owner"]
        new["components"]["schemas"]["NewOrder"]["properties"]["owner"] = STRING
        new["paths"]["/orders"]["get"]["parameters"].append({"name": "X-Tenant", "in": "header", "required": True})
        found = hits(
            orders_spec(),
            new,
            post_order("without-owner", {"sku": "s"}),
            post_order("with-owner", {"sku": "s", "owner": "o"}),
            Exchange(key="no-header", method="GET", path="/orders", status=200),
            Exchange(key="header", method="GET", path="/orders", headers={"x-tenant": "t"}, status=200),
        )
        assert found == {
            "request-body-field-added-required": {"without-owner"},
            "request-parameter-added-required": {"no-header"},
        }

    def test_removed_operations_concern_their_callers_through_the_base_path(self) -> None:
        old = orders_spec()
        old["servers"] = [{"url": "https://api.example.com/v1"}]
        new = copy.deepcopy(old)
        del new["paths"]["/legacy"]
        found = hits(
            old,
            new,
            Exchange(key="legacy", method="GET", path="/v1/legacy?x=1", status=200),
            Exchange(key="order", method="GET", path="/v1/orders/1", status=200),
            Exchange(key="unknown", method="GET", path="/v1/nothing", status=200),
        )
        assert found == {"path-removed": {"legacy"}}

    def test_removed_status_concerns_who_received_it(self) -> None:
        new = orders_spec()
        del new["paths"]["/orders/{id}"]["get"]["responses"]["404"]
        found = hits(orders_spec(), new, get_order("found", {"id": "1"}), get_order("lost", None, status=404))
        assert found == {"response-status-removed": {"lost"}}

    def test_a_tightened_parameter_bound_concerns_only_values_it_refuses(self) -> None:
        def listing(**limit: Any) -> dict[str, Any]:
            parameter = {"name": "limit", "in": "query", "schema": {"type": "integer", "minimum": 1, **limit}}
            code = {"name": "code", "in": "header", "schema": {"type": "string", "maxLength": 8}}
            return openapi({"/orders": {"get": {"parameters": [parameter, code], "responses": OK}}})

        def listing_of(key: str, limit: str | None = None, code: str | None = None) -> Exchange:
            query = {"limit": [limit]} if limit is not None else {}
            headers = {"x-code": code} if code is not None else {}
            return Exchange(key=key, method="GET", path="/orders", query=query, headers=headers, status=200)

        old, new = listing(maximum=100), listing(maximum=50)
        new["paths"]["/orders"]["get"]["parameters"][1] = {
            "name": "X-Code", "in": "header", "schema": {"type": "string", "maxLength": 4, "pattern": "^[A-Z]+$"},
        }  # fmt: skip
        old["paths"]["/orders"]["get"]["parameters"][1]["name"] = "X-Code"
        found = hits(
            old,
            new,
            listing_of("ten", "10"),
            listing_of("fifty", "50"),
            listing_of("eighty", "80"),
            listing_of("not-a-number", "many"),
            listing_of("short-code", code="AB"),
            listing_of("long-code", code="ABCDEF"),
            listing_of("lowercase-code", code="ab"),
            listing_of("nothing"),
        )
        assert found == {"request-constraint-tightened": {"eighty", "not-a-number", "long-code", "lowercase-code"}}

    def test_a_tightened_body_field_bound_concerns_only_values_it_refuses(self) -> None:
        def with_lines(line: dict[str, Any], lines: dict[str, Any]) -> dict[str, Any]:
            spec = orders_spec()
            new_order = spec["components"]["schemas"]["NewOrder"]
            new_order["properties"]["quantity"] = line
            new_order["properties"]["notes"] = {"type": "array", "items": STRING, **lines}
            return spec

        old = with_lines({"type": "integer", "maximum": 100}, {})
        new = with_lines({"type": "integer", "maximum": 100, "exclusiveMaximum": True, "multipleOf": 5}, {
            "maxItems": 2, "uniqueItems": True,
        })  # fmt: skip
        found = hits(
            old,
            new,
            post_order("five", {"sku": "s", "quantity": 5}),
            post_order("hundred", {"sku": "s", "quantity": 100}),
            post_order("seven", {"sku": "s", "quantity": 7}),
            post_order("two-notes", {"sku": "s", "notes": ["a", "b"]}),
            post_order("three-notes", {"sku": "s", "notes": ["a", "b", "c"]}),
            post_order("same-notes", {"sku": "s", "notes": ["a", "a"]}),
            post_order("none", {"sku": "s"}),
        )
        assert found == {"request-constraint-tightened": {"hundred", "seven", "three-notes", "same-notes"}}

    def test_a_tightened_bound_inside_array_items_and_unreadable_bodies(self) -> None:
        old = request_spec({"type": "array", "items": {"type": "string", "minLength": 1}})
        new = request_spec({"type": "array", "items": {"type": "string", "minLength": 3}})
        found = hits(
            old,
            new,
            Exchange(key="long", method="POST", path="/things", body=["abc", "defg"], status=200),
            Exchange(key="one-short", method="POST", path="/things", body=["abc", "de"], status=200),
        )
        assert found == {"request-constraint-tightened": {"one-short"}}
        # A body Accord couldn't read can't be judged: it is taken to be concerned.
        old, new = request_spec({"type": "string", "maxLength": 10}), request_spec({"type": "string", "maxLength": 5})
        unreadable = Exchange(key="opaque", method="POST", path="/things", body=OPAQUE, status=200)
        assert hits(old, new, unreadable) == {"request-constraint-tightened": {"opaque"}}

    def test_path_parameter_values(self) -> None:
        def reports(kinds: list[str]) -> dict[str, Any]:
            parameter = {"name": "kind", "in": "path", "required": True, "schema": {"type": "string", "enum": kinds}}
            return openapi({"/reports/{kind}.csv": {"get": {"parameters": [parameter], "responses": OK}}})

        found = hits(
            reports(["daily", "weekly"]),
            reports(["daily"]),
            Exchange(key="weekly", method="GET", path="/reports/weekly.csv", status=200),
            Exchange(key="daily", method="GET", path="/reports/daily.csv", status=200),
        )
        assert found == {"enum-value-removed-from-request": {"weekly"}}

    def test_pact_documents_of_every_version(self) -> None:
        v2 = {
            "interactions": [
                {"description": "find open", "request": {"method": "GET", "path": "/orders", "query": "status=open&x="},
                 "response": {"status": 200, "body": [{"note": "n"}]}},
            ],
            "metadata": {"pactSpecification": {"version": "2.0.0"}},
        }  # fmt: skip
        [found] = exchanges_of("pact", v2)
        assert (found.key, found.query, found.response_body) == (
            "find open",
            {"status": ["open"], "x": [""]},
            [{"note": "n"}],
        )
        v4 = {
            "interactions": [
                {"type": "Synchronous/HTTP", "key": "k1", "description": "create",
                 "request": {"method": "POST", "path": "/orders", "headers": {"Content-Type": ["application/json"]},
                             "body": {"contentType": "application/json", "encoded": False, "content": {"sku": "s"}}},
                 "response": {"status": 201}},
                {"type": "Asynchronous/Messages", "key": "k2", "description": "event", "contents": {}},
            ],
            "metadata": {"pactSpecification": {"version": "4.0"}},
        }  # fmt: skip
        [created] = exchanges_of("pact", v4)
        assert (created.key, created.body, created.headers) == (
            "k1",
            {"sku": "s"},
            {"content-type": "application/json"},
        )
        assert exchanges_of("pact", {"interactions": "nonsense"}) == []
        assert exchanges_of("interactions", None) == []


# The endpoint ----------------------------------------------------------------------------------------------


def upload_spec(client: Any, tenant: Any, version: str, document: dict[str, Any], service: str = "orders") -> None:
    response = client.post(
        f"/api/services/{service}/versions/{version}/spec",
        content=json.dumps(document),
        headers={**tenant.headers(tenant.write_key), "Content-Type": "application/json"},
    )
    assert response.status_code == 201, response.text


def item(
    consumer: str, version: str, method: str, path: str, *, body: Any = None, answer: Any = None, status: int = 200
) -> dict[str, Any]:
    return {
        "consumer": consumer,
        "consumer_version": version,
        "provider": "orders",
        "request": {"method": method, "path": path, "headers": {"Content-Type": "application/json"}, "body": body},
        "response": {"status": status, "headers": {"Content-Type": "application/json"}, "body": answer},
    }  # fmt: skip


def record(client: Any, tenant: Any, items: list[dict[str, Any]]) -> None:
    response = client.post("/api/interactions/batch", json={"items": items}, headers=tenant.headers(tenant.write_key))
    assert response.status_code == 200, response.text
    assert response.json()["errors"] == 0, response.text


def deploy(client: Any, tenant: Any, service: str, version: str, environment: str) -> None:
    body = {"service": service, "version": version, "environment": environment}
    response = client.post("/api/deployments", json=body, headers=tenant.headers(tenant.write_key))
    assert response.status_code == 201, response.text


def release(client: Any, tenant: Any, service: str, version: str, environment: str) -> None:
    body = {"service": service, "version": version, "environment": environment}
    response = client.post("/api/releases", json=body, headers=tenant.headers(tenant.write_key))
    assert response.status_code == 201, response.text


def interaction_key(client: Any, tenant: Any, consumer: str, version: str, path: str, body: Any = None) -> str:
    """The key (content hash) of a consumer version's recorded interaction with this path and request body."""
    params = {"consumer": consumer, "consumer_version": version}
    page = client.get("/api/interactions", params=params, headers=tenant.headers()).json()
    [found] = [i for i in page["items"] if (i["request"]["path"], i["request"]["body"]) == (path, body)]
    return str(found["content_hash"])


def publish_pact(client: Any, tenant: Any, consumer: str, version: str, pact: dict[str, Any]) -> None:
    content = base64.b64encode(json.dumps(pact).encode()).decode()
    body = {
        "pacticipantName": consumer,
        "pacticipantVersionNumber": version,
        "contracts": [
            {"consumerName": consumer, "providerName": "orders", "specification": "pact",
             "contentType": "application/json", "content": content},
        ],
    }  # fmt: skip
    response = client.post("/contracts/publish", json=body, headers=tenant.headers())
    assert response.status_code == 200, response.text


def version_2() -> dict[str, Any]:
    """orders_spec without GET /legacy, without Order.note, and without the request kind 'b'."""
    new = orders_spec()
    del new["paths"]["/legacy"]
    del new["components"]["schemas"]["Order"]["properties"]["note"]
    new["components"]["schemas"]["NewOrder"]["properties"]["kind"]["enum"] = ["a"]
    new["paths"]["/refunds"] = {"post": {"responses": OK}}
    return new


def diff(client: Any, tenant: Any, **params: str) -> Any:
    return client.get("/api/services/orders/spec-diff", params=params, headers=tenant.headers(tenant.read_key))


class TestEndpoint:
    def test_a_lowered_maximum_affects_only_consumers_that_send_more(self, client: Any, tenant_a: Any) -> None:
        def listing(maximum: int) -> dict[str, Any]:
            limit = {"name": "limit", "in": "query", "schema": {"type": "integer", "minimum": 1, "maximum": maximum}}
            return openapi({"/orders": {"get": {"parameters": [limit], "responses": OK}}})

        upload_spec(client, tenant_a, "1.0", listing(100))
        upload_spec(client, tenant_a, "2.0", listing(50))
        record(client, tenant_a, [
            {**item("web", "1", "GET", "/orders"), "request": {"method": "GET", "path": "/orders",
                                                              "query": {"limit": ["10"]}}},
            {**item("mobile", "1", "GET", "/orders"), "request": {"method": "GET", "path": "/orders",
                                                                 "query": {"limit": ["80"]}}},
        ])  # fmt: skip
        deploy(client, tenant_a, "web", "1", "production")
        deploy(client, tenant_a, "mobile", "1", "production")

        report = diff(client, tenant_a, **{"from": "1.0", "to": "2.0"}).json()
        assert [(c["kind"], c["breaking"]) for c in report["changes"]] == [("request-constraint-tightened", True)]
        assert [a["consumer"] for a in report["affected"]] == ["mobile"]

    def test_lists_exactly_the_running_consumer_versions_that_use_what_breaks(self, client: Any, tenant_a: Any) -> None:
        upload_spec(client, tenant_a, "1.0", orders_spec())
        upload_spec(client, tenant_a, "2.0", version_2())
        note = {"id": "1", "total": 5, "note": "gift"}
        record(client, tenant_a, [
            item("web", "0.9", "GET", "/orders/1", answer=note),
            item("web", "1.0", "GET", "/orders/1", answer=note),
            item("web", "1.0", "GET", "/orders", answer=[{"id": "1", "total": 5}]),
            item("billing", "3", "GET", "/orders/7", answer={"id": "7", "total": 1}),
            item("billing", "3", "DELETE", "/orders/7", status=204),
            item("mobile", "7.0", "POST", "/orders", body={"sku": "s", "kind": "a"}, status=201),
            item("mobile", "7.1", "POST", "/orders", body={"sku": "s", "kind": "b"}, status=201),
            item("mobile", "7.1", "POST", "/orders", body={"sku": "t"}, status=201),
            item("reports", "2", "GET", "/legacy"),
            item("ghost", "1", "GET", "/legacy"),
        ])  # fmt: skip
        pact = {
            "consumer": {"name": "partner"},
            "provider": {"name": "orders"},
            "interactions": [
                {"description": "an order with its note", "request": {"method": "GET", "path": "/orders/3"},
                 "response": {"status": 200, "body": {"id": "3", "note": "n"}}},
                {"description": "orders", "request": {"method": "GET", "path": "/orders"},
                 "response": {"status": 200, "body": [{"id": "3"}]}},
            ],
            "metadata": {"pactSpecification": {"version": "3.0.0"}},
        }  # fmt: skip
        publish_pact(client, tenant_a, "partner", "5", pact)
        deploy(client, tenant_a, "web", "0.9", "production")
        deploy(client, tenant_a, "web", "1.0", "production")  # replaces 0.9 there
        deploy(client, tenant_a, "web", "1.0", "staging")
        deploy(client, tenant_a, "billing", "3", "production")
        release(client, tenant_a, "mobile", "7.0", "production")
        release(client, tenant_a, "mobile", "7.1", "production")
        deploy(client, tenant_a, "reports", "2", "staging")
        deploy(client, tenant_a, "partner", "5", "production")
        deploy(client, tenant_a, "orders", "1.0", "production")  # the provider itself is no consumer

        response = diff(client, tenant_a, **{"from": "1.0", "to": "2.0"})
        assert response.status_code == 200, response.text
        report = response.json()
        assert (report["service"], report["from"], report["to"], report["breaking"]) == ("orders", "1.0", "2.0", True)
        assert len(report["from_sha"]) == len(report["to_sha"]) == 64
        assert report["from_sha"] != report["to_sha"]
        index = {(c["kind"], c["operation"]): position for position, c in enumerate(report["changes"])}
        assert set(index) == {
            ("path-removed", "GET /legacy"),
            ("response-field-removed", "GET /orders"),
            ("response-field-removed", "GET /orders/{id}"),
            ("enum-value-removed-from-request", "POST /orders"),
            ("operation-added", "POST /refunds"),
        }
        removed_note = report["changes"][index[("response-field-removed", "GET /orders/{id}")]]
        assert removed_note == {
            "kind": "response-field-removed",
            "breaking": True,
            "operation": "GET /orders/{id}",
            "pointer": "/components/schemas/Order/properties/note",
            "document": "from",
            "message": "`note` in the 200 response body was removed.",
        }
        assert not report["changes"][index[("operation-added", "POST /refunds")]]["breaking"]

        web = interaction_key(client, tenant_a, "web", "1.0", "/orders/1")
        mobile = interaction_key(client, tenant_a, "mobile", "7.1", "/orders", {"sku": "s", "kind": "b"})
        reports = interaction_key(client, tenant_a, "reports", "2", "/legacy")
        note_change = index[("response-field-removed", "GET /orders/{id}")]
        kind_change = index[("enum-value-removed-from-request", "POST /orders")]
        legacy_change = index[("path-removed", "GET /legacy")]
        fields = ("consumer", "consumer_version", "environment", "deployed", "released", "changes", "interactions")
        affected = [tuple(entry[field] for field in fields) for entry in report["affected"]]
        assert affected == [
            ("mobile", "7.1", "production", False, True, [kind_change], [mobile]),
            ("partner", "5", "production", True, False, [note_change], ["an order with its note"]),
            ("reports", "2", "staging", True, False, [legacy_change], [reports]),
            ("web", "1.0", "production", True, False, [note_change], [web]),
            ("web", "1.0", "staging", True, False, [note_change], [web]),
        ]
        assert report["affected"][0]["impacts"] == [{"change": kind_change, "interactions": [mobile]}]

        # Undeploying or ending support takes a consumer version off the list.
        h = tenant_a.headers()
        mobile_7_1 = {"service": "mobile", "version": "7.1", "environment": "production"}
        assert client.post("/api/releases/end-support", json=mobile_7_1, headers=h).status_code == 200
        web_staging = {"service": "web", "environment": "staging"}
        assert client.post("/api/deployments/undeploy", json=web_staging, headers=h).status_code == 200
        again = diff(client, tenant_a, **{"from": "1.0", "to": "2.0"}).json()
        assert [(a["consumer"], a["environment"]) for a in again["affected"]] == [
            ("partner", "production"),
            ("reports", "staging"),
            ("web", "production"),
        ]

    def test_a_version_released_and_deployed_to_one_environment_is_listed_once(
        self, client: Any, tenant_a: Any
    ) -> None:
        upload_spec(client, tenant_a, "1.0", orders_spec())
        upload_spec(client, tenant_a, "2.0", version_2())
        record(client, tenant_a, [item("web", "1", "GET", "/legacy")])
        deploy(client, tenant_a, "web", "1", "production")
        release(client, tenant_a, "web", "1", "production")
        [entry] = diff(client, tenant_a, **{"from": "1.0", "to": "2.0"}).json()["affected"]
        assert (entry["environment"], entry["deployed"], entry["released"]) == ("production", True, True)

    def test_reverse_and_identical_diffs(self, client: Any, tenant_a: Any) -> None:
        upload_spec(client, tenant_a, "1.0", orders_spec())
        upload_spec(client, tenant_a, "2.0", version_2())
        record(client, tenant_a, [item("web", "1", "GET", "/orders/1", answer={"id": "1"})])
        deploy(client, tenant_a, "web", "1", "production")
        back = diff(client, tenant_a, **{"from": "2.0", "to": "1.0"}).json()
        assert {(c["kind"], c["breaking"]) for c in back["changes"]} == {
            ("operation-added", False),  # GET /legacy
            ("path-removed", True),  # POST /refunds
            ("response-field-added", False),
            ("request-enum-value-added", False),
        }
        assert back["affected"] == []
        same = diff(client, tenant_a, **{"from": "1.0", "to": "1.0"}).json()
        assert (same["breaking"], same["changes"], same["affected"]) == (False, [], [])

    def test_missing_versions_and_specs_are_404(self, client: Any, tenant_a: Any) -> None:
        upload_spec(client, tenant_a, "1.0", orders_spec())
        client.post("/api/services/orders/versions", json={"number": "1.5"}, headers=tenant_a.headers())
        for params in ({"from": "1.0", "to": "9.9"}, {"from": "9.9", "to": "1.0"}, {"from": "1.0", "to": "1.5"}):
            response = diff(client, tenant_a, **params)
            assert response.status_code == 404, params
            assert response.json()["type"] == PROBLEM + "not-found"
        assert "has no spec" in diff(client, tenant_a, **{"from": "1.0", "to": "1.5"}).json()["detail"]
        unknown = client.get(
            "/api/services/nothing/spec-diff", params={"from": "1", "to": "2"}, headers=tenant_a.headers()
        )
        assert unknown.status_code == 404

    @pytest.mark.parametrize("params", [{"to": "2.0"}, {"from": "1.0"}, {}, {"from": "", "to": "2.0"}])
    def test_missing_parameters_are_422(self, client: Any, tenant_a: Any, params: dict[str, str]) -> None:
        response = diff(client, tenant_a, **params)
        assert response.status_code == 422
        assert response.json()["type"] == PROBLEM + "validation-failed"

    def test_isolation(self, client: Any, tenant_a: Any, tenant_b: Any) -> None:
        upload_spec(client, tenant_a, "1.0", orders_spec())
        upload_spec(client, tenant_a, "2.0", version_2())
        record(client, tenant_a, [item("web", "1", "GET", "/legacy")])
        deploy(client, tenant_a, "web", "1", "production")
        params = {"from": "1.0", "to": "2.0"}
        assert len(diff(client, tenant_a, **params).json()["affected"]) == 1

        hidden = diff(client, tenant_b, **params)
        assert hidden.status_code == 404
        assert hidden.json()["type"] == PROBLEM + "not-found"
        # B's own provider of the same name, with the same specs, sees none of A's consumers ...
        upload_spec(client, tenant_b, "1.0", orders_spec())
        upload_spec(client, tenant_b, "2.0", version_2())
        report = diff(client, tenant_b, **params).json()
        assert report["breaking"] is True
        assert report["affected"] == []
        # ... and A's report doesn't change because of B's consumers.
        record(client, tenant_b, [item("web", "1", "GET", "/legacy"), item("mobile", "1", "GET", "/legacy")])
        deploy(client, tenant_b, "mobile", "1", "production")
        assert [a["consumer"] for a in diff(client, tenant_b, **params).json()["affected"]] == ["mobile"]
        assert [a["consumer"] for a in diff(client, tenant_a, **params).json()["affected"]] == ["web"]
