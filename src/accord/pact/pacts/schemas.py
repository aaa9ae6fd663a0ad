"""Request bodies of publishing pacts, with Pact's camelCase field names."""

from __future__ import annotations

from typing import Annotated, Literal

import msgspec

from accord.catalog.schemas import BranchName, ServiceName, TagName, Url, VersionNumber

OnConflict = Literal["overwrite", "merge"]
# A pact travels base64-encoded; the body limit of the app bounds it, this only rules out an empty one.
Base64Content = Annotated[str, msgspec.Meta(min_length=1)]


class ContractToPublish(msgspec.Struct, kw_only=True, forbid_unknown_fields=True, rename="camel"):
    consumer_name: ServiceName
    provider_name: ServiceName
    specification: Literal["pact"]
    content_type: Literal["application/json"]
    content: Base64Content
    # The broker's default; changing published content is refused either way unless replacing is asked for.
    on_conflict: OnConflict = "overwrite"


class ContractsPublish(msgspec.Struct, kw_only=True, forbid_unknown_fields=True, rename="camel"):
    """POST /contracts/publish: one consumer version and the pacts it publishes."""

    pacticipant_name: ServiceName
    pacticipant_version_number: VersionNumber
    branch: BranchName | None = None
    tags: Annotated[list[TagName], msgspec.Meta(max_length=50)] = []
    build_url: Url | None = None
    contracts: Annotated[list[ContractToPublish], msgspec.Meta(min_length=1, max_length=100)]
