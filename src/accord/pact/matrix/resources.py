"""The matrix as the Pact Broker renders it (summary, notices, matrix rows), which `can-i-deploy` parses."""

from __future__ import annotations

import msgspec

from accord.matrix.answer import LineVersion, MatrixAnswer, MatrixLine
from accord.pact.hal_time import pact_time
from accord.pact.links import Link, Links
from accord.pact.matrix.wording import notices
from accord.pact.pact_urls import verification_result_url
from accord.pact.resource_urls import branch_version_url, pact_url, pacticipant_url, tag_url, version_url

LinkMap = dict[str, Link]


class TagResource(msgspec.Struct, kw_only=True):
    name: str
    links: LinkMap = msgspec.field(name="_links")


class BranchVersionResource(msgspec.Struct, kw_only=True):
    name: str
    links: LinkMap = msgspec.field(name="_links")


class VersionResource(msgspec.Struct, kw_only=True, omit_defaults=True, rename="camel"):
    number: str
    # No default, so always sent, empty or not, as the broker does (`branches`: its older name).
    branches: list[BranchVersionResource]
    branch_versions: list[BranchVersionResource]
    tags: list[TagResource]
    branch: str | None = None
    links: LinkMap = msgspec.field(name="_links", default_factory=dict)


class PacticipantResource(msgspec.Struct, kw_only=True):
    name: str
    version: VersionResource | None
    links: LinkMap = msgspec.field(name="_links")


class PactResource(msgspec.Struct, kw_only=True, rename="camel"):
    created_at: str
    links: LinkMap = msgspec.field(name="_links")


class VerificationResource(msgspec.Struct, kw_only=True, rename="camel", omit_defaults=True):
    success: bool
    verified_at: str
    links: LinkMap = msgspec.field(name="_links")
    verified_by: dict[str, str] | None = None


class MatrixLineResource(msgspec.Struct, kw_only=True, rename="camel", omit_defaults=True):
    consumer: PacticipantResource
    provider: PacticipantResource
    pact: PactResource
    verification_result: VerificationResource | None  # no default: always present, null when unverified
    ignored: bool = False


class MatrixSummary(msgspec.Struct, kw_only=True, omit_defaults=True):
    deployable: bool | None  # no default: always present, null when unknown
    reason: str
    success: int
    failed: int
    unknown: int
    ignored: int | None = None


class NoticeResource(msgspec.Struct, kw_only=True):
    type: str
    text: str


class MatrixDocument(msgspec.Struct, kw_only=True):
    summary: MatrixSummary
    notices: list[NoticeResource]
    matrix: list[MatrixLineResource]


def _version(links: Links, pacticipant: str, version: LineVersion) -> VersionResource:
    branch_versions = [
        BranchVersionResource(
            name=branch, links={"self": Link(href=branch_version_url(links, pacticipant, branch, version.number))}
        )
        for branch in version.branches
    ]
    return VersionResource(
        number=version.number,
        branch=version.branches[-1] if version.branches else None,
        branches=branch_versions,
        branch_versions=branch_versions,
        tags=[
            TagResource(name=tag, links={"self": Link(href=tag_url(links, pacticipant, version.number, tag))})
            for tag in version.tags
        ],
        links={"self": Link(href=version_url(links, pacticipant, version.number), title="Version")},
    )


def _side(links: Links, name: str, version: LineVersion | None) -> PacticipantResource:
    return PacticipantResource(
        name=name,
        version=_version(links, name, version) if version else None,
        links={"self": Link(href=pacticipant_url(links, name))},
    )


def _static_check(links: Links, line: MatrixLine) -> VerificationResource | None:
    """A row settled by the static check against the provider's spec (no replay, or a failed one beside a
    passed check) shows that check as its verification result, linked to its mismatches in the native API."""
    check = line.static_check
    replay = line.verification
    if check is None or (replay is not None and (replay.success or not check.passed)):
        return None
    if check.passed and not check.verifies:
        # The spec is not self-verified: the check proves nothing about the provider, so it is no result.
        return None
    return VerificationResource(
        success=check.passed,
        verified_at=pact_time(check.checked_at or line.published_at),
        links={"self": Link(href=f"{links.base}/api/static-checks/{check.id}", title="Static check")},
        verified_by={"implementation": "Accord static check against the provider's OpenAPI spec"},
    )


def _replay(links: Links, line: MatrixLine) -> VerificationResource | None:
    verification = line.verification
    if verification is None:
        return None
    href = verification_result_url(links, line.provider, line.consumer, line.contract_sha, str(verification.id))
    return VerificationResource(
        success=verification.success,
        verified_at=pact_time(verification.verified_at),
        links={"self": Link(href=href)},
    )


def _line(links: Links, line: MatrixLine) -> MatrixLineResource:
    pact_href = pact_url(links, line.provider, line.consumer, line.consumer_version.number)
    return MatrixLineResource(
        consumer=_side(links, line.consumer, line.consumer_version),
        provider=_side(links, line.provider, line.provider_version),
        pact=PactResource(created_at=pact_time(line.published_at), links={"self": Link(href=pact_href)}),
        verification_result=_static_check(links, line) or _replay(links, line),
        ignored=line.ignored,
    )


def matrix_document(answer: MatrixAnswer, links: Links) -> MatrixDocument:
    worded = notices(answer.findings)
    return MatrixDocument(
        summary=MatrixSummary(
            deployable=answer.deployable,
            reason="\n".join(text for _, text in worded),
            success=answer.success,
            failed=answer.failed,
            unknown=answer.unknown,
            ignored=answer.ignored,
        ),
        notices=[NoticeResource(type=kind, text=text) for kind, text in worded],
        matrix=[_line(links, line) for line in answer.lines],
    )
