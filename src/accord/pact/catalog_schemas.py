"""Pact bodies (camelCase, as Pact clients send them) and views of versions, branches and tags."""

from __future__ import annotations

import datetime
from typing import Annotated
from uuid import UUID

import msgspec

from accord.catalog.schemas import TagName
from accord.deployments.schemas import DeploymentSite
from accord.pact.snake_case import adopt_snake_case

# The broker takes any URL-like string; Accord keeps its column limit.
BuildUrl = Annotated[str, msgspec.Meta(max_length=2048, pattern=r"^[^\s]*$")]


class TagRef(msgspec.Struct, kw_only=True, forbid_unknown_fields=True):
    name: TagName


class VersionFields(msgspec.Struct, kw_only=True, forbid_unknown_fields=True, rename="camel"):
    """PUT replaces the build URL (and the tags, when given); PATCH sets what is given and adds tags."""

    build_url: BuildUrl | msgspec.UnsetType | None = msgspec.UNSET
    tags: Annotated[list[TagRef], msgspec.Meta(max_length=50)] | msgspec.UnsetType = msgspec.UNSET
    build_url_: BuildUrl | msgspec.UnsetType | None = msgspec.field(default=msgspec.UNSET, name="build_url")

    def __post_init__(self) -> None:
        adopt_snake_case(self, "build_url")


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
    deployments: list[DeploymentSite]
    releases: list[DeploymentSite]
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
