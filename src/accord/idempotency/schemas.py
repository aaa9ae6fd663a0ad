from __future__ import annotations

import msgspec


class StoredResponse(msgspec.Struct, frozen=True, kw_only=True):
    """The first attempt's response, as replayed to its retries."""

    status: int
    headers: dict[str, str]
    body: bytes
