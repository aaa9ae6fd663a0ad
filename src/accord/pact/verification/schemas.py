"""Request bodies of pacts for verification and verification results, with Pact's camelCase field names."""

from __future__ import annotations

import datetime
from typing import Annotated, Any

import msgspec

from accord.catalog.schemas import BranchName, ServiceName, TagName, Url, VersionNumber


class ConsumerVersionSelector(msgspec.Struct, kw_only=True, forbid_unknown_fields=True, rename="camel"):
    """Which consumer versions' pacts to verify (see the broker's docs on consumer version selectors)."""

    main_branch: bool | None = None
    branch: BranchName | None = None
    matching_branch: bool | None = None
    fallback_branch: BranchName | None = None
    tag: TagName | None = None
    fallback_tag: TagName | None = None
    latest: bool | None = None
    deployed: bool | None = None
    released: bool | None = None
    deployed_or_released: bool | None = None
    environment: Annotated[str, msgspec.Meta(min_length=1, max_length=100)] | None = None
    consumer: ServiceName | None = None


class PactsForVerificationQuery(msgspec.Struct, kw_only=True, forbid_unknown_fields=True, rename="camel"):
    consumer_version_selectors: Annotated[list[ConsumerVersionSelector], msgspec.Meta(max_length=100)] = []
    provider_version_branch: Annotated[str, msgspec.Meta(max_length=255)] | None = None
    provider_version_tags: Annotated[list[TagName], msgspec.Meta(max_length=50)] = []
    include_pending_status: bool = False
    include_wip_pacts_since: Annotated[str, msgspec.Meta(max_length=64)] | None = None


class VerificationResultPublish(msgspec.Struct, kw_only=True, forbid_unknown_fields=True, rename="camel"):
    """What verifiers POST to a pact's pb:publish-verification-results link."""

    success: bool
    provider_application_version: VersionNumber
    provider_version_branch: BranchName | None = None
    provider_version_tags: Annotated[list[TagName], msgspec.Meta(max_length=50)] = []
    build_url: Url | None = None
    # Per interaction ([{interactionId, interactionDescription, success, mismatches, exceptions}]) from the
    # Rust core and pact-jvm; an object ({tests: [...], summary}) from older Ruby verifiers. Read leniently.
    test_results: Annotated[list[Any], msgspec.Meta(max_length=10_000)] | dict[str, Any] | None = None
    verified_by: dict[str, Any] | None = None
    # Sent by some clients; Accord records when the result arrived, as the broker does.
    verification_date: datetime.datetime | None = None
