"""The static contract checker's cost: a 300-operation spec, a 200-interaction contract, nothing else.

`python -m bench.checker` prints the figures as JSON; the suite calls `measure_checker()`. Bodies are the size
real APIs send (list responses of 20 orders of ~20 fields, nested customer, lines, money, timestamps). Each
figure is the median of RUNS runs:

- check_warm_ms: check_contract on a spec whose validators the contract's operations already built;
- check_cold_ms: the first check on a freshly compiled spec (builds those validators);
- compile_ms: compiling the spec (conversion, operation index, pointer map);
- compile_and_check_ms: both, as a worker meeting a spec for the first time pays.
"""

from __future__ import annotations

import json
import os
import random
import statistics
import time
from typing import Any

from accord.compatibility.checker import check_contract
from accord.compatibility.spec_model import CompiledSpec

RUNS = int(os.environ.get("ACCORD_BENCH_RUNS", "7"))
RESOURCES = 60  # x 5 operations = 300
INTERACTIONS = 200
TARGET_MS = 100.0


def build_spec(resources: int = RESOURCES) -> dict[str, Any]:
    """An OpenAPI 3.0 spec: per resource list/create/get/replace/delete over shared, composed components."""
    paths: dict[str, Any] = {}
    schemas: dict[str, Any] = {
        "Money": {
            "type": "object",
            "required": ["amount", "currency"],
            "properties": {
                "amount": {"type": "number", "minimum": 0},
                "currency": {"type": "string", "pattern": "^[A-Z]{3}$"},
            },
        },
        "Address": {
            "type": "object",
            "properties": {
                "street": {"type": "string", "maxLength": 200},
                "city": {"type": "string"},
                "postcode": {"type": "string", "nullable": True},
                "country": {"type": "string", "enum": ["DE", "FR", "GB", "US", "NL"]},
            },
        },
        "Audit": {
            "type": "object",
            "properties": {
                "createdAt": {"type": "string", "format": "date-time", "readOnly": True},
                "updatedAt": {"type": "string", "format": "date-time", "readOnly": True},
                "version": {"type": "integer", "format": "int32", "readOnly": True},
            },
        },
    }
    for number in range(resources):
        name = f"Thing{number}"
        schemas[name] = {
            "allOf": [
                {"$ref": "#/components/schemas/Audit"},
                {
                    "type": "object",
                    "required": ["id", "status", "total"],
                    "properties": {
                        "id": {"type": "string", "format": "uuid", "readOnly": True},
                        "status": {"type": "string", "enum": ["draft", "open", "paid", "shipped", "cancelled"]},
                        "reference": {"type": "string", "maxLength": 40},
                        "total": {"$ref": "#/components/schemas/Money"},
                        "customer": {
                            "type": "object",
                            "properties": {
                                "name": {"type": "string"},
                                "email": {"type": "string", "format": "email"},
                                "address": {"$ref": "#/components/schemas/Address"},
                            },
                        },
                        "lines": {
                            "type": "array",
                            "maxItems": 100,
                            "items": {
                                "type": "object",
                                "required": ["sku", "quantity"],
                                "properties": {
                                    "sku": {"type": "string"},
                                    "quantity": {"type": "integer", "minimum": 1},
                                    "price": {"$ref": "#/components/schemas/Money"},
                                },
                            },
                        },
                        "tags": {"type": "array", "items": {"type": "string"}},
                        "notes": {"type": "string", "nullable": True},
                        "priority": {"type": "integer", "minimum": 0, "maximum": 10},
                        "dueDate": {"type": "string", "format": "date"},
                        "paid": {"type": "boolean"},
                    },
                },
            ]
        }
        schemas[f"{name}Page"] = {
            "type": "object",
            "properties": {
                "items": {"type": "array", "items": {"$ref": f"#/components/schemas/{name}"}},
                "next": {"type": "string", "nullable": True},
            },
        }
        one = {"application/json": {"schema": {"$ref": f"#/components/schemas/{name}"}}}
        error = {"description": "problem", "content": {"application/problem+json": {"schema": {"type": "object"}}}}
        paths[f"/things{number}"] = {
            "get": {
                "operationId": f"list{name}",
                "parameters": [
                    {"name": "limit", "in": "query", "schema": {"type": "integer", "minimum": 1, "maximum": 100}},
                    {"name": "status", "in": "query", "schema": {"type": "array", "items": {"type": "string"}}},
                ],
                "responses": {
                    "200": {
                        "description": "a page",
                        "content": {"application/json": {"schema": {"$ref": f"#/components/schemas/{name}Page"}}},
                    },
                    "default": error,
                },
            },
            "post": {
                "operationId": f"create{name}",
                "requestBody": {"required": True, "content": one},
                "responses": {"201": {"description": "created", "content": one}, "4XX": error},
            },
        }
        paths[f"/things{number}/{{id}}"] = {
            "parameters": [{"name": "id", "in": "path", "required": True, "schema": {"type": "string"}}],
            "get": {"operationId": f"get{name}", "responses": {"200": {"description": "one", "content": one}}},
            "put": {
                "operationId": f"replace{name}",
                "requestBody": {"required": True, "content": one},
                "responses": {"200": {"description": "replaced", "content": one}},
            },
            "delete": {"operationId": f"delete{name}", "responses": {"204": {"description": "gone"}}},
        }
    return {
        "openapi": "3.0.3",
        "info": {"title": "Bench", "version": "1"},
        "servers": [{"url": "https://api.example.com/v1"}],
        "paths": paths,
        "components": {"schemas": schemas},
    }


