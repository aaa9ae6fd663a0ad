"""The one Piccolo engine (from piccolo_conf) and its connection pool."""

from __future__ import annotations

import contextlib
import contextvars
import functools
import logging
import time
from collections.abc import AsyncIterator, Sequence
from typing import Any

import asyncpg
import msgspec
from pgvector import Vector
from piccolo.engine import engine_finder
from piccolo.engine.postgres import PostgresEngine, PostgresTransaction

from accord.db import row_security, slow_queries
from accord.db.bounded_pool import bound_waits
from accord.db.url import application_database_url, configured_database_url

logger = logging.getLogger(__name__)


# Set while serving piccolo admin: its queries use the operators' pool (see AccordPostgresEngine.pool).
operator_tools: contextvars.ContextVar[bool] = contextvars.ContextVar("accord_operator_tools", default=False)


class AccordTransaction(PostgresTransaction):
    """Piccolo's transaction, carrying the tenant it acts for (accord.db.row_security).

    `read_only` makes it one snapshot that can't write (REPEATABLE READ READ ONLY: PostgreSQL never aborts
    such a transaction for serialization), `generic_plans` plans its prepared statements generically
    (accord.db.planning); both ride on statements the transaction sends anyway."""

    def __init__(
        self, engine: PostgresEngine, allow_nested: bool = True, *, read_only: bool = False, generic_plans: bool = False
    ) -> None:
        super().__init__(engine, allow_nested)
        self.setting = row_security.TransactionSetting()
        self.read_only = read_only
        self.generic_plans = generic_plans

    async def begin(self) -> None:
        if self.read_only:
            self.transaction = self.connection.transaction(isolation="repeatable_read", readonly=True)
        await super().begin()  # type: ignore[no-untyped-call]
        await self.setting.begin(self.connection, writes=not self.read_only, generic_plans=self.generic_plans)


class AccordPostgresEngine(PostgresEngine):
    """Piccolo's engine, with row-level security's tenant setting applied to every query it runs.

    It also skips Piccolo's import-time version probe (Piccolo connects while the engine is constructed just
    to log the server version; Accord checks the version in readiness instead, so importing never touches the
    network), and keeps a second pool for operator tools: piccolo admin is cross-tenant by design, so it
    connects as the tables' owner (DATABASE_URL), which row security does not restrict, while requests and
    workers connect as the application role.
    """

    _app_pool: asyncpg.Pool | None = None
    operator_pool: asyncpg.Pool | None = None

    @property
    def pool(self) -> asyncpg.Pool | None:
        if operator_tools.get() and self.operator_pool is not None:
            return self.operator_pool
        return self._app_pool

    @pool.setter
    def pool(self, value: asyncpg.Pool | None) -> None:
        self._app_pool = value

    async def check_version(self) -> None:
        return None

    def transaction(self, allow_nested: bool = True) -> PostgresTransaction:
        return AccordTransaction(engine=self, allow_nested=allow_nested)

    def read_transaction(self, *, generic_plans: bool = False) -> AccordTransaction:
        """One snapshot for several reads (inside another transaction: that one)."""
        return AccordTransaction(engine=self, read_only=True, generic_plans=generic_plans)

    async def run_querystring(self, querystring: Any, in_pool: bool = True) -> Any:
        transaction = self.current_transaction.get()
        if isinstance(transaction, AccordTransaction):
            await transaction.setting.apply(transaction.connection)
        started = time.perf_counter()
        try:
            return await super().run_querystring(querystring, in_pool=in_pool)
        finally:
            # The template, not the compiled text: only its first word is used, and it holds no values.
            slow_queries.check(started, getattr(querystring, "template", None))

    async def _run_in_pool(self, query: str, args: Sequence[Any] | None = None) -> Any:
        if self.pool is None:
            raise ValueError("A pool isn't currently running.")
        async with self.pool.acquire() as pooled:
            await row_security.apply_session_setting(pooled, for_writes=row_security.writes(query))
            return await pooled.fetch(query, *(args or ()))

    async def _run_in_new_connection(self, query: str, args: Sequence[Any] | None = None) -> Any:
        fresh = await self.get_new_connection()
        try:
            await row_security.apply_session_setting(fresh, for_writes=row_security.writes(query))
            return await fresh.fetch(query, *(args or ()))
        finally:
            await fresh.close()


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
async def connection(*, for_writes: bool = False) -> AsyncIterator[asyncpg.Connection]:
    """The current transaction's connection if there is one (so raw SQL joins it), else a pooled one; it acts
    for the current tenant, and as the current actor if `for_writes`. A block that takes longer than the
    slow-query threshold is reported under its caller's name."""
    started = time.perf_counter()
    try:
        engine = get_engine()
        transaction = engine.current_transaction.get()
        if transaction is not None:
            if isinstance(transaction, AccordTransaction):
                await transaction.setting.apply(transaction.connection)
            yield transaction.connection
        elif engine.pool is not None:
            async with engine.pool.acquire() as pooled:
                await row_security.apply_session_setting(pooled, for_writes=for_writes)
                yield pooled
        else:
            fresh = await engine.get_new_connection()
            try:
                await row_security.apply_session_setting(fresh, for_writes=for_writes)
                yield fresh
            finally:
                await fresh.close()
    finally:
        slow_queries.check(started, None)


class PoolStats(msgspec.Struct, frozen=True, kw_only=True):
    size: int
    in_use: int
    max_size: int


async def keep_session(connection: asyncpg.Connection) -> None:
    """Pool reset on release: nothing beyond asyncpg's own rollback of an unfinished transaction.

    asyncpg's default reset sends CLOSE ALL/UNLISTEN/RESET ALL/advisory unlock on every release, a round trip
    per query. Pooled connections change no session state but row security's tenant setting, which every
    use re-applies (accord.db.row_security); no cursors, LISTEN or session advisory locks (the key listener
    and migrations use connections of their own).
    """


async def start_pool(
    min_size: int, max_size: int, *, acquire_timeout: float = 1.0, statement_timeout: float = 30.0
) -> None:
    """The process's pool. Waiting for a connection, opening one and running a statement are all bounded
    (see BoundedWaitPool), so an unreachable or frozen database fails requests fast instead of hanging them."""
    engine = get_engine()
    if engine.pool is None:
        await engine.start_connection_pool(
            dsn=application_database_url(),
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
    if isinstance(engine, AccordPostgresEngine) and engine.operator_pool is None:
        engine.operator_pool = await asyncpg.create_pool(
            dsn=configured_database_url(), min_size=0, max_size=2, init=init_connection, reset=keep_session
        )


async def close_pool() -> None:
    engine = get_engine()
    if isinstance(engine, AccordPostgresEngine) and engine.operator_pool is not None:
        operators, engine.operator_pool = engine.operator_pool, None
        await operators.close()
    if engine.pool is not None:
        await engine.close_connection_pool()


def pool_stats() -> PoolStats | None:
    pool = get_engine().pool
    if pool is None:
        return None
    size = pool.get_size()
    return PoolStats(size=size, in_use=size - pool.get_idle_size(), max_size=pool.get_max_size())
