"""Catalog queries for readiness: nothing tenant-owned, only what the server and schema look like."""

from __future__ import annotations

import asyncio

import msgspec

from accord.db.engine import get_engine
from accord.db.rows import row_as

_TIMEOUT_SECONDS = 2.0


class ServerFacts(msgspec.Struct, frozen=True, kw_only=True):
    version_num: int  # server_version_num, e.g. 180006
    vector_version: str | None  # None: pgvector is not installed


class DatabaseProbe:
    async def server_facts(self) -> ServerFacts:
        """Server version number and installed pgvector version (None if missing)."""
        engine = get_engine()
        sql = (
            "SELECT current_setting('server_version_num')::int AS version_num, "
            "(SELECT extversion FROM pg_extension WHERE extname = 'vector') AS vector_version"
        )
        if engine.pool is not None:
            async with engine.pool.acquire(timeout=_TIMEOUT_SECONDS) as connection:
                row = await connection.fetchrow(sql, timeout=_TIMEOUT_SECONDS)
        else:
            connection = await asyncio.wait_for(engine.get_new_connection(), _TIMEOUT_SECONDS)
            try:
                row = await connection.fetchrow(sql, timeout=_TIMEOUT_SECONDS)
            finally:
                await connection.close()
        facts = row_as(ServerFacts, row)
        assert facts is not None  # a SELECT without FROM always returns its one row
        return facts
