"""The background task that adds the request vectors ingest stored unindexed to the HNSW index, in every
Accord process.

Searches don't wait for it (they scan the unindexed vectors exactly), so it only bounds how long those scans
stay: ingest stores new vectors indexed at once when a tenant's backlog is full (see RequestVectorRepository).
"""

from __future__ import annotations

import asyncio
import contextlib
import logging

import asyncpg

from accord.similarity.index_queue import index_waiting_vectors

logger = logging.getLogger(__name__)

# Vectors per transaction: an HNSW insertion takes about a millisecond or more, and the rows stay locked
# (by this indexer, not against ingest or searches) until the transaction ends.
_PER_ROUND = 64
_IDLE_SECONDS = 0.2


class VectorIndexer:
    def __init__(self) -> None:
        self._task: asyncio.Task[None] | None = None
        self._stopping = asyncio.Event()

    def start(self) -> None:
        self._stopping = asyncio.Event()
        self._task = asyncio.get_running_loop().create_task(self._run())

    async def stop(self) -> None:
        """Let the round in progress finish (one short transaction); cancel after a few seconds."""
        if self._task is None:
            return
        self._stopping.set()
        try:
            await asyncio.wait_for(asyncio.shield(self._task), timeout=5)
        except TimeoutError:
            self._task.cancel()
            with contextlib.suppress(asyncio.CancelledError):
                await self._task

    async def index_round(self) -> int:
        """Index up to one round of waiting vectors; how many."""
        return await index_waiting_vectors(_PER_ROUND)

    async def _run(self) -> None:
        while not self._stopping.is_set():
            indexed = 0
            try:
                indexed = await self.index_round()
            except (OSError, asyncpg.PostgresError, asyncpg.InterfaceError) as exc:
                logger.warning("vector indexer: %s; retrying", type(exc).__name__)
            if indexed < _PER_ROUND:
                with contextlib.suppress(TimeoutError):
                    await asyncio.wait_for(self._stopping.wait(), _IDLE_SECONDS)
