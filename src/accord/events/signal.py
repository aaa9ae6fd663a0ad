"""One LISTEN connection per process that tells every open event stream when events were committed."""

from __future__ import annotations

import asyncio
import contextlib

import asyncpg

from accord.db.queue_worker import DATABASE_ERRORS


class EventSignal:
    channel = "accord_events"

    def __init__(self, dsn: str) -> None:
        self._dsn = dsn
        self._connection: asyncpg.Connection | None = None
        self._changed = asyncio.Event()
        self._lock = asyncio.Lock()

    async def _ensure_listening(self) -> None:
        async with self._lock:
            if self._connection is not None and not self._connection.is_closed():
                return
            try:
                self._connection = await asyncpg.connect(self._dsn)
                await self._connection.add_listener(self.channel, lambda *_: self._notify())
            except DATABASE_ERRORS:
                self._connection = None  # streams still poll

    def _notify(self) -> None:
        self._changed.set()
        self._changed = asyncio.Event()

    async def wait(self, seconds: float) -> None:
        """Return when events were committed, or after `seconds` (streams re-read either way)."""
        await self._ensure_listening()
        with contextlib.suppress(TimeoutError):
            await asyncio.wait_for(self._changed.wait(), seconds)

    async def stop(self) -> None:
        if self._connection is not None and not self._connection.is_closed():
            with contextlib.suppress(Exception):
                await self._connection.close(timeout=1)
        self._connection = None
