"""Where the newest contract of a pair stands: verified, failed, changed since the last verification, or unknown.

The broker's "pseudo branch" status: the newest verdict on the pair counts even when it was on an older
contract; a success on an older contract means the contract changed since (unverified yet).
"""

from __future__ import annotations

from typing import Literal

import msgspec

from accord.matrix.contract_status_repository import ContractStatusRepository
from accord.tenant_ids import TenantId

ContractVerificationStatus = Literal["verified", "failed", "changed", "unknown", "not-found"]


class ContractStatus(msgspec.Struct, frozen=True, kw_only=True):
    status: ContractVerificationStatus
    consumer_version: str | None = None
    provider_version: str | None = None


class ContractStatusService:
    """The verification status of a consumer's newest contract with a provider (for badges)."""

    def __init__(self, tenant: TenantId) -> None:
        self.repository = ContractStatusRepository(tenant)

    async def status(
        self,
        consumer: str,
        provider: str,
        *,
        consumer_tag: str | None = None,
        untagged: bool = False,
        provider_tag: str | None = None,
    ) -> ContractStatus:
        row = await self.repository.latest(
            consumer, provider, consumer_tag=consumer_tag, untagged=untagged, provider_tag=provider_tag
        )
        if row is None:
            return ContractStatus(status="not-found")
        status: ContractVerificationStatus
        if row.success is None:
            status = "unknown"
        elif not row.success:
            status = "failed"
        else:
            status = "verified" if row.verified_sha == row.sha else "changed"
        return ContractStatus(
            status=status, consumer_version=row.consumer_version, provider_version=row.provider_version
        )
