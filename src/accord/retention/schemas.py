"""What a clean keeps and what it removed (or, in a dry run, would remove)."""

from __future__ import annotations

from typing import Annotated

import msgspec


class KeepRules(msgspec.Struct, frozen=True, kw_only=True):
    """Like the Pact Broker's clean keep selectors; a version is kept when any rule keeps it.

    Always kept besides these: the head of each service's main branch, the latest version of each service,
    and every version currently deployed or released (currently supported).
    """

    # The latest N versions of every branch (0: the rule is off; main-branch heads are still kept).
    latest_per_branch: Annotated[int, msgspec.Meta(ge=0)] = 10
    # Everything created in the last D days, versions and contract contents alike.
    younger_than_days: Annotated[float, msgspec.Meta(ge=0)] = 90.0
    # Not a keep rule for versions: Idempotency-Keys (and their stored responses) older than this go.
    idempotency_key_hours: Annotated[float, msgspec.Meta(ge=0)] = 24.0
    # Nor this: events (with their webhook deliveries) and webhook attempts older than this go, except events
    # still being fanned out or delivered.
    webhook_history_days: Annotated[float, msgspec.Meta(ge=0)] = 30.0


class RemovedCounts(msgspec.Struct, kw_only=True):
    """Rows a clean removes, per kind; the version's dependents go with it (foreign keys cascade)."""

    versions: int = 0
    contract_publications: int = 0
    contract_contents: int = 0
    interactions: int = 0
    verification_results: int = 0
    static_checks: int = 0
    specs: int = 0
    deployments: int = 0
    releases: int = 0
    tags: int = 0
    branch_versions: int = 0
    pending_contracts: int = 0
    fixture_versions: int = 0
    request_vectors: int = 0
    idempotency_keys: int = 0
    events: int = 0
    webhook_deliveries: int = 0
    webhook_attempts: int = 0

    def total(self) -> int:
        return sum(msgspec.structs.asdict(self).values())

    def add(self, other: RemovedCounts) -> None:
        for field in self.__struct_fields__:
            setattr(self, field, getattr(self, field) + getattr(other, field))


class TenantClean(msgspec.Struct, kw_only=True):
    tenant: str
    removed: RemovedCounts


class CleanReport(msgspec.Struct, kw_only=True):
    dry_run: bool
    tenants: list[TenantClean]

    def totals(self) -> RemovedCounts:
        totals = RemovedCounts()
        for tenant in self.tenants:
            totals.add(tenant.removed)
        return totals
