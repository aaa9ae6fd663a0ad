"""Pact bodies (camelCase, as Pact clients send them) and views of pacticipants, versions, branches and tags."""

from __future__ import annotations

import datetime
from typing import Annotated
from uuid import UUID

import msgspec

from accord.catalog.schemas import BranchName, ServiceName, TagName
from accord.pact.snake_case import adopt_snake_case

# The broker takes any single-line string for these; Accord keeps its column limits.
SingleLine = Annotated[str, msgspec.Meta(max_length=255, pattern=r"^[^\r\n]*$")]
RepositoryUrl = Annotated[str, msgspec.Meta(max_length=2048, pattern=r"^[^\s]*$")]
BuildUrl = Annotated[str, msgspec.Meta(max_length=2048, pattern=r"^[^\s]*$")]


class PacticipantFields(msgspec.Struct, kw_only=True, forbid_unknown_fields=True, rename="camel"):
    """What PUT replaces and PATCH merges; a name in the body is ignored (the path names the pacticipant)."""

    name: ServiceName | msgspec.UnsetType = msgspec.UNSET
    display_name: SingleLine | msgspec.UnsetType | None = msgspec.UNSET
    repository_url: RepositoryUrl | msgspec.UnsetType | None = msgspec.UNSET
    main_branch: BranchName | msgspec.UnsetType | None = msgspec.UNSET
    # Stored by the Pact API itself (the native API doesn't show them).
    repository_name: SingleLine | msgspec.UnsetType | None = msgspec.UNSET
    repository_namespace: SingleLine | msgspec.UnsetType | None = msgspec.UNSET
    # The same under the snake_case names the Ruby client sends (accord.pact.snake_case).
    display_name_: SingleLine | msgspec.UnsetType | None = msgspec.field(default=msgspec.UNSET, name="display_name")
    repository_url_: RepositoryUrl | msgspec.UnsetType | None = msgspec.field(
        default=msgspec.UNSET, name="repository_url"
    )
    main_branch_: BranchName | msgspec.UnsetType | None = msgspec.field(default=msgspec.UNSET, name="main_branch")
    repository_name_: SingleLine | msgspec.UnsetType | None = msgspec.field(
        default=msgspec.UNSET, name="repository_name"
    )
    repository_namespace_: SingleLine | msgspec.UnsetType | None = msgspec.field(
        default=msgspec.UNSET, name="repository_namespace"
    )

    def __post_init__(self) -> None:
        adopt_snake_case(
            self, "display_name", "repository_url", "main_branch", "repository_name", "repository_namespace"
        )


class PacticipantCreate(PacticipantFields, kw_only=True, forbid_unknown_fields=True, rename="camel"):
    name: ServiceName


class TagRef(msgspec.Struct, kw_only=True, forbid_unknown_fields=True):
    name: TagName


class VersionFields(msgspec.Struct, kw_only=True, forbid_unknown_fields=True, rename="camel"):
    """PUT replaces the build URL (and the tags, when given); PATCH sets what is given and adds tags."""

    build_url: BuildUrl | msgspec.UnsetType | None = msgspec.UNSET
    tags: Annotated[list[TagRef], msgspec.Meta(max_length=50)] | msgspec.UnsetType = msgspec.UNSET
    build_url_: BuildUrl | msgspec.UnsetType | None = msgspec.field(default=msgspec.UNSET, name="build_url")

    def __post_init__(self) -> None:
        adopt_snake_case(self, "build_url")


class Pacticipant(msgspec.Struct, kw_only=True):
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


class PacticipantLabel(msgspec.Struct, kw_only=True):
    name: str
    pacticipant: str
    created_at: datetime.datetime
    updated_at: datetime.datetime


class DeployedTo(msgspec.Struct, kw_only=True):
    """A deployment or release of a version, as the links of a pacticipant or version show it."""

    id: UUID
    environment: str
    environment_display_name: str | None
    application_instance: str | None
    current: bool


class BranchMembership(msgspec.Struct, kw_only=True):
    name: str
    latest: bool


class Version(msgspec.Struct, kw_only=True):
    id: UUID
    pacticipant: str
    number: str
    build_url: str | None
    branches: list[BranchMembership]
    tags: list[str]
    created_at: datetime.datetime
    updated_at: datetime.datetime


class EnvironmentTarget(msgspec.Struct, kw_only=True):
    id: UUID
    name: str
    display_name: str | None


class VersionDetail(msgspec.Struct, kw_only=True):
    """A version with what its resource links to: environments to record to, and where it runs."""

    version: Version
    environments: list[EnvironmentTarget]
    deployments: list[DeployedTo]
    releases: list[DeployedTo]
    pact_providers: list[str]


class Tag(msgspec.Struct, kw_only=True):
    name: str
    pacticipant: str
    version: str
    created_at: datetime.datetime


class Branch(msgspec.Struct, kw_only=True):
    name: str
    pacticipant: str
    created_at: datetime.datetime
    updated_at: datetime.datetime


class BranchVersion(msgspec.Struct, kw_only=True):
    branch: str
    pacticipant: str
    version: str
    created_at: datetime.datetime
