"""What a matrix query answers: the rows it considered, and whether the selected versions can be deployed."""

from __future__ import annotations

import datetime
from typing import Literal
from uuid import UUID

import msgspec

from accord.matrix.findings import Finding, MissingVersion
from accord.matrix.schemas import RowStatus


class LineVerification(msgspec.Struct, frozen=True, kw_only=True):
    id: UUID
    success: bool
    verified_at: datetime.datetime


class LineStaticCheck(msgspec.Struct, frozen=True, kw_only=True):
    """The contract checked against the provider version's spec without replaying it.

    `spec_verified` is the spec's self-verification (None: none published). A passed check proves the contract
    matches the document; only a passed self-verification proves the provider implements the document, so only
    both together verify the contract (as PactFlow trusts only self-verified provider contracts)."""

    id: UUID
    passed: bool
    checked_at: datetime.datetime | None = None
    mismatches: tuple[str, ...] = ()
    spec_verified: bool | None = None

    @property
    def verifies(self) -> bool:
        return self.passed and self.spec_verified is True

    @property
    def refutes(self) -> bool:
        """A mismatch, or a spec the provider's own verification showed it does not implement."""
        return not self.passed or self.spec_verified is False


class LineVersion(msgspec.Struct, frozen=True, kw_only=True):
    number: str
    position: int
    branches: tuple[str, ...] = ()
    tags: tuple[str, ...] = ()


class MatrixLine(msgspec.Struct, frozen=True, kw_only=True):
    """A consumer version's contract with a provider, against one provider version (or none: never verified by
    any selected version, or `provider-absent` when no version of the provider is where it must be)."""

    consumer: str
    consumer_version: LineVersion
    provider: str
    provider_version: LineVersion | None
    contract_sha: str
    published_at: datetime.datetime
    status: RowStatus
    verification: LineVerification | None
    static_check: LineStaticCheck | None = None
    ignored: bool = False

    @property
    def verified_by(self) -> Literal["verification", "static-check"] | None:
        """What made the row verified: a replayed verification, else the static check against the spec."""
        if self.verification is not None and self.verification.success:
            return "verification"
        if self.static_check is not None and self.static_check.verifies:
            return "static-check"
        return None


class MatrixAnswer(msgspec.Struct, kw_only=True):
    """`deployable` is None while a verification is missing; `findings` say why (warnings first, then errors, or
    a success); `lines` lists the considered rows first."""

    deployable: bool | None
    findings: list[Finding]
    success: int
    failed: int
    unknown: int
    ignored: int | None
    lines: list[MatrixLine]
    # What the query named that doesn't exist; callers decide whether that is an error (the Pact API, the
    # native can-i-deploy) or a status to show (badges).
    unknown_services: list[str]
    unknown_environment: str | None
    # Specified selectors of existing services that matched no version (for badges: "version not found").
    missing_versions: list[MissingVersion]
