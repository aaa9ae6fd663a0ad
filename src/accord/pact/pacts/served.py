"""Pacts as verifiers get them, and how their verification results map back to Accord's interaction keys.

Verifiers report results per interaction by its `_id` (or its description). Accord serves every interaction
with an `_id`: a pact interaction's own, else its key (v4) or description; a recorded interaction's content
hash. Those are the names Accord's verification results use (accord.verification.service.interaction_keys).
Pure functions.
"""

from __future__ import annotations

from typing import Any

from accord.contracts.documents import interaction_arrays
from accord.verification.interaction_keys import interaction_key


def served_pact(document: dict[str, Any]) -> dict[str, Any]:
    """The pact as verifiers get it: every interaction has an `_id` (verifiers report results by it), its own
    or its key, so that results map back to the interactions Accord knows."""
    served = dict(document)
    for array, interactions in interaction_arrays(document):
        served[array] = [
            {**item, "_id": interaction_key(item)}
            if isinstance(item, dict) and "_id" not in item and interaction_key(item) is not None
            else item
            for item in interactions
        ]
    return served


def recorded_description(interaction: dict[str, Any]) -> str:
    key = str(interaction.get("key") or "")
    return f"{interaction.get('operation') or 'request'} [{key[:12]}]"


def _pact_request(request: dict[str, Any]) -> dict[str, Any]:
    rendered: dict[str, Any] = {"method": request.get("method", "GET"), "path": request.get("path", "/")}
    for field in ("query", "headers"):
        if request.get(field):
            rendered[field] = request[field]
    if request.get("body") is not None:
        rendered["body"] = request["body"]
    return rendered


def _pact_response(response: dict[str, Any]) -> dict[str, Any]:
    rendered: dict[str, Any] = {"status": response.get("status", 200)}
    if response.get("headers"):
        rendered["headers"] = response["headers"]
    if response.get("body") is not None:
        rendered["body"] = response["body"]
    return rendered


def recorded_as_pact(content: dict[str, Any], *, consumer: str, provider: str) -> dict[str, Any]:
    """Accord's recorded interactions as a Pact v3 document, so that `pact verifier` can verify them too.

    Each interaction's `_id` is its content hash, the key Accord's verification results name it by.
    """
    interactions = [item for item in content.get("interactions") or [] if isinstance(item, dict)]
    return {
        "consumer": {"name": consumer},
        "provider": {"name": provider},
        "interactions": [
            {
                "_id": item.get("key"),
                "description": recorded_description(item),
                "request": _pact_request(item.get("request") or {}),
                "response": _pact_response(item.get("response") or {}),
            }
            for item in interactions
        ],
        "metadata": {"pactSpecification": {"version": "3.0.0"}},
    }


def result_names(kind: str, content: dict[str, Any]) -> tuple[dict[str, str], dict[str, str]]:
    """How verifiers may name a stored content's interactions in their results -> the key Accord records:
    ({served `_id`: key}, {description: key})."""
    by_id: dict[str, str] = {}
    by_description: dict[str, str] = {}
    if kind == "interactions":
        for item in content.get("interactions") or []:
            if isinstance(item, dict) and isinstance(item.get("key"), str):
                by_id[item["key"]] = item["key"]
                by_description[recorded_description(item)] = item["key"]
        return by_id, by_description
    for _, interactions in interaction_arrays(content):
        for item in interactions:
            key = interaction_key(item) if isinstance(item, dict) else None
            if key is None:
                continue
            served_id = item.get("_id")
            by_id[served_id if isinstance(served_id, str) else key] = key
            if isinstance(item.get("description"), str):
                by_description.setdefault(item["description"], key)
    return by_id, by_description
