from __future__ import annotations

from typing import Annotated

import msgspec
from litestar.params import QueryParameter

from accord.catalog.schemas import ServiceName
from accord.fixtures.schemas import Fixture, FixtureStatus, HttpRequest
from accord.interactions.schemas import Interaction, OperationName

MAX_NEIGHBOURS = 100
DEFAULT_NEIGHBOURS = 10
NeighbourCount = Annotated[int, msgspec.Meta(ge=1, le=MAX_NEIGHBOURS)]
NeighboursQuery = Annotated[
    int, QueryParameter(ge=1, le=MAX_NEIGHBOURS, description=f"How many neighbours, 1 to {MAX_NEIGHBOURS}.")
]
# Cosine similarity (1 - pgvector's `<=>`): 1 is the same request shape, values and all.
Score = float


class InteractionSearch(msgspec.Struct, kw_only=True, forbid_unknown_fields=True):
    """A sample request; the interactions whose requests are nearest to it, optionally narrowed."""

    request: HttpRequest
    provider: ServiceName | None = None
    operation: OperationName | None = None
    consumer: ServiceName | None = None
    k: NeighbourCount = DEFAULT_NEIGHBOURS


class FixtureSearch(msgspec.Struct, kw_only=True, forbid_unknown_fields=True):
    """A sample request; the fixtures whose requests are nearest to it, optionally narrowed."""

    request: HttpRequest
    provider: ServiceName | None = None
    operation: OperationName | None = None
    status: FixtureStatus | None = None
    k: NeighbourCount = DEFAULT_NEIGHBOURS


class SimilarInteraction(msgspec.Struct, kw_only=True):
    score: Score
    interaction: Interaction


class SimilarInteractions(msgspec.Struct, kw_only=True):
    """Nearest first."""

    items: list[SimilarInteraction]


class SimilarFixture(msgspec.Struct, kw_only=True):
    score: Score
    fixture: Fixture


class SimilarFixtures(msgspec.Struct, kw_only=True):
    """Nearest first."""

    items: list[SimilarFixture]


class NeighbourFilters(msgspec.Struct, frozen=True, kw_only=True):
    provider: str | None = None
    operation: str | None = None
    consumer: str | None = None
    status: str | None = None
