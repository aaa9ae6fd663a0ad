"""Deleting services and versions: their deletes count what still refers to them, contracts among them."""

from __future__ import annotations

from typing import Protocol

from accord.catalog.service import ServiceCatalog


class PendingContracts(Protocol):
    """accord.contracts.following.ContractFollower: derives the tenant's contracts that recorded batches changed."""

    async def settle(self) -> None: ...


class CatalogRemoval:
    """Deletes of services and versions, counting every contract: a batch recorded but not yet derived into its
    contract would not be counted, so the tenant's pending contracts are derived first (one statement when none
    is pending)."""

    def __init__(self, catalog: ServiceCatalog, *, pending: PendingContracts) -> None:
        self.catalog = catalog
        self.pending = pending

    async def delete_service(self, name: str, *, cascade: bool) -> None:
        """Conflict while the service is referenced, unless `cascade` deletes what refers to it too."""
        await self.pending.settle()
        await self.catalog.delete_service(name, cascade=cascade)

    async def delete_version(self, service: str, number: str, *, cascade: bool) -> None:
        """Conflict while the version is referenced, unless `cascade` deletes what refers to it too."""
        await self.pending.settle()
        await self.catalog.delete_version(service, number, cascade=cascade)
