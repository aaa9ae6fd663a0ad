"""Catalog queries for readiness: nothing tenant-owned, only what the server and schema look like."""

from __future__ import annotations

import asyncio
from typing import Any

from accord.db.engine import get_engine

_TIMEOUT_SECONDS = 2.0


class DatabaseProbe:
    async def server_facts(self) -> dict[str, Any]:
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
        return dict(row)
