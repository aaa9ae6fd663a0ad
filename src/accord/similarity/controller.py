from __future__ import annotations

from uuid import UUID

from litestar import Controller, get, post
from litestar.di import NamedDependency
from litestar.params import FromPath, JSONBody

from accord.similarity.schemas import (
    DEFAULT_NEIGHBOURS,
    FixtureSearch,
    InteractionSearch,
    NeighboursQuery,
    SimilarFixtures,
    SimilarInteractions,
)
from accord.similarity.service import SimilarityService
from accord.tenancy.principal import Scope


class SimilarInteractionController(Controller):
    path = "/api/interactions"
    tags = ["interactions"]
    # `similarity` is provided by accord.composition (registered on the app).

    @get("/{interaction_id:uuid}/similar", operation_id="SimilarInteractions", summary="Nearest first, with scores")
    async def similar(
        self,
        similarity_service: NamedDependency[SimilarityService],
        interaction_id: FromPath[UUID],
        k: NeighboursQuery = DEFAULT_NEIGHBOURS,
    ) -> SimilarInteractions:
        return await similarity_service.similar_interactions(interaction_id, k)

    # A search reads only: a read key may call it although it is a POST (the sample request is a body).
    @post("/search", operation_id="SearchInteractions", status_code=200, opt={"scope": Scope.read})
    async def search(
        self, similarity_service: NamedDependency[SimilarityService], data: JSONBody[InteractionSearch]
    ) -> SimilarInteractions:
        return await similarity_service.search_interactions(data)


class SimilarFixtureController(Controller):
    path = "/api/fixtures"
    tags = ["fixtures"]
    # `similarity` is provided by accord.composition (registered on the app).

    @get("/{fixture_id:uuid}/similar", operation_id="SimilarFixtures", summary="Nearest first, with scores")
    async def similar(
        self,
        similarity_service: NamedDependency[SimilarityService],
        fixture_id: FromPath[UUID],
        k: NeighboursQuery = DEFAULT_NEIGHBOURS,
    ) -> SimilarFixtures:
        return await similarity_service.similar_fixtures(fixture_id, k)

    @post("/search", operation_id="SearchFixtures", status_code=200, opt={"scope": Scope.read})
    async def search(
        self, similarity_service: NamedDependency[SimilarityService], data: JSONBody[FixtureSearch]
    ) -> SimilarFixtures:
        return await similarity_service.search_fixtures(data)
