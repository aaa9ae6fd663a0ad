"""The mock of a provider version (/mock/{provider}/{selector}/{path}): a consumer test suite calling it through
a real HTTP client against a running server, plus selectors, isolation and cache invalidation."""

from __future__ import annotations

import json
from collections.abc import Iterator
from typing import Any

import httpx
import pytest

from accord.compatibility.spec_model import CompiledSpec

PROBLEM = "urn:accord:problem:"

ORDER = {
    "type": "object",
    "required": ["id", "sku", "status"],
    "properties": {
        "id": {"type": "integer", "minimum": 1},
        "sku": {"type": "string", "pattern": "^[A-Z]+-[0-9]+$"},
        "quantity": {"type": "integer", "minimum": 1, "maximum": 99},
        "status": {"type": "string", "enum": ["open", "closed"]},
        "created": {"type": "string", "format": "date-time"},
        "note": {"type": "string", "nullable": True, "minLength": 12},
        "secret": {"type": "string", "writeOnly": True},
        "lines": {
            "type": "array",
            "minItems": 2,
            "items": {"$ref": "#/components/schemas/Line"},
        },
        "customer": {
            "allOf": [
                {"$ref": "#/components/schemas/Named"},
                {
                    "type": "object",
                    "required": ["email"],
                    "properties": {"email": {"type": "string", "format": "email"}},
                },
            ]
        },
        "payment": {"oneOf": [{"$ref": "#/components/schemas/Card"}, {"type": "string"}]},
    },
}

SPEC: dict[str, Any] = {
    "openapi": "3.0.3",
    "info": {"title": "orders", "version": "1.0.0"},
    "paths": {
        "/orders/{id}": {
            "get": {
                "operationId": "getOrder",
                "parameters": [{"name": "id", "in": "path", "required": True, "schema": {"type": "integer"}}],
                "responses": {
                    "200": {
                        "description": "the order",
                        "content": {"application/json": {"schema": {"$ref": "#/components/schemas/Order"}}},
                    },
                    "404": {"description": "no such order"},
                },
            }
        },
        "/orders": {
            "get": {
                "operationId": "listOrders",
                "parameters": [
                    {"name": "status", "in": "query", "schema": {"type": "string", "enum": ["open", "closed"]}}
                ],
                "responses": {
                    "200": {
                        "description": "orders",
                        "content": {
                            "application/json": {
                                "schema": {"type": "array", "items": {"$ref": "#/components/schemas/Order"}}
                            }
                        },
                    }
                },
            },
            "post": {
                "operationId": "createOrder",
                "requestBody": {
                    "required": True,
                    "content": {"application/json": {"schema": {"$ref": "#/components/schemas/NewOrder"}}},
                },
                "responses": {
                    "201": {
                        "description": "created",
                        "content": {
                            "application/json": {
                                "schema": {"$ref": "#/components/schemas/Order"},
                                "example": {"id": 99, "sku": "EX-1", "status": "open"},
                            }
                        },
                    }
                },
            },
        },
        "/health": {"get": {"operationId": "health", "responses": {"204": {"description": "up"}}}},
        "/reports": {
            "get": {
                "operationId": "getReport",
                "responses": {"200": {"description": "a report", "content": {"text/csv": {}}}},
            }
        },
    },
    "components": {
        "schemas": {
            "Order": ORDER,
            "NewOrder": {
                "type": "object",
                "required": ["sku", "quantity"],
                "additionalProperties": False,
                "properties": {"sku": {"type": "string"}, "quantity": {"type": "integer", "minimum": 1}},
            },
            "Line": {
                "type": "object",
                "required": ["sku"],
                "properties": {"sku": {"type": "string"}, "quantity": {"type": "integer", "multipleOf": 5}},
            },
            "Named": {"type": "object", "required": ["name"], "properties": {"name": {"type": "string"}}},
            "Card": {"type": "object", "required": ["last4"], "properties": {"last4": {"type": "string"}}},
        }
    },
}


def _api(base_url: str, key: str) -> httpx.Client:
    return httpx.Client(base_url=base_url, headers={"Authorization": f"Bearer {key}"}, timeout=30)


def upload_spec(api: Any, spec: dict[str, Any] = SPEC, version: str = "1.0.0", *, replace: bool = False) -> None:
    response = api.post(
        f"/api/services/orders/versions/{version}/spec" + ("?replace=true" if replace else ""),
        content=json.dumps(spec),
        headers={"Content-Type": "application/json"},
    )
    assert response.status_code in (200, 201), response.text


def approved_fixture(api: Any, path: str, body: dict[str, Any], *, version: str = "1.0.0", approve: bool = True) -> str:
    proposed = api.post(
        "/api/fixtures",
        json={
            "provider": "orders",
            "provider_version": version,
            "operation": "getOrder",
            "request": {"method": "GET", "path": path},
            "response": {"status": 200, "headers": {"Content-Type": "application/json"}, "body": body},
        },
    )
    assert proposed.status_code == 201, proposed.text
    fixture_id: str = proposed.json()["id"]
    if approve:
        assert api.post(f"/api/fixtures/{fixture_id}/approve").status_code == 200
    return fixture_id


