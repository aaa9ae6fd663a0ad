"""The loop every background queue of Accord runs in: work while there is work, then wait for a NOTIFY on the
queue's channel or a slow poll (which covers missed notifications and retries whose time has come).

Subclasses say what one round of work is (`work_once`); claiming is theirs (SKIP LOCKED), so any number of
processes share a queue.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging

import asyncpg

logger = logging.getLogger(__name__)

DATABASE_ERRORS = (OSError, asyncpg.PostgresError, asyncpg.InterfaceError)


class QueueWorker:
    channel: str = ""
    poll_seconds: float = 5.0

    def __init__(self, dsn: str) -> None:
        self._dsn = dsn
        self._task: asyncio.Task[None] | None = None
        self._wake = asyncio.Event()
        self._stopping = asyncio.Event()
        self.idle = asyncio.Event()

    async def work_once(self) -> bool:
        """One round of work; whether there was any (if so, the loop goes on at once)."""
        raise NotImplementedError

    async def wait_seconds(self) -> float:
        """How long to sleep when idle, unless notified; a queue with scheduled retries wakes for the next one."""
        return self.poll_seconds

    def start(self) -> None:
        self._wake = asyncio.Event()
        self.idle = asyncio.Event()
        self._stopping = asyncio.Event()
        self._task = asyncio.get_running_loop().create_task(self._run())

    async def stop(self) -> None:
        """Let the loop finish what it is doing (a job, a connect) and close its connection; cancel only if
        it doesn't within a few seconds. Cancelling mid-connect would leak the half-open connection."""
        if self._task is None:
            return
        self._stopping.set()
        self._wake.set()
        try:
            await asyncio.wait_for(asyncio.shield(self._task), timeout=5)
        except TimeoutError:
            self._task.cancel()
            with contextlib.suppress(asyncio.CancelledError):
                await self._task

    def wake(self) -> None:
        self._wake.set()

    async def _listen(self) -> asyncpg.Connection | None:
        try:
            connection = await asyncpg.connect(self._dsn)
            await connection.add_listener(self.channel, lambda *_: self._wake.set())
        except DATABASE_ERRORS:
            return None  # polling still runs the queue
        return connection

    async def _run(self) -> None:
        listener = await self._listen()
        try:
            while not self._stopping.is_set():
                try:
                    worked = await self.work_once()
                except DATABASE_ERRORS as exc:
                    logger.warning("%s: %s; retrying", type(self).__name__, type(exc).__name__)
                    worked = False
                if worked:
                    continue
                self.idle.set()
                if self._stopping.is_set():
                    break
                self._wake.clear()
                try:
                    wait = await self.wait_seconds()
                except DATABASE_ERRORS:
                    wait = self.poll_seconds
                with contextlib.suppress(TimeoutError):
                    await asyncio.wait_for(self._wake.wait(), wait)
                self.idle.clear()
                if (listener is None or listener.is_closed()) and not self._stopping.is_set():
                    listener = await self._listen()
        finally:
            if listener is not None and not listener.is_closed():
                with contextlib.suppress(Exception):
                    await listener.close(timeout=1)