def _thing(rng: random.Random, *, for_request: bool = False) -> dict[str, Any]:
    body: dict[str, Any] = {
        "status": rng.choice(["draft", "open", "paid"]),
        "reference": f"REF-{rng.randrange(10**6)}",
        "total": {"amount": round(rng.uniform(1, 900), 2), "currency": "EUR"},
        "customer": {
            "name": "Ada Lovelace",
            "email": "ada@example.com",
            "address": {"street": "1 Analytical Way", "city": "London", "postcode": None, "country": "GB"},
        },
        "lines": [
            {"sku": f"SKU-{line}", "quantity": rng.randrange(1, 5), "price": {"amount": 9.5, "currency": "EUR"}}
            for line in range(rng.randrange(1, 6))
        ],
        "tags": ["priority", "gift"],
        "notes": None,
        "priority": rng.randrange(0, 10),
        "dueDate": "2026-12-24",
        "paid": False,
    }
    if not for_request:
        body.update(
            {
                "id": "7f1c2d3e-4b5a-4c6d-8e7f-9a0b1c2d3e4f",
                "createdAt": "2026-11-20T10:00:00Z",
                "updatedAt": "2026-11-21T08:30:00Z",
                "version": 3,
            }
        )
    return body


def build_contract(interactions: int = INTERACTIONS, resources: int = RESOURCES) -> list[dict[str, Any]]:
    """Recorded interactions over every kind of operation; list pages hold 20 items."""
    rng = random.Random(7)
    found: list[dict[str, Any]] = []
    json_headers = {"content-type": "application/json"}
    for index in range(interactions):
        number = rng.randrange(resources)
        kind = index % 5
        base = f"/v1/things{number}"
        if kind == 0:
            request = {"method": "GET", "path": base, "query": {"limit": ["20"], "status": ["open", "paid"]}}
            response = {
                "status": 200,
                "headers": json_headers,
                "body": {"items": [_thing(rng) for _ in range(20)], "next": "cursor"},
            }
        elif kind == 1:
            request = {"method": "POST", "path": base, "headers": json_headers, "body": _thing(rng, for_request=True)}
            response = {"status": 201, "headers": json_headers, "body": _thing(rng)}
        elif kind == 2:
            request = {"method": "GET", "path": f"{base}/{index}"}
            response = {"status": 200, "headers": json_headers, "body": _thing(rng)}
        elif kind == 3:
            request = {
                "method": "PUT",
                "path": f"{base}/{index}",
                "headers": json_headers,
                "body": _thing(rng, for_request=True),
            }
            response = {"status": 200, "headers": json_headers, "body": _thing(rng)}
        else:
            request = {"method": "DELETE", "path": f"{base}/{index}"}
            response = {"status": 204, "headers": {}}
        found.append({"key": f"interaction-{index}", "operation": None, "request": request, "response": response})
    return found


def _ms(started: float) -> float:
    return (time.perf_counter() - started) * 1000


def _spread(values: list[float]) -> dict[str, float]:
    return {"median": round(statistics.median(values), 2), "min": round(min(values), 2), "max": round(max(values), 2)}


def measure_checker(runs: int = RUNS) -> dict[str, Any]:
    """Median (min, max) milliseconds of compiling and checking, with the contract's size and the verdict."""
    document = build_spec()
    contract = build_contract()
    compile_ms, cold_ms, warm_ms, total_ms = [], [], [], []
    report = None
    for run in range(runs):
        started = time.perf_counter()
        spec = CompiledSpec(document, f"bench-{run}")  # not through the cache: every run compiles
        compile_ms.append(_ms(started))
        started = time.perf_counter()
        report = check_contract(spec, contract, "interactions")
        cold_ms.append(_ms(started))
        total_ms.append(compile_ms[-1] + cold_ms[-1])
        started = time.perf_counter()
        check_contract(spec, contract, "interactions")
        warm_ms.append(_ms(started))
    assert report is not None
    body_bytes = sum(len(json.dumps(each)) for each in contract)
    return {
        "operations": sum(len(item) - ("parameters" in item) for item in document["paths"].values()),
        "interactions": len(contract),
        "contract_bytes": body_bytes,
        "runs": runs,
        "check_warm_ms": _spread(warm_ms),
        "check_cold_ms": _spread(cold_ms),
        "compile_ms": _spread(compile_ms),
        "compile_and_check_ms": _spread(total_ms),
        "target_warm_ms": TARGET_MS,
        "passed": report.passed,
        "failed": report.failed,
    }


if __name__ == "__main__":
    print(json.dumps(measure_checker(), indent=2))
