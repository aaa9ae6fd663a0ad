"""Listens for API key changes (revocations, deletions) from any process and evicts them from the cache."""

from __future__ import annotations

import asyncio
import contextlib
import logging
from typing import Any

import asyncpg

from accord.tenancy.key_cache import FLUSH_ALL, KEY_CHANGES_CHANNEL, KeyCache

logger = logging.getLogger(__name__)

_RECONNECT_SECONDS = 5.0


class KeyChangeListener:
    def __init__(self, cache: KeyCache, dsn: str) -> None:
        self._cache = cache
        self._dsn = dsn
        self._task: asyncio.Task[None] | None = None
        self._stopping = asyncio.Event()
        self.connected = asyncio.Event()

    def start(self) -> None:
        # Made here, on the loop that serves (an app may be started twice, as in tests).
        self.connected = asyncio.Event()
        self._stopping = asyncio.Event()
        self._task = asyncio.get_running_loop().create_task(self._run())

    async def stop(self) -> None:
        """Let the loop close its connection itself (cancelling mid-connect would leak it); cancel only if it
        doesn't within a few seconds."""
        if self._task is None:
            return
        self._stopping.set()
        try:
            await asyncio.wait_for(asyncio.shield(self._task), timeout=5)
        except TimeoutError:
            self._task.cancel()
            with contextlib.suppress(asyncio.CancelledError):
                await self._task

    def _on_notify(self, connection: Any, pid: int, channel: str, payload: str) -> None:
        self._cache.invalidate(payload)

    async def _run(self) -> None:
        while not self._stopping.is_set():
            connection = None
            try:
                connection = await asyncpg.connect(self._dsn)
                lost = asyncio.Event()
                connection.add_termination_listener(lambda _conn, lost=lost: lost.set())
                await connection.add_listener(KEY_CHANGES_CHANNEL, self._on_notify)
                # Whatever changed while we were not listening is unknown: start from an empty cache.
                self._cache.invalidate(FLUSH_ALL)
                self.connected.set()
                stopping = asyncio.ensure_future(self._stopping.wait())
                dropped = asyncio.ensure_future(lost.wait())
                await asyncio.wait({stopping, dropped}, return_when=asyncio.FIRST_COMPLETED)
                for waiter in (stopping, dropped):
                    waiter.cancel()
                if self._stopping.is_set():
                    return
                logger.warning("lost the key-change listener connection; reconnecting")
            except (OSError, asyncpg.PostgresError, asyncpg.InterfaceError) as exc:
                logger.warning("key-change listener cannot connect (%s); retrying", type(exc).__name__)
            finally:
                self.connected.clear()
                if connection is not None and not connection.is_closed():
                    with contextlib.suppress(Exception):
                        await connection.close(timeout=1)
            with contextlib.suppress(TimeoutError):
                await asyncio.wait_for(self._stopping.wait(), _RECONNECT_SECONDS)
