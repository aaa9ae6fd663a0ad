from __future__ import annotations

import datetime
from uuid import UUID

from litestar import Controller, Response, get, post
from litestar.di import NamedDependency
from litestar.params import FromPath, FromQuery, JSONBody

from accord.http.json_bodies import CHECKS_ITEMS_ONE_BY_ONE
from accord.http.pagination import DEFAULT_LIMIT, CursorQuery, LimitQuery, Page
from accord.interactions.schemas import (
    BatchResult,
    Interaction,
    InteractionBatch,
    InteractionCreate,
    InteractionFilters,
    RecordedInteraction,
)
from accord.interactions.service import InteractionService


class InteractionController(Controller):
    path = "/api/interactions"
    tags = ["interactions"]
    # `interaction_service` is provided by accord.composition (registered on the app).

    @post("/", operation_id="RecordInteraction", summary="201 when recorded, 200 when already stored")
    async def record(
        self, interaction_service: NamedDependency[InteractionService], data: JSONBody[InteractionCreate]
    ) -> Response[RecordedInteraction]:
        recorded = await interaction_service.record(data)
        return Response(recorded, status_code=201 if recorded.status == "recorded" else 200)

    @post(
        "/batch",
        operation_id="RecordInteractions",
        status_code=200,
        summary="Up to 5000 items; each is validated and reported on its own",
        opt={CHECKS_ITEMS_ONE_BY_ONE: True},
    )
    async def record_batch(
        self, interaction_service: NamedDependency[InteractionService], data: JSONBody[InteractionBatch]
    ) -> BatchResult:
        return await interaction_service.record_batch(data.items)

    @get("/", operation_id="ListInteractions", summary="Newest first; filter by services, operation, time")
    async def list_interactions(
        self,
        interaction_service: NamedDependency[InteractionService],
        limit: LimitQuery = DEFAULT_LIMIT,
        cursor: CursorQuery = None,
        provider: FromQuery[str | None] = None,
        consumer: FromQuery[str | None] = None,
        consumer_version: FromQuery[str | None] = None,
        operation: FromQuery[str | None] = None,
        environment: FromQuery[str | None] = None,
        recorded_from: FromQuery[datetime.datetime | None] = None,
        recorded_to: FromQuery[datetime.datetime | None] = None,
    ) -> Page[Interaction]:
        filters = InteractionFilters(
            provider=provider,
            consumer=consumer,
            consumer_version=consumer_version,
            operation=operation,
            environment=environment,
            recorded_from=recorded_from,
            recorded_to=recorded_to,
        )
        return await interaction_service.list_interactions(filters, limit=limit, cursor=cursor)

    @get("/{interaction_id:uuid}", operation_id="GetInteraction")
    async def get_interaction(
        self, interaction_service: NamedDependency[InteractionService], interaction_id: FromPath[UUID]
    ) -> Interaction:
        return await interaction_service.get(interaction_id)
