"""Pact specification v1 to v4 documents, v4 message and synchronous-message interactions included: published,
served and merged (PATCH) without losing a field."""

from __future__ import annotations

import copy
from typing import Any

import pytest

from tests.test_pact_publish import contract, pact_v4, publication, publish, strip_ids


def pact_v1() -> dict[str, Any]:
    return {
        "consumer": {"name": "web"},
        "provider": {"name": "api"},
        "interactions": [
            {
                "description": "get a user",
                "provider_state": "user 1 exists",
                "request": {"method": "get", "path": "/users/1", "query": "full=true"},
                "response": {"status": 200, "body": {"id": 1}},
            }
        ],
        "metadata": {"pactSpecificationVersion": "1.0.0"},
    }


def pact_v1_1() -> dict[str, Any]:
    document = pact_v1()
    document["metadata"] = {"pact-specification": {"version": "1.1.0"}}
    return document


def synchronous_message(key: str = "c0ffee01", description: str = "a price quote") -> dict[str, Any]:
    return {
        "type": "Synchronous/Messages",
        "key": key,
        "description": description,
        "providerStates": [{"name": "a product", "params": {"id": 7}}],
        "request": {"contents": {"contentType": "application/json", "encoded": False, "content": {"id": 7}}},
        "response": [
            {
                "contents": {"contentType": "application/json", "encoded": False, "content": {"price": 10}},
                "metadata": {"correlationId": "abc"},
                "matchingRules": {"body": {"$.price": {"combine": "AND", "matchers": [{"match": "integer"}]}}},
            }
        ],
        "pending": False,
        "comments": {"testname": "quotes"},
    }


def pact_v4_all_kinds() -> dict[str, Any]:
    document = pact_v4()
    document["interactions"].append(synchronous_message())
    document["metadata"] = {"pactSpecification": {"version": "4.0"}, "pactRust": {"models": "1.2.0"}}
    return document


@pytest.mark.parametrize("document", [pact_v1(), pact_v1_1(), pact_v4_all_kinds()], ids=["v1", "v1.1", "v4"])
def test_published_and_served_without_loss(client: Any, tenant_a: Any, document: dict[str, Any]) -> None:
    publish(client, tenant_a, publication(contract(document)))
    served = client.get("/pacts/provider/api/consumer/web/version/1", headers=tenant_a.headers())
    assert served.status_code == 200, served.text
    assert strip_ids(served.json()) == document
    by_sha = client.get(served.json()["_links"]["pb:pact-version"]["href"], headers=tenant_a.headers())
    assert strip_ids(by_sha.json()) == document


def test_v4_interactions_of_every_kind_merge_without_loss(client: Any, tenant_a: Any) -> None:
    h = tenant_a.headers()
    first = pact_v4_all_kinds()
    put = client.put("/pacts/provider/api/consumer/web/version/1", json=first, headers=h)
    assert put.status_code == 201, put.text

    more = copy.deepcopy(first)
    changed_message = copy.deepcopy(first["interactions"][1])
    changed_message["metadata"] = {"topic": "users-v2"}
    more["interactions"] = [changed_message, synchronous_message("c0ffee02", "a stock level")]
    merged = client.patch("/pacts/provider/api/consumer/web/version/1", json=more, headers=h)
    assert merged.status_code == 200, merged.text

    served = strip_ids(client.get("/pacts/provider/api/consumer/web/version/1", headers=h).json())
    by_key = {item["key"]: item for item in served["interactions"]}
    assert set(by_key) == {"5f1b2c3d", "9a8b7c6d", "c0ffee01", "c0ffee02"}
    assert by_key["5f1b2c3d"] == first["interactions"][0]
    assert by_key["9a8b7c6d"] == changed_message  # same key: replaced by the newer one
    assert by_key["c0ffee01"] == synchronous_message()
    assert by_key["c0ffee02"] == synchronous_message("c0ffee02", "a stock level")
    assert served["metadata"]["pactSpecification"] == {"version": "4.0"}
