from __future__ import annotations

import datetime
from typing import Annotated
from uuid import UUID

import msgspec

from accord.catalog.names import BRANCH_NAME_PATTERN, SEGMENT_PATTERN, SERVICE_NAME_PATTERN

# Names travel in URL paths: the rule is in accord.catalog.names.
ServiceName = Annotated[str, msgspec.Meta(min_length=1, max_length=255, pattern=SERVICE_NAME_PATTERN)]
VersionNumber = Annotated[str, msgspec.Meta(min_length=1, max_length=255, pattern=SEGMENT_PATTERN)]
BranchName = Annotated[str, msgspec.Meta(min_length=1, max_length=255, pattern=BRANCH_NAME_PATTERN)]
TagName = Annotated[str, msgspec.Meta(min_length=1, max_length=255, pattern=SEGMENT_PATTERN)]
Url = Annotated[str, msgspec.Meta(max_length=2048, pattern=r"^https?://\S+$")]
GitSha = Annotated[str, msgspec.Meta(min_length=4, max_length=64, pattern=r"^[0-9a-fA-F]+$")]


class Service(msgspec.Struct, kw_only=True):
    id: UUID
    name: str
    display_name: str | None
    description: str
    repository_url: str | None
    main_branch: str | None
    created_at: datetime.datetime
    updated_at: datetime.datetime


class ServiceCreate(msgspec.Struct, kw_only=True, forbid_unknown_fields=True):
    name: ServiceName
    display_name: Annotated[str, msgspec.Meta(max_length=255)] | None = None
    description: Annotated[str, msgspec.Meta(max_length=10_000)] = ""
    repository_url: Url | None = None
    main_branch: BranchName | None = None


class ServiceUpdate(msgspec.Struct, kw_only=True, forbid_unknown_fields=True):
    """Fields to change; absent fields keep their value, null clears an optional one."""

    display_name: Annotated[str, msgspec.Meta(max_length=255)] | msgspec.UnsetType | None = msgspec.UNSET
    description: Annotated[str, msgspec.Meta(max_length=10_000)] | msgspec.UnsetType = msgspec.UNSET
    repository_url: Url | msgspec.UnsetType | None = msgspec.UNSET
    main_branch: BranchName | msgspec.UnsetType | None = msgspec.UNSET


class Version(msgspec.Struct, kw_only=True):
    id: UUID
    service: str
    number: str
    git_sha: str | None
    build_url: str | None
    branches: list[str]
    tags: list[str]
    created_at: datetime.datetime


class VersionCreate(msgspec.Struct, kw_only=True, forbid_unknown_fields=True):
    number: VersionNumber
    git_sha: GitSha | None = None
    build_url: Url | None = None
    branches: Annotated[list[BranchName], msgspec.Meta(max_length=20)] = []
    tags: Annotated[list[TagName], msgspec.Meta(max_length=50)] = []


class VersionUpdate(msgspec.Struct, kw_only=True, forbid_unknown_fields=True):
    """Branches and tags given here are added; versions never leave a branch or lose a tag by update."""

    git_sha: GitSha | msgspec.UnsetType | None = msgspec.UNSET
    build_url: Url | msgspec.UnsetType | None = msgspec.UNSET
    branches: Annotated[list[BranchName], msgspec.Meta(max_length=20)] = []
    tags: Annotated[list[TagName], msgspec.Meta(max_length=50)] = []


class VersionRef(msgspec.Struct, frozen=True, kw_only=True):
    """Ids of a (possibly just auto-created) service version, for other slices to reference."""

    service_id: UUID
    service: str
    version_id: UUID
    number: str


class ServiceOverview(msgspec.Struct, kw_only=True):
    """A service as a directory shows it: its main branch (set, else detected), latest version and labels, and
    the repository it is built from."""

    name: str
    display_name: str | None
    repository_url: str | None
    main_branch: str | None
    latest_version: str | None
    created_at: datetime.datetime
    updated_at: datetime.datetime
    repository_name: str | None = None
    repository_namespace: str | None = None
    labels: list[str] = msgspec.field(default_factory=list)


class ServiceFields(msgspec.Struct, kw_only=True):
    """What replacing a service's fields sets (unset ones are cleared) or merging changes (unset ones are kept);
    validated by the API that takes them."""

    display_name: str | msgspec.UnsetType | None = msgspec.UNSET
    repository_url: str | msgspec.UnsetType | None = msgspec.UNSET
    main_branch: str | msgspec.UnsetType | None = msgspec.UNSET
    repository_name: str | msgspec.UnsetType | None = msgspec.UNSET
    repository_namespace: str | msgspec.UnsetType | None = msgspec.UNSET


class ServiceLabel(msgspec.Struct, kw_only=True):
    """A label on a service (e.g. a team); selectors and webhooks can name services by label."""

    name: str
    created_at: datetime.datetime
    updated_at: datetime.datetime


class BranchMembership(msgspec.Struct, kw_only=True):
    """A branch a version is on, and whether it is the branch's head (no later version joined it)."""

    name: str
    latest: bool


class VersionEntry(msgspec.Struct, kw_only=True):
    """A version as a service's history lists it: its branches in join order, its tags by name."""

    id: UUID
    number: str
    build_url: str | None
    branches: list[BranchMembership]
    tags: list[str]
    created_at: datetime.datetime
    updated_at: datetime.datetime
    position: int  # creation order within the service; the history's sort key


class VersionTag(msgspec.Struct, kw_only=True):
    name: str
    created_at: datetime.datetime


class ServiceBranch(msgspec.Struct, kw_only=True):
    name: str
    created_at: datetime.datetime
    updated_at: datetime.datetime


class BranchJoin(msgspec.Struct, kw_only=True):
    """When a version joined a branch."""

    created_at: datetime.datetime
