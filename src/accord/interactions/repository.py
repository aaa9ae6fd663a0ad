"""Queries of recorded interactions. Writes are set-based: one statement whatever the batch size."""

from __future__ import annotations

import datetime
from collections.abc import Sequence
from typing import Any
from uuid import UUID

from accord.db.repository import TenantRepository
from accord.db.rows import Row
from accord.interactions.schemas import InteractionFilters
from tables.contracts import Interaction

_SELECT = (
    "SELECT i.id, c.name AS consumer, v.number AS consumer_version, p.name AS provider, i.operation, "
    "i.request::text AS request, i.response::text AS response, i.environment, i.recorded_at, i.duration_ms, "
    "i.client_info::text AS client_info, i.hash, i.content_hash, i.created_at "
    "FROM interaction i "
    "JOIN service c ON c.id = i.consumer AND c.tenant = $1 "
    "JOIN service_version v ON v.id = i.consumer_version AND v.tenant = $1 "
    "JOIN service p ON p.id = i.provider AND p.tenant = $1 "
    "WHERE i.tenant = $1"
)


class InteractionRow(Row, frozen=True, kw_only=True):
    """An interaction as _SELECT reads it: services by name, request, response and client info as JSON text."""

    id: UUID
    consumer: str
    consumer_version: str
    provider: str
    operation: str
    request: str
    response: str
    environment: str | None
    recorded_at: datetime.datetime
    duration_ms: int | None
    client_info: str | None
    hash: str
    content_hash: str
    created_at: datetime.datetime


class NewInteractionRows:
    """Column arrays of rows to insert, in hash order (see insert_new)."""

    __slots__ = (
        "client_infos",
        "consumer_versions",
        "consumers",
        "content_hashes",
        "durations",
        "environments",
        "hashes",
        "operations",
        "providers",
        "recorded_at",
        "requests",
        "responses",
        "vector_keys",
    )

    def __init__(self) -> None:
        self.consumers: list[UUID] = []
        self.consumer_versions: list[UUID] = []
        self.providers: list[UUID] = []
        self.operations: list[str] = []
        self.requests: list[str] = []
        self.responses: list[str] = []
        self.environments: list[str | None] = []
        self.recorded_at: list[datetime.datetime | None] = []
        self.durations: list[int | None] = []
        self.client_infos: list[str | None] = []
        self.hashes: list[str] = []
        self.content_hashes: list[str] = []
        self.vector_keys: list[str] = []  # RequestVector.key of each request's vector


class InteractionRepository(TenantRepository[Interaction]):
    """A tenant's recorded interactions."""

    table = Interaction

    async def insert_new(self, rows: NewInteractionRows) -> dict[str, UUID]:
        """Insert the rows whose hash is new; {hash: id} of those inserted.

        Rows go in hash order: two batches sharing interactions then wait on each other's rows in the same
        order, which can't deadlock. A row another transaction is inserting makes this wait for it.
        """
        inserted = await self.fetch(
            "INSERT INTO interaction (tenant, consumer, consumer_version, provider, operation, request, response, "
            "environment, recorded_at, duration_ms, client_info, hash, content_hash, vector_key) "
            "SELECT $1, t.c, t.cv, t.p, t.op, t.req::jsonb, t.res::jsonb, t.env, COALESCE(t.at, now()), t.ms, "
            "t.ci::jsonb, t.h, t.ch, t.vk "
            "FROM unnest($2::uuid[], $3::uuid[], $4::uuid[], $5::text[], $6::text[], $7::text[], $8::text[], "
            "$9::timestamptz[], $10::int[], $11::text[], $12::text[], $13::text[], $14::text[]) "
            "AS t(c, cv, p, op, req, res, env, at, ms, ci, h, ch, vk) "
            "ORDER BY t.h "
            "ON CONFLICT (tenant, hash) DO NOTHING RETURNING hash, id",
            rows.consumers,
            rows.consumer_versions,
            rows.providers,
            rows.operations,
            rows.requests,
            rows.responses,
            rows.environments,
            rows.recorded_at,
            rows.durations,
            rows.client_infos,
            rows.hashes,
            rows.content_hashes,
            rows.vector_keys,
        )
        return {row["hash"]: row["id"] for row in inserted}

    async def ids_by_hash(self, hashes: Sequence[str]) -> dict[str, UUID]:
        if not hashes:
            return {}
        rows = await self.fetch(
            "SELECT hash, id FROM interaction WHERE tenant = $1 AND hash = ANY($2::text[])", list(hashes)
        )
        return {row["hash"]: row["id"] for row in rows}

    async def delete_pair_except(self, consumer_version_id: UUID, provider_id: UUID, keep: Sequence[str]) -> int:
        """Forget a consumer version's interactions with a provider whose hash is not in `keep`."""
        status = await self.execute(
            "DELETE FROM interaction WHERE tenant = $1 AND consumer_version = $2 AND provider = $3 "
            "AND NOT (hash = ANY($4::text[]))",
            consumer_version_id,
            provider_id,
            list(keep),
        )
        return int(status.rsplit(" ", 1)[-1])

    async def get(self, interaction_id: UUID) -> InteractionRow | None:
        return await self.fetch_one(InteractionRow, f"{_SELECT} AND i.id = $2", interaction_id)

    async def list_page(
        self, filters: InteractionFilters, *, limit: int, before: tuple[datetime.datetime, UUID] | None
    ) -> list[InteractionRow]:
        """Newest first by (recorded_at, id). Only the filters given become conditions, so the planner can use
        the indexes of the ones present (a generic `$n IS NULL OR ...` plan could not)."""
        conditions: list[str] = []
        args: list[Any] = []

        def bind(value: Any) -> str:
            args.append(value)
            return f"${len(args) + 1}"

        if filters.provider is not None:
            conditions.append(
                f"i.provider = (SELECT id FROM service WHERE tenant = $1 AND name = {bind(filters.provider)})"
            )
        if filters.consumer is not None:
            conditions.append(
                f"i.consumer = (SELECT id FROM service WHERE tenant = $1 AND name = {bind(filters.consumer)})"
            )
        if filters.consumer_version is not None:
            conditions.append(f"v.number = {bind(filters.consumer_version)}")
        if filters.operation is not None:
            conditions.append(f"i.operation = {bind(filters.operation)}")
        if filters.environment is not None:
            conditions.append(f"i.environment = {bind(filters.environment)}")
        if filters.recorded_from is not None:
            conditions.append(f"i.recorded_at >= {bind(filters.recorded_from)}")
        if filters.recorded_to is not None:
            conditions.append(f"i.recorded_at < {bind(filters.recorded_to)}")
        if before is not None:
            conditions.append(f"(i.recorded_at, i.id) < ({bind(before[0])}::timestamptz, {bind(before[1])}::uuid)")
        where = "".join(f" AND {condition}" for condition in conditions)
        return await self.fetch_as(
            InteractionRow, f"{_SELECT}{where} ORDER BY i.recorded_at DESC, i.id DESC LIMIT {bind(limit)}", *args
        )
