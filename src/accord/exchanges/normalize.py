"""Normalizing recorded requests and responses, and the hashes that identify them. Pure functions.

Two recordings of the same exchange must hash alike even when transport details differ, so header names are
compared case-insensitively and headers that vary with every call are dropped. Bodies are never touched:
a difference in a body is a difference in what the consumer relies on.
"""

from __future__ import annotations

import functools
import hashlib
from collections.abc import Iterable, Mapping
from typing import Any

import msgspec

# Set by clients and proxies, not by the consumer's code; they change between otherwise identical calls.
VOLATILE_HEADERS = frozenset({"date", "user-agent", "content-length", "connection", "accept-encoding", "host"})

_canonical = msgspec.json.Encoder(order="sorted")


def canonical_json(value: Any) -> bytes:
    """JSON with every object's keys sorted, no whitespace: equal values give equal bytes."""
    return _canonical.encode(value)


@functools.lru_cache(maxsize=4096)
def _name_json(name: str) -> bytes:
    # Service names and version numbers repeat across a batch; encode each once.
    return canonical_json(name)


def normalize_headers(headers: Mapping[str, str]) -> dict[str, str]:
    """Lower-cased names without volatile headers; names equal but for case are joined like HTTP does (', ')."""
    normalized: dict[str, str] = {}
    # Sorted so that names differing only in case combine in the same order whatever order they came in.
    for name, value in sorted(headers.items()):
        key = name.lower()
        if key in VOLATILE_HEADERS:
            continue
        normalized[key] = f"{normalized[key]}, {value}" if key in normalized else value
    return normalized


def normalize_query(query: Mapping[str, str | list[str]]) -> dict[str, list[str]]:
    """Keys sorted, every value a list of strings (the order of repeated values is kept: it can matter)."""
    return {key: [value] if isinstance(value, str) else list(value) for key, value in sorted(query.items())}


def normalize_request(
    method: str, path: str, query: Mapping[str, str | list[str]], headers: Mapping[str, str], body: Any
) -> dict[str, Any]:
    return {
        "method": method.upper(),
        "path": path,
        "query": normalize_query(query),
        "headers": normalize_headers(headers),
        "body": body,
    }


def normalize_response(status: int, headers: Mapping[str, str], body: Any) -> dict[str, Any]:
    return {"status": status, "headers": normalize_headers(headers), "body": body}


def content_hash(provider: str, request_json: bytes, response_json: bytes) -> str:
    """SHA-256 of canonical {provider, request, response}: the same expectation whichever consumer version.

    Takes the canonical JSON of the normalized request and response (already encoded for storage) and
    splices it, which gives exactly canonical_json({...}) since the keys are written in sorted order.
    """
    document = b'{"provider":%b,"request":%b,"response":%b}' % (_name_json(provider), request_json, response_json)
    return hashlib.sha256(document).hexdigest()


def interaction_hash(
    consumer: str, consumer_version: str, provider: str, request_json: bytes, response_json: bytes
) -> str:
    """SHA-256 of canonical {consumer, consumer_version, provider, request, response}: the dedup key."""
    document = b'{"consumer":%b,"consumer_version":%b,"provider":%b,"request":%b,"response":%b}' % (
        _name_json(consumer),
        _name_json(consumer_version),
        _name_json(provider),
        request_json,
        response_json,
    )
    return hashlib.sha256(document).hexdigest()


def contract_sha(content_hashes: Iterable[str]) -> str:
    """SHA-256 over the sorted distinct content hashes joined by ','; SQL computes the same in recomputation."""
    return hashlib.sha256(",".join(sorted(set(content_hashes))).encode()).hexdigest()


# The length of the interaction table's operation column.
OPERATION_MAX_LENGTH = 512


def default_operation(method: str, path: str) -> str:
    """The operation of a request no spec names: 'METHOD /path' without the query string or fragment, cut to
    the column's length (the query varies between calls of one operation; it stays in the request)."""
    bare_path = path.split("?", 1)[0].split("#", 1)[0]
    return f"{method.upper()} {bare_path}"[:OPERATION_MAX_LENGTH]
