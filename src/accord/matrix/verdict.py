"""Whether the selected versions can be deployed, from the rows a matrix query found, with its reasons.

Accord reads the rows like the Pact Broker does, with two deliberate differences that make the answer stricter
and more telling: a provider that must be present (a consumer needs it) but has no version where it must be is
a failure (the broker says "unknown"), and a failure outweighs a missing verification (false, not null), so
`--retry-while-unknown` doesn't wait for verifications that can't turn the answer into a yes.
"""

from __future__ import annotations

from dataclasses import dataclass
from uuid import UUID

from accord.matrix.answer import LineStaticCheck, LineVerification, LineVersion, MatrixLine, Notice
from accord.matrix.query import MatrixQuery
from accord.matrix.resolution import ResolvedSelector, describe_unselected
from accord.matrix.schemas import RowStatus
from accord.matrix.self_verification import untrusted_spec_reason


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
    deployable: bool | None
    notices: list[Notice]
    success: int
    failed: int
    unknown: int
    ignored: int | None


def _describe(selector: ResolvedSelector | None, name: str, version: LineVersion | None) -> str:
    number = version.number if version else None
    return selector.description(number) if selector else describe_unselected(name, number)


def _pair(row: CandidateRow) -> tuple[str, str]:
    line = row.line
    return (
        _describe(row.consumer_selector, line.consumer, line.consumer_version),
        _describe(row.provider_selector, line.provider, line.provider_version),
    )


def _warnings(query: MatrixQuery, specified: list[ResolvedSelector], ignores: list[ResolvedSelector]) -> list[str]:
    warnings = [f"WARN: Cannot ignore {s.description(s.selector.version)}" for s in ignores if not s.exists]
    if len(specified) == 1 and not (query.tag or query.environment or query.main_branch):
        warnings.append(
            "WARN: It is recommended to specify the environment into which you are deploying. "
            "Without the environment, this result will not be reliable."
        )
    narrowed = [s for s in specified if not s.any_version]
    if narrowed and not any(s.selector.version for s in specified):
        warnings.append(
            "WARN: It is recommended to specify the version number (rather than the tag or branch) of the "
            "pacticipant you wish to deploy to avoid race conditions. Without a version number, this result "
            "will not be reliable."
        )
    return warnings


def _failure(row: CandidateRow) -> str:
    consumer, provider = _pair(row)
    static = row.line.static_check
    untrusted = untrusted_spec_reason(row.line) if row.line.verification is None else None
    if row.status != "failed":
        missing = f"There is no verified pact between {consumer} and {provider}"
        return f"{missing}: {untrusted}" if untrusted else missing
    if row.line.verification is None and static is not None:
        if not static.passed:
            found = "; ".join(static.mismatches) or "mismatches"
            return f"The pact between {consumer} and {provider} does not match the provider's OpenAPI spec: {found}"
        return f"The pact between {consumer} and {provider} is not verified: {untrusted}"
    return f"The verification for the pact between {consumer} and {provider} failed"


def _unique(texts: list[str]) -> list[str]:
    return list(dict.fromkeys(texts))


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

    errors: list[str] = [s.missing_description() for s in missing]
    if not errors:
        errors += [f"There is no verified pact between {i.consumer} and {i.provider}" for i in uncovered]
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

    notices = [Notice(type="warning", text=text) for text in warnings]
    if errors:
        notices += [Notice(type="error", text=text) for text in errors]
    elif considered:
        notices.append(Notice(type="success", text="All required verification results are published and successful"))
    else:
        notices.append(Notice(type="success", text="There are no missing dependencies"))
    return Verdict(
        deployable=deployable,
        notices=notices,
        success=sum(1 for row in considered if row.status == "verified"),
        failed=len(failed),
        unknown=len(unverified) + len(uncovered),
        ignored=len(ignored_rows) if ignores else None,
    )
