"""Finding the interactions and fixtures nearest to a sample request or to a stored one."""

from __future__ import annotations

from uuid import UUID

import msgspec

from accord.catalog.service import ServiceCatalog
from accord.db.engine import get_engine
from accord.embeddings.hashing import request_vector, vector_literal, with_operation
from accord.errors import NotFound
from accord.exchanges.normalize import default_operation
from accord.fixtures.normalize import normalize_request
from accord.fixtures.schemas import HttpRequest
from accord.fixtures.service import to_schema as fixture_schema
from accord.interactions.service import InteractionService, OperationLookup
from accord.interactions.service import to_schema as interaction_schema
from accord.similarity.repository import (
    FixtureNeighbourRepository,
    FixtureNeighbourRow,
    InteractionNeighbourRepository,
    InteractionNeighbourRow,
)
from accord.similarity.schemas import (
    FixtureSearch,
    InteractionSearch,
    NeighbourFilters,
    SimilarFixture,
    SimilarFixtures,
    SimilarInteraction,
    SimilarInteractions,
)
from accord.tenant_ids import TenantId


def _score(distance: float) -> float:
    return round(1.0 - distance, 6)


def _interactions(rows: list[InteractionNeighbourRow]) -> SimilarInteractions:
    return SimilarInteractions(
        items=[SimilarInteraction(score=_score(row.distance), interaction=interaction_schema(row)) for row in rows]
    )


def _fixtures(rows: list[FixtureNeighbourRow]) -> SimilarFixtures:
    return SimilarFixtures(
        items=[SimilarFixture(score=_score(row.distance), fixture=fixture_schema(row)) for row in rows]
    )


class SimilarityService:
    """Nearest neighbours of a tenant's interactions and fixtures, by request."""

    def __init__(self, tenant: TenantId, *, catalog: ServiceCatalog, recording: InteractionService) -> None:
        """Built by accord.composition.similarity_service, which hands in the collaborators."""
        self.interactions = InteractionNeighbourRepository(tenant)
        self.fixtures = FixtureNeighbourRepository(tenant)
        self.recording = recording
        self.catalog = catalog

    async def _sample_vector(self, request: HttpRequest, operation: str | None, provider: str | None) -> str:
        """The sample's vector, with the operation given, or else the one ingest would have named: the provider's
        latest spec's, or `METHOD /path`."""
        normalized = normalize_request(msgspec.to_builtins(request))
        if provider is not None:
            provider_id = await self.catalog.service_id(provider)  # an unknown provider is a 404, not no results
            if operation is None:
                lookup = OperationLookup(provider_id=provider_id, method=request.method, path=request.path)
                (operation,) = await self.recording.resolve_operations([lookup])
        if operation is None:  # as ingest names an operation no spec names
            operation = default_operation(request.method, request.path)
        return vector_literal(with_operation(request_vector(normalized), operation))

    async def search_interactions(self, data: InteractionSearch) -> SimilarInteractions:
        vector = await self._sample_vector(data.request, data.operation, data.provider)
        filters = NeighbourFilters(provider=data.provider, operation=data.operation, consumer=data.consumer)
        async with get_engine().transaction():
            rows = await self.interactions.nearest(vector, k=data.k, filters=filters)
        return _interactions(rows)

    async def similar_interactions(self, interaction_id: UUID, k: int) -> SimilarInteractions:
        """The interactions nearest to a stored one (itself left out)."""
        async with get_engine().transaction():
            found = await self.interactions.vector_of(interaction_id)
            if found is None:
                raise NotFound(f"No interaction with id {interaction_id}.")
            rows = await self.interactions.nearest(
                found.embedding, k=k, filters=NeighbourFilters(), exclude=interaction_id
            )
        return _interactions(rows)

    async def search_fixtures(self, data: FixtureSearch) -> SimilarFixtures:
        vector = await self._sample_vector(data.request, data.operation, data.provider)
        filters = NeighbourFilters(
            provider=data.provider,
            operation=data.operation,
            status=data.status.value if data.status is not None else None,
        )
        async with get_engine().transaction():
            rows = await self.fixtures.nearest(vector, k=data.k, filters=filters)
        return _fixtures(rows)

    async def similar_fixtures(self, fixture_id: UUID, k: int) -> SimilarFixtures:
        """The fixtures nearest to a stored one (itself left out)."""
        async with get_engine().transaction():
            found = await self.fixtures.vector_of(fixture_id)
            if found is None:
                raise NotFound(f"No fixture with id {fixture_id}.")
            if found.embedding is None:  # every fixture is stored with its vector; none has nothing near it
                return SimilarFixtures(items=[])
            rows = await self.fixtures.nearest(found.embedding, k=k, filters=NeighbourFilters(), exclude=fixture_id)
        return _fixtures(rows)
