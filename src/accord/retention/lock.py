"""The cluster-wide lock that lets one clean run at a time, whichever process (a CLI run, any server) starts it."""

from __future__ import annotations

import contextlib
from collections.abc import AsyncIterator

import asyncpg

from accord.db.url import configured_database_url

# pg_advisory_lock key of the clean job: "accord:clean" folded into a bigint, fixed so every process agrees.
CLEAN_LOCK_KEY = 0x61636364_636C6E00


@contextlib.asynccontextmanager
async def clean_lock(*, wait: bool) -> AsyncIterator[bool]:
    """Hold the clean lock for the block; yields False (without waiting) when another process holds it and
    `wait` is off.

    A session lock on a connection of its own: pooled connections skip the advisory unlock on release (see
    accord.db.engine.keep_session), and the lock must outlive the per-tenant transactions.
    """
    connection = await asyncpg.connect(configured_database_url())
    try:
        if wait:
            await connection.execute("SELECT pg_advisory_lock($1)", CLEAN_LOCK_KEY)
            acquired = True
        else:
            acquired = bool(await connection.fetchval("SELECT pg_try_advisory_lock($1)", CLEAN_LOCK_KEY))
        yield acquired
    finally:
        # Closing the session releases the lock, also when the block failed halfway.
        await connection.close()
