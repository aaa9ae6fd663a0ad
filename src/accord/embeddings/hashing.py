"""Feature hashing of a request into a fixed-size vector: deterministic, no model, no numpy. Pure.

A request becomes features (its method, operation, path template, parameter names, the JSON paths of its body
and the scalar values at them), and each feature adds a signed weight to one of DIMENSIONS buckets chosen by
CRC-32 of its text (the "hashing trick"). The components are small integers: cosine distance ignores the
length of a vector, so nothing is normalized, and the text pgvector parses stays short (ingest is hot).
Structure weighs more than values: two calls of the same operation with other ids are near, other operations
are far. CRC-32, not hash(): Python salts str hashes per process, and vectors are stored.
"""

from __future__ import annotations

import functools
import hashlib
import re
import zlib
from collections.abc import Iterable, Mapping
from typing import Any

import msgspec

DIMENSIONS = 256
# How much each kind of feature counts; the structure of a request decides its neighbourhood.
_METHOD, _OPERATION, _SEGMENT, _PARAMETER, _BODY_PATH, _VALUE = 4, 4, 2, 2, 2, 1
# Path segments that are values, not names: numbers, UUIDs, hex digests, long opaque tokens.
_VALUE_SEGMENT = re.compile(r"^(?:\d+|[0-9a-fA-F-]{16,}|[A-Za-z0-9_-]{24,})$")
_MAX_NODES = 2000  # a huge body contributes its first nodes only: the vector is a sketch, not a copy
_MAX_VALUE_CHARS = 64

Embedding = list[int]


def _add(vector: Embedding, feature: str, weight: int) -> None:
    code = zlib.crc32(feature.encode("utf-8", "surrogatepass"))
    # The low bits pick the bucket, bit 31 the sign: collisions then cancel out on average instead of piling up.
    vector[code % DIMENSIONS] += -weight if code & 0x80000000 else weight


def _path_segments(path: str) -> Iterable[tuple[str, str]]:
    """(template segment, value or '') of each segment of a concrete path: `/orders/42` -> orders, {}=42."""
    for segment in path.split("?", 1)[0].split("/"):
        if not segment:
            continue
        if _VALUE_SEGMENT.match(segment):
            yield "{}", segment
        else:
            yield segment, ""


def _scalar(value: Any) -> str:
    if value is None or isinstance(value, bool):
        return str(value).lower()
    return str(value)[:_MAX_VALUE_CHARS]


def _body(vector: Embedding, body: Any) -> None:
    """JSON paths (array indexes as `[]`) and the scalars at them, depth first, up to _MAX_NODES nodes."""
    pending: list[tuple[str, Any]] = [("$", body)]
    seen = 0
    while pending and seen < _MAX_NODES:
        path, value = pending.pop()
        seen += 1
        if isinstance(value, Mapping):
            for key, item in value.items():
                child = f"{path}.{key}"
                _add(vector, "b:" + child, _BODY_PATH)
                pending.append((child, item))
        elif isinstance(value, list):
            for item in value:
                pending.append((path + "[]", item))
        else:
            _add(vector, f"v:{path}={_scalar(value)}", _VALUE)


def request_vector(request: Mapping[str, Any]) -> Embedding:
    """The vector of a request ({method, path, query?, headers?, body?}) before its operation is known."""
    vector = [0] * DIMENSIONS
    method = str(request.get("method") or "").upper()
    _add(vector, "m:" + method, _METHOD)
    position = 0
    for position, (segment, value) in enumerate(_path_segments(str(request.get("path") or ""))):
        _add(vector, f"s{position}:{segment}", _SEGMENT)
        if value:
            _add(vector, f"p{position}={value[:_MAX_VALUE_CHARS]}", _VALUE)
    _add(vector, f"depth:{position}", _SEGMENT)
    query = request.get("query")
    if isinstance(query, Mapping):
        for name, values in query.items():
            _add(vector, f"q:{name}", _PARAMETER)
            for value in values if isinstance(values, list) else (values,):
                _add(vector, f"q:{name}={_scalar(value)}", _VALUE)
    body = request.get("body")
    if body is not None:
        _body(vector, body)
    return vector


def with_operation(vector: Embedding, operation: str) -> Embedding:
    """A copy of a request's vector with its operation's feature (ingest names operations after preparing)."""
    combined = list(vector)
    if operation:
        _add(combined, "o:" + operation, _OPERATION)
    return combined


def embed_request(operation: str, request: Mapping[str, Any]) -> Embedding:
    """The vector of a request of the given operation."""
    return with_operation(request_vector(request), operation)


def vector_literal(vector: Embedding) -> str:
    """pgvector's text form, `[1,0,-2,...]`, for set-based inserts (`$n::text[]` cast to vector). A JSON array
    of integers is that very text: msgspec writes it ~14x faster than joining str()s (ingest writes one per
    distinct request)."""
    return msgspec.json.encode(vector).decode()


def vector_key(literal: str) -> str:
    """What identifies a vector among a tenant's (RequestVector.key): the first 128 bits of the SHA-256 of its
    text form, in hex (short keys keep the interaction index small)."""
    return hashlib.sha256(literal.encode()).hexdigest()[:32]


@functools.lru_cache(maxsize=8192)
def embedded_request(operation: str, request_json: str) -> tuple[str, str]:
    """(text form, key) of the vector of a request given as its canonical JSON, as ingest stores it.

    Cached: recorded traffic repeats the same requests, and ingest must stay close to raw COPY speed. Pure
    computation, so one cache serves every tenant."""
    literal = vector_literal(embed_request(operation, msgspec.json.decode(request_json)))
    return literal, vector_key(literal)


def cosine_similarity(left: Iterable[float], right: Iterable[float]) -> float:
    """1 - pgvector's `<=>`: 1 for the same direction, 0 for unrelated; 0 when either vector is all zeros."""
    dot = left_norm = right_norm = 0.0
    for a, b in zip(left, right, strict=True):
        dot += a * b
        left_norm += a * a
        right_norm += b * b
    if not left_norm or not right_norm:
        return 0.0
    return float(dot / (left_norm**0.5 * right_norm**0.5))