def response_schema(method: str, template: str, status: str) -> Any:
    spec = CompiledSpec(SPEC, "test")
    operation = spec.operation(method, template)
    assert operation is not None
    body = operation.responses[status].body
    assert body is not None
    return spec, body.media["application/json"].schema


class TestConsumerSuite:
    """What a consumer's CI sees, through httpx against `accord serve`."""

    @pytest.fixture
    def mock(self, live_server: Any, live_tenant: Any) -> Iterator[httpx.Client]:
        with _api(live_server.base_url, live_tenant.write_key) as api:
            upload_spec(api)
            self.fixture_id = approved_fixture(api, "/orders/1", {"id": 1, "sku": "AB-1", "status": "open"})
        # Consumers hold a read key only.
        with _api(f"{live_server.base_url}/mock/orders/1.0.0", live_tenant.read_key) as client:
            yield client

    def test_fixture_hit(self, mock: httpx.Client) -> None:
        response = mock.get("/orders/1")
        assert response.status_code == 200
        assert response.json() == {"id": 1, "sku": "AB-1", "status": "open"}
        assert response.headers["Accord-Mock-Source"] == "fixture"
        assert response.headers["Accord-Mock-Fixture"] == self.fixture_id
        assert response.headers["content-type"].startswith("application/json")

    def test_similar_fixture_hit(self, mock: httpx.Client) -> None:
        response = mock.get("/orders/2")
        assert response.status_code == 200
        assert response.json() == {"id": 1, "sku": "AB-1", "status": "open"}
        assert response.headers["Accord-Mock-Source"] == "similar-fixture"
        assert response.headers["Accord-Mock-Fixture"] == self.fixture_id
        assert 0.5 < float(response.headers["Accord-Mock-Score"]) < 1

    def test_spec_example(self, mock: httpx.Client) -> None:
        response = mock.post("/orders", json={"sku": "AB-2", "quantity": 2})
        assert response.status_code == 201
        assert response.json() == {"id": 99, "sku": "EX-1", "status": "open"}
        assert response.headers["Accord-Mock-Source"] == "spec-example"

    def test_schema_generated_body_is_valid_against_the_spec(self, mock: httpx.Client) -> None:
        response = mock.get("/orders", params={"status": "open"})
        assert response.status_code == 200
        assert response.headers["Accord-Mock-Source"] == "schema"
        spec, schema = response_schema("get", "/orders", "200")
        body = response.json()
        assert spec.engine("response").errors(schema, body) == []
        assert len(body) == 1
        assert "secret" not in body[0]

    def test_documented_without_a_body(self, mock: httpx.Client) -> None:
        response = mock.get("/health")
        assert (response.status_code, response.content) == (204, b"")

    def test_invalid_request_is_400_with_the_specs_complaint(self, mock: httpx.Client) -> None:
        response = mock.post("/orders", json={"sku": "AB-2", "quantity": 0, "colour": "red"})
        assert response.status_code == 400
        problem = response.json()
        assert problem["type"] == PROBLEM + "request-not-in-spec"
        details = " ".join(error["detail"] for error in problem["errors"])
        assert "quantity" in details
        assert "colour" in details
        assert mock.get("/orders/abc").status_code == 400
        assert mock.get("/orders", params={"status": "lost"}).status_code == 400
        assert (
            mock.post("/orders", content=b"{not json", headers={"Content-Type": "application/json"}).status_code == 400
        )

    def test_what_the_spec_lacks_is_explained(self, mock: httpx.Client) -> None:
        unknown = mock.get("/invoices/1")
        assert unknown.status_code == 404
        assert "no path" in unknown.json()["detail"]
        wrong_method = mock.delete("/orders/1")
        assert wrong_method.status_code == 404
        assert "only GET" in wrong_method.json()["detail"]
        no_schema = mock.get("/reports")
        assert no_schema.status_code == 501
        assert no_schema.json()["type"] == PROBLEM + "nothing-to-answer"


def test_schema_generation_for_every_shape_is_valid() -> None:
    spec, schema = response_schema("get", "/orders/{id}", "200")
    from accord.mock.generation import SchemaGenerator

    value = SchemaGenerator(spec.converted).value(schema)
    assert spec.engine("response").errors(schema, value) == []
    assert len(value["lines"]) == 2
    assert value["customer"]["email"] == "user@example.com"


