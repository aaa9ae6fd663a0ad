"""Resolves API keys to principals without a database round trip per request.

Entries live for a short TTL. Revocations reach every process at once through PostgreSQL NOTIFY on
KEY_CHANGES_CHANNEL (sent in the revoking transaction); the TTL bounds staleness if a notification is missed.
"""

from __future__ import annotations

import asyncio
import contextlib
import datetime
import logging
import time
from collections import OrderedDict
from collections.abc import Awaitable, Callable, Coroutine
from typing import Any

import msgspec

from accord.errors import Unauthenticated
from accord.tenancy.key_material import hash_key
from accord.tenancy.principal import KeyRecord, Principal

logger = logging.getLogger(__name__)

KEY_CHANGES_CHANNEL = "accord_api_keys"
FLUSH_ALL = "*"
_TOUCH_INTERVAL_SECONDS = 60.0
_NEGATIVE_TTL_SECONDS = 5.0
_MAX_ENTRIES = 10_000
INVALID_KEY_DETAIL = "The API key is not valid."


class _Entry(msgspec.Struct, kw_only=True):
    record: KeyRecord | None
    expires: float
    touched: float = 0.0


KeyFinder = Callable[[str], Coroutine[Any, Any, KeyRecord | None]]
KeyToucher = Callable[[Principal], Awaitable[None]]


class KeyCache:
    def __init__(self, *, ttl_seconds: float, find: KeyFinder, touch: KeyToucher) -> None:
        self._ttl = ttl_seconds
        self._find = find
        self._touch = touch
        self._entries: OrderedDict[str, _Entry] = OrderedDict()
        self._in_flight: dict[str, asyncio.Task[KeyRecord | None]] = {}
        self._background: set[asyncio.Task[None]] = set()

    async def authenticate(self, secret: str) -> Principal:
        """The principal of a usable key, else Unauthenticated.

        Unknown, revoked and expired keys get the same answer: telling them apart would tell a caller holding a
        leaked or guessed key which of them once existed."""
        key_hash = hash_key(secret)
        now = time.monotonic()
        entry = self._entries.get(key_hash)
        if entry is None or entry.expires <= now:
            entry = await self._load(key_hash, now)
        record = entry.record
        if (
            record is None
            or record.revoked_at is not None
            or (record.expires_at is not None and record.expires_at <= datetime.datetime.now(tz=datetime.UTC))
        ):
            raise Unauthenticated(INVALID_KEY_DETAIL)
        if now - entry.touched >= _TOUCH_INTERVAL_SECONDS:
            entry.touched = now
            self._run_in_background(self._touch(record.principal))
        return record.principal

    async def _load(self, key_hash: str, now: float) -> _Entry:
        # Single flight: concurrent requests with the same uncached key share one lookup, and a waiter that
        # is cancelled (client gone) does not cancel it for the others.
        lookup = self._in_flight.get(key_hash)
        if lookup is None:
            lookup = asyncio.get_running_loop().create_task(self._find(key_hash))
            self._in_flight[key_hash] = lookup
            lookup.add_done_callback(lambda done: self._lookup_finished(key_hash, done))
        record = await asyncio.shield(lookup)
        ttl = self._ttl if record is not None else min(self._ttl, _NEGATIVE_TTL_SECONDS)
        entry = _Entry(record=record, expires=now + ttl)
        self._store(key_hash, entry)
        return entry

    def _lookup_finished(self, key_hash: str, lookup: asyncio.Task[KeyRecord | None]) -> None:
        self._in_flight.pop(key_hash, None)
        if not lookup.cancelled():
            lookup.exception()  # mark retrieved: the waiters have seen it, or nobody is left to care

    def _store(self, key_hash: str, entry: _Entry) -> None:
        previous = self._entries.pop(key_hash, None)
        if previous is not None:
            entry.touched = previous.touched
        self._entries[key_hash] = entry
        while len(self._entries) > _MAX_ENTRIES:
            self._entries.popitem(last=False)

    def invalidate(self, key_hash: str) -> None:
        if key_hash == FLUSH_ALL:
            self._entries.clear()
        else:
            self._entries.pop(key_hash, None)

    def _run_in_background(self, work: Awaitable[None]) -> None:
        async def guarded() -> None:
            try:
                await work
            except Exception:  # a failed last-used write must never fail the request
                logger.warning("could not record API key use", exc_info=True)

        task = asyncio.get_running_loop().create_task(guarded())
        self._background.add(task)
        task.add_done_callback(self._background.discard)

    async def drain(self) -> None:
        """Wait for background writes (shutdown, tests)."""
        if self._background:
            with contextlib.suppress(Exception):
                await asyncio.gather(*self._background)
