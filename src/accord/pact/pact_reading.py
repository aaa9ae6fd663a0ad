"""Reading pacts as Pact clients do: one pact by consumer version, latest (tag, branch), by content sha, and
the latest pacts of a provider or of every integration. Reads only: nothing here writes."""

from __future__ import annotations

import datetime
from typing import Any

import msgspec

from accord.catalog.service import ServiceCatalog
from accord.contracts.pact_repository import PactRepository
from accord.errors import NotFound
from accord.http.pagination import Page, decode_cursor, encode_cursor
from accord.pact.served_pacts import recorded_as_pact, served_pact
from accord.tenancy.ids import TenantId


class PactView(msgspec.Struct, kw_only=True):
    """A pact as served: the document (recorded interactions rendered as a pact) and where it comes from."""

    consumer: str
    provider: str
    consumer_version: str | None
    sha: str
    kind: str
    document: dict[str, Any]
    created_at: datetime.datetime


class PactSummary(msgspec.Struct, kw_only=True):
    consumer: str
    provider: str
    consumer_version: str
    sha: str
    created_at: datetime.datetime


def _view(row: dict[str, Any]) -> PactView:
    content = msgspec.json.decode(row["content"])
    if row["kind"] == "pact":
        document = served_pact(content)
    else:
        document = recorded_as_pact(content, consumer=row["consumer"], provider=row["provider"])
    return PactView(
        consumer=row["consumer"],
        provider=row["provider"],
        consumer_version=row["consumer_version"],
        sha=row["sha"],
        kind=row["kind"],
        document=document,
        created_at=row["created_at"],
    )


def _summary(row: dict[str, Any]) -> PactSummary:
    return PactSummary(
        consumer=row["consumer"],
        provider=row["provider"],
        consumer_version=row["consumer_version"],
        sha=row["sha"],
        created_at=row["created_at"],
    )


class PactReader:
    """Publications of a tenant as pacts; contracts that follow recorded interactions are pacts too."""

    def __init__(self, tenant: TenantId) -> None:
        self.pacts = PactRepository(tenant)
        self.catalog = ServiceCatalog(tenant)

    async def for_version(self, consumer: str, provider: str, consumer_version: str) -> PactView:
        row = await self.pacts.by_version(consumer, provider, consumer_version)
        if row is None:
            raise NotFound(f"No pact between '{consumer}' version '{consumer_version}' and '{provider}'.")
        return _view(row)

    async def latest(
        self,
        consumer: str,
        provider: str,
        *,
        tag: str | None = None,
        branch: str | None = None,
        main_branch: bool = False,
    ) -> PactView:
        row = await self.pacts.latest(consumer, provider, tag=tag, branch=branch, main_branch=main_branch)
        if row is None:
            which = f" with tag '{tag}'" if tag else f" from branch '{branch}'" if branch else ""
            raise NotFound(f"No pact between '{consumer}'{which} and '{provider}'.")
        return _view(row)

    async def by_sha(self, consumer: str, provider: str, sha: str) -> PactView:
        row = await self.pacts.by_sha(consumer, provider, sha)
        if row is None:
            raise NotFound(f"No pact version {sha} between '{consumer}' and '{provider}'.")
        return _view(row)

    async def latest_for_provider(
        self, provider: str, *, tag: str | None = None, branch: str | None = None, main_branch: bool = False
    ) -> list[PactSummary]:
        """The latest pact of each consumer of the provider (NotFound for an unknown provider)."""
        await self.catalog.service_id(provider)
        rows = await self.pacts.latest_per_consumer(provider, tag=tag, branch=branch, main_branch=main_branch)
        return [_summary(row) for row in rows]

    async def for_provider(
        self, provider: str, *, tag: str | None, limit: int, cursor: str | None
    ) -> Page[PactSummary]:
        """Every pact with the provider, newest consumer version first (NotFound for an unknown provider)."""
        await self.catalog.service_id(provider)
        before = decode_cursor(cursor, int)
        rows = await self.pacts.for_provider(
            provider, tag=tag, limit=limit + 1, before_position=before[0] if before else None
        )
        next_cursor = encode_cursor(rows[limit - 1]["position"]) if len(rows) > limit else None
        return Page(items=[_summary(row) for row in rows[:limit]], next_cursor=next_cursor)

    async def latest_pacts(self) -> list[PactSummary]:
        return [_summary(row) for row in await self.pacts.latest_per_pair()]