class TestSelectorsIsolationAndCache:
    def test_branch_and_environment_selectors(self, client: Any, tenant_a: Any) -> None:
        headers = tenant_a.headers()
        for version, body in (
            ("1.0.0", {"id": 1, "sku": "OLD-1", "status": "open"}),
            ("2.0.0", {"id": 2, "sku": "NEW-2", "status": "open"}),
        ):
            response = client.post(
                f"/api/services/orders/versions/{version}/spec",
                content=json.dumps(SPEC),
                headers={**headers, "Content-Type": "application/json"},
            )
            assert response.status_code == 201
            assert client.post(
                "/api/services/orders/versions", json={"number": version, "branches": ["main"]}, headers=headers
            ).status_code in (200, 201)
            proposed = client.post(
                "/api/fixtures",
                json={
                    "provider": "orders",
                    "provider_version": version,
                    "operation": "getOrder",
                    "request": {"method": "GET", "path": "/orders/1"},
                    "response": {"status": 200, "body": body},
                },
                headers=headers,
            )
            assert client.post(f"/api/fixtures/{proposed.json()['id']}/approve", headers=headers).status_code == 200
        deployed = client.post(
            "/api/deployments",
            json={"service": "orders", "version": "1.0.0", "environment": "production"},
            headers=headers,
        )
        assert deployed.status_code == 201, deployed.text
        read = tenant_a.headers(tenant_a.read_key)
        assert client.get("/mock/orders/branch:main/orders/1", headers=read).json()["sku"] == "NEW-2"
        assert client.get("/mock/orders/environment:production/orders/1", headers=read).json()["sku"] == "OLD-1"
        assert client.get("/mock/orders/1.0.0/orders/1", headers=read).json()["sku"] == "OLD-1"
        for selector in ("3.0.0", "branch:nope", "environment:staging"):
            missing = client.get(f"/mock/orders/{selector}/orders/1", headers=read)
            assert missing.status_code == 404
            assert missing.json()["type"] == PROBLEM + "not-found"

    def test_a_recorded_interaction_answers_when_no_fixture_does(self, client: Any, tenant_a: Any) -> None:
        upload_spec(_TestClientApi(client, tenant_a.headers()))
        recorded = client.post(
            "/api/interactions",
            json={
                "consumer": "web",
                "consumer_version": "1",
                "provider": "orders",
                "request": {"method": "GET", "path": "/orders/3"},
                "response": {"status": 200, "body": {"id": 3, "sku": "REC-3", "status": "open"}},
            },
            headers=tenant_a.headers(),
        )
        assert recorded.status_code == 201
        read = tenant_a.headers(tenant_a.read_key)
        answered = client.get("/mock/orders/1.0.0/orders/3", headers=read)
        assert (answered.headers["Accord-Mock-Source"], answered.json()["sku"]) == ("recorded", "REC-3")
        # Only exactly that request: another id is generated from the schema.
        assert client.get("/mock/orders/1.0.0/orders/4", headers=read).headers["Accord-Mock-Source"] == "schema"

    def test_another_tenants_mock_is_404(self, client: Any, tenant_a: Any, tenant_b: Any) -> None:
        upload_spec(_TestClientApi(client, tenant_a.headers()))
        assert client.get("/mock/orders/1.0.0/orders/1", headers=tenant_a.headers(tenant_a.read_key)).status_code == 200
        other = client.get("/mock/orders/1.0.0/orders/1", headers=tenant_b.headers(tenant_b.read_key))
        assert other.status_code == 404
        assert other.json()["type"] == PROBLEM + "not-found"
        assert client.get("/mock/orders/1.0.0/orders/1").status_code == 401

    def test_approval_and_spec_change_take_effect_at_once(self, client: Any, tenant_a: Any) -> None:
        api = _TestClientApi(client, tenant_a.headers())
        upload_spec(api)
        read = tenant_a.headers(tenant_a.read_key)
        assert client.get("/mock/orders/1.0.0/orders/7", headers=read).headers["Accord-Mock-Source"] == "schema"
        fixture_id = approved_fixture(api, "/orders/7", {"id": 7, "sku": "AB-7", "status": "closed"}, approve=False)
        # A draft is not used; the cached state is.
        assert client.get("/mock/orders/1.0.0/orders/7", headers=read).headers["Accord-Mock-Source"] == "schema"
        assert client.post(f"/api/fixtures/{fixture_id}/approve", headers=tenant_a.headers()).status_code == 200
        answered = client.get("/mock/orders/1.0.0/orders/7", headers=read)
        assert (answered.headers["Accord-Mock-Source"], answered.json()["sku"]) == ("fixture", "AB-7")
        assert client.post(f"/api/fixtures/{fixture_id}/deprecate", headers=tenant_a.headers()).status_code == 200
        assert client.get("/mock/orders/1.0.0/orders/7", headers=read).headers["Accord-Mock-Source"] == "schema"
        # A replaced spec: its new example answers at once.
        changed = json.loads(json.dumps(SPEC))
        changed["paths"]["/orders/{id}"]["get"]["responses"]["200"]["content"]["application/json"]["example"] = {
            "id": 5,
            "sku": "SPEC-5",
            "status": "open",
        }
        upload_spec(api, changed, replace=True)
        answered = client.get("/mock/orders/1.0.0/orders/7", headers=read)
        assert (answered.headers["Accord-Mock-Source"], answered.json()["sku"]) == ("spec-example", "SPEC-5")


class _TestClientApi:
    """The few calls upload_spec and approved_fixture make, through the TestClient with given headers."""

    def __init__(self, client: Any, headers: dict[str, str]) -> None:
        self.client = client
        self.headers = headers

    def post(self, url: str, **kwargs: Any) -> Any:
        headers = {**self.headers, **kwargs.pop("headers", {})}
        return self.client.post(url, headers=headers, **kwargs)
