"""Whether the selected versions can be deployed, from the rows a matrix query found, with its findings.

Accord reads the rows like the Pact Broker does, with two deliberate differences that make the answer stricter
and more telling: a provider that must be present (a consumer needs it) but has no version where it must be is
a failure (the broker says "unknown"), and a failure outweighs a missing verification (false, not null), so
`--retry-while-unknown` doesn't wait for verifications that can't turn the answer into a yes.
"""

from __future__ import annotations

from dataclasses import dataclass
from uuid import UUID

from accord.matrix.answer import LineStaticCheck, LineVerification, LineVersion, MatrixLine
from accord.matrix.findings import (
    AllVerified,
    CannotIgnore,
    ContractFailsSpec,
    Finding,
    NoDestination,
    NoMissingDependencies,
    PickedVersion,
    SpecNotSelfVerified,
    UncoveredIntegration,
    UnpinnedSelector,
    UnverifiedContract,
    VerificationFailed,
)
from accord.matrix.query import MatrixQuery
from accord.matrix.resolution import ResolvedSelector
from accord.matrix.schemas import RowStatus
from accord.matrix.self_verification import untrusted_spec


@dataclass(frozen=True)
class Integration:
    """A consumer-provider pair the query depends on; `required` when a selected consumer needs the provider."""

    consumer_id: UUID
    consumer: str
    provider_id: UUID
    provider: str
    required: bool


@dataclass
class CandidateRow:
    consumer_id: UUID
    consumer_version_id: UUID
    provider_id: UUID
    provider_version_id: UUID | None
    line: MatrixLine
    consumer_selector: ResolvedSelector | None
    provider_selector: ResolvedSelector | None

    @property
    def status(self) -> RowStatus:
        return self.line.status


def row_status(
    verification: LineVerification | None,
    *,
    provider_version: LineVersion | None,
    absent: bool,
    static_check: LineStaticCheck | None = None,
) -> RowStatus:
    """Verified when a replayed verification succeeded or the static check against the provider version's spec
    passed and the provider's own verification of that spec passed (either proves the provider serves what the
    consumer expects); failed when the newest replay failed or, lacking a replay, the static check found
    mismatches or the spec's self-verification failed. A passed check of a spec without a self-verification
    is unverified: the provider may still publish one."""
    if verification is not None and verification.success:
        return "verified"
    if static_check is not None and static_check.verifies:
        return "verified"
    if verification is not None or (static_check is not None and static_check.refutes):
        return "failed"
    if static_check is not None:
        return "unverified"
    return "provider-absent" if provider_version is None and absent else "unverified"


@dataclass
class Verdict:
    """`findings`: the warnings first, then the errors, or a success when there are none."""

    deployable: bool | None
    findings: list[Finding]
    success: int
    failed: int
    unknown: int
    ignored: int | None


def _picked(selector: ResolvedSelector | None, name: str, version: LineVersion | None) -> PickedVersion:
    number = version.number if version else None
    return selector.picked(number) if selector else PickedVersion(service=name, number=number)


def _pair(row: CandidateRow) -> tuple[PickedVersion, PickedVersion]:
    line = row.line
    return (
        _picked(row.consumer_selector, line.consumer, line.consumer_version),
        _picked(row.provider_selector, line.provider, line.provider_version),
    )


def _warnings(query: MatrixQuery, specified: list[ResolvedSelector], ignores: list[ResolvedSelector]) -> list[Finding]:
    warnings: list[Finding] = [CannotIgnore(ignored=s.picked(s.selector.version)) for s in ignores if not s.exists]
    if len(specified) == 1 and not (query.tag or query.environment or query.main_branch):
        warnings.append(NoDestination())
    narrowed = [s for s in specified if not s.any_version]
    if narrowed and not any(s.selector.version for s in specified):
        warnings.append(UnpinnedSelector())
    return warnings


def _failure(row: CandidateRow) -> Finding:
    consumer, provider = _pair(row)
    static = row.line.static_check
    untrusted = untrusted_spec(row.line) if row.line.verification is None else None
    if row.status != "failed":
        return UnverifiedContract(consumer=consumer, provider=provider, untrusted_spec=untrusted)
    if row.line.verification is None and static is not None:
        if not static.passed:
            return ContractFailsSpec(consumer=consumer, provider=provider, mismatches=static.mismatches)
        # A static check needs a provider version, so a passed one that failed the row has an untrusted spec.
        if untrusted is not None:
            return SpecNotSelfVerified(consumer=consumer, provider=provider, spec=untrusted)
    return VerificationFailed(consumer=consumer, provider=provider)


def _unique(findings: list[Finding]) -> list[Finding]:
    return list(dict.fromkeys(findings))


def decide(
    query: MatrixQuery,
    rows: list[CandidateRow],
    *,
    specified: list[ResolvedSelector],
    ignores: list[ResolvedSelector],
    integrations: list[Integration],
) -> Verdict:
    considered = [row for row in rows if not row.line.ignored]
    ignored_rows = [row for row in rows if row.line.ignored]
    missing = [s for s in specified if not s.ignored and not s.exists]
    failed = [row for row in considered if row.status in ("failed", "provider-absent")]
    unverified = [row for row in considered if row.status == "unverified"]
    covered = {(row.consumer_id, row.provider_id) for row in rows}
    wholly_ignored = {s.service_id for s in ignores if s.any_version and s.service_id is not None}
    uncovered = [
        i
        for i in integrations
        if i.required
        and (i.consumer_id, i.provider_id) not in covered
        and not {i.consumer_id, i.provider_id} & wholly_ignored
    ]

    errors: list[Finding] = [s.missing() for s in missing]
    if not errors:
        errors += [UncoveredIntegration(consumer=i.consumer, provider=i.provider) for i in uncovered]
        errors += [_failure(row) for row in failed]
        errors += [_failure(row) for row in unverified]
    warnings = _unique(_warnings(query, specified, ignores))
    errors = _unique(errors)

    if missing or failed:
        deployable: bool | None = False
    elif unverified or uncovered:
        deployable = None
    else:
        deployable = True

    findings = warnings + errors
    if not errors:
        findings.append(AllVerified() if considered else NoMissingDependencies())
    return Verdict(
        deployable=deployable,
        findings=findings,
        success=sum(1 for row in considered if row.status == "verified"),
        failed=len(failed),
        unknown=len(unverified) + len(uncovered),
        ignored=len(ignored_rows) if ignores else None,
    )
