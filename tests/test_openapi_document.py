"""/schema tells generated clients and fuzzers the truth: security schemes, and every operation's error
responses as problem details (issue 13)."""

from __future__ import annotations

from typing import Any

import pytest
from openapi_spec_validator import validate

PROBLEM_REF = "#/components/schemas/Problem"
PUBLIC_PATHS = {"/health", "/health/ready", "/diagnostic/status/heartbeat"}


@pytest.fixture(scope="module")
def document(app: Any) -> dict[str, Any]:
    from litestar.testing import TestClient

    with TestClient(app) as client:
        response = client.get("/schema/openapi.json")
    assert response.status_code == 200
    return dict(response.json())


def _operations(document: dict[str, Any]) -> list[tuple[str, str, dict[str, Any]]]:
    return [
        (path, method, operation)
        for path, item in document["paths"].items()
        for method, operation in item.items()
        if method in {"get", "put", "post", "patch", "delete"}
    ]


def test_the_document_is_valid_openapi(document: dict[str, Any]) -> None:
    validate(document)


def test_bearer_and_basic_are_declared_and_required_by_default(document: dict[str, Any]) -> None:
    schemes = document["components"]["securitySchemes"]
    assert schemes["bearer"] == {**schemes["bearer"], "type": "http", "scheme": "bearer"}
    assert schemes["basic"] == {**schemes["basic"], "type": "http", "scheme": "basic"}
    assert document["security"] == [{"bearer": []}, {"basic": []}]


def test_public_operations_need_no_key_and_the_others_document_401_and_403(document: dict[str, Any]) -> None:
    operations = _operations(document)
    assert len(operations) > 100
    for path, method, operation in operations:
        responses = operation["responses"]
        if path in PUBLIC_PATHS:
            assert operation["security"] == [], (path, method)
            assert "401" not in responses, (path, method)
        else:
            assert "security" not in operation, (path, method)
            for status in ("401", "403", "429"):
                assert responses[status]["content"]["application/problem+json"]["schema"]["$ref"] == PROBLEM_REF


def test_errors_follow_from_the_operation_shape(document: dict[str, Any]) -> None:
    for path, method, operation in _operations(document):
        responses = operation["responses"]
        parameters = operation.get("parameters", [])
        if parameters and path not in PUBLIC_PATHS:
            assert "404" in responses, (path, method)
        if method != "get":
            assert "409" in responses, (path, method)
        pact = "pact" in operation.get("tags", [])
        if "requestBody" in operation:
            assert {"400", "413", "415", "422"} <= responses.keys(), (path, method)
        elif "400" in responses and not pact:  # the Pact shape answers any invalid input with 400
            pytest.fail(f"{method} {path}: 400 documented without a body")
        if parameters:
            assert "422" in responses, (path, method)
        for status, response in responses.items():
            if status >= "400":
                assert "application/problem+json" in response["content"], (path, method, status)


def test_specific_operations(document: dict[str, Any]) -> None:
    service = document["paths"]["/api/services/{name}"]
    assert {"401", "403", "404", "422", "503"} <= service["get"]["responses"].keys()
    assert {"409", "422"} <= service["delete"]["responses"].keys()
    www_authenticate = service["get"]["responses"]["401"]["headers"]["WWW-Authenticate"]
    assert www_authenticate["schema"]["type"] == "string"


def test_pact_operations_declare_hal_and_both_error_shapes(document: dict[str, Any]) -> None:
    create = document["paths"]["/pacticipants"]["post"]["responses"]
    assert "application/hal+json" in create["201"]["content"]
    # Invalid input: the Pact Broker's 400 and shape, or 422 problem details when the client asks for them.
    assert create["400"]["content"]["application/hal+json"]["schema"]["$ref"] == "#/components/schemas/PactErrors"
    assert list(create["422"]["content"]) == ["application/problem+json"]
    assert create["422"]["content"]["application/problem+json"]["schema"]["$ref"] == PROBLEM_REF
    badge = document["paths"]["/pacts/provider/{provider}/consumer/{consumer}/latest/badge"]["get"]["responses"]
    assert list(badge["200"]["content"]) == ["image/svg+xml"]
    problem = document["components"]["schemas"]["Problem"]
    assert set(problem["required"]) == {"type", "title", "status"}
