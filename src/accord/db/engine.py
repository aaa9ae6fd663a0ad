"""The one Piccolo engine (from piccolo_conf) and its connection pool."""

from __future__ import annotations

import contextlib
import functools
import logging
from collections.abc import AsyncIterator

import asyncpg
import msgspec
from pgvector import Vector
from piccolo.engine import engine_finder
from piccolo.engine.postgres import PostgresEngine

from accord.db.bounded_pool import bound_waits

logger = logging.getLogger(__name__)


class AccordPostgresEngine(PostgresEngine):
    """Piccolo's engine without its import-time version probe.

    Piccolo connects while the engine is constructed (importing piccolo_conf) just to log the server
    version; Accord checks the version in readiness instead, so importing never touches the network.
    """

    async def check_version(self) -> None:
        return None


@functools.cache
def get_engine() -> PostgresEngine:
    """piccolo_conf's engine; looked up once (Piccolo's finder re-reads its configuration on every call)."""
    engine = engine_finder()
    if not isinstance(engine, PostgresEngine):
        raise RuntimeError("piccolo_conf.DB must be a PostgresEngine")
    return engine


def _encode_vector(value: list[float] | Vector) -> bytes:
    return bytes(Vector(value).to_binary()) if not isinstance(value, Vector) else bytes(value.to_binary())


def _decode_vector(data: bytes) -> list[float]:
    # Plain lists, not pgvector.Vector: piccolo_admin serialises rows with pydantic, which rejects Vector.
    return [float(x) for x in Vector.from_binary(data).to_list()]


async def init_connection(connection: asyncpg.Connection) -> None:
    """Per-connection set-up: binary codec for pgvector's `vector` type, when the extension exists yet."""
    try:
        await connection.set_type_codec(
            "vector", schema="public", encoder=_encode_vector, decoder=_decode_vector, format="binary"
        )
    except ValueError:
        # Before migration 1 has run there is no `vector` type; connections made then simply lack the codec.
        logger.debug("pgvector type not installed yet; vector codec not registered")


@contextlib.asynccontextmanager
async def connection() -> AsyncIterator[asyncpg.Connection]:
    """The current transaction's connection if there is one (so raw SQL joins it), else a pooled one."""
    engine = get_engine()
    transaction = engine.current_transaction.get()
    if transaction is not None:
        yield transaction.connection
    elif engine.pool is not None:
        async with engine.pool.acquire() as pooled:
            yield pooled
    else:
        fresh = await engine.get_new_connection()
        try:
            yield fresh
        finally:
            await fresh.close()


class PoolStats(msgspec.Struct, frozen=True, kw_only=True):
    size: int
    in_use: int
    max_size: int


async def keep_session(connection: asyncpg.Connection) -> None:
    """Pool reset on release: nothing beyond asyncpg's own rollback of an unfinished transaction.

    asyncpg's default reset sends CLOSE ALL/UNLISTEN/RESET ALL/advisory unlock on every release, a round trip
    per query. Pooled connections never change session state here: no SET, cursors, LISTEN or session
    advisory locks (the key listener and migrations use connections of their own).
    """


async def start_pool(
    min_size: int, max_size: int, *, acquire_timeout: float = 1.0, statement_timeout: float = 30.0
) -> None:
    """The process's pool. Waiting for a connection, opening one and running a statement are all bounded
    (see BoundedWaitPool), so an unreachable or frozen database fails requests fast instead of hanging them."""
    engine = get_engine()
    if engine.pool is None:
        await engine.start_connection_pool(
            min_size=min_size,
            max_size=max_size,
            init=init_connection,
            reset=keep_session,
            timeout=acquire_timeout,  # connecting
            # The server cancels a runaway statement; the client gives up a little later on a server that no
            # longer answers at all.
            server_settings={"statement_timeout": str(int(statement_timeout * 1000))} if statement_timeout else None,
            command_timeout=statement_timeout + 1 if statement_timeout else None,
        )
        assert engine.pool is not None
        bound_waits(engine.pool, acquire_timeout)


async def close_pool() -> None:
    engine = get_engine()
    if engine.pool is not None:
        await engine.close_connection_pool()


def pool_stats() -> PoolStats | None:
    pool = get_engine().pool
    if pool is None:
        return None
    size = pool.get_size()
    return PoolStats(size=size, in_use=size - pool.get_idle_size(), max_size=pool.get_max_size())
