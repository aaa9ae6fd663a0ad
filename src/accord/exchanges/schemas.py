"""One model of an HTTP exchange: the request and the response that interactions record, contracts publish and
fixtures serve.

Each slice subclasses these with the limits its own input takes (a fixture's method is upper case, a recorded
one may be any token; a fixture's path may be longer), so the API's schemas stay as they were while the shape —
which fields an exchange has, their types and defaults — is written once. Normalizing and hashing an exchange
(accord.exchanges.normalize) reads this same shape.
"""

from __future__ import annotations

from typing import Any

import msgspec


class ExchangeRequest(msgspec.Struct, kw_only=True, forbid_unknown_fields=True):
    method: str
    path: str
    query: dict[str, str | list[str]] = {}
    headers: dict[str, str] = {}
    body: Any = None


class ExchangeResponse(msgspec.Struct, kw_only=True, forbid_unknown_fields=True):
    status: int
    headers: dict[str, str] = {}
    body: Any = None
