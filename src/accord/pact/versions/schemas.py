"""Pact bodies of versions (camelCase, as Pact clients send them), and the views of versions, branches and tags
the HAL documents render, translated from the native catalog's rows."""

from __future__ import annotations

import datetime
from typing import Annotated
from uuid import UUID

import msgspec

from accord.catalog.schemas import BranchJoin, BranchMembership, ServiceBranch, TagName, VersionEntry, VersionTag
from accord.deployments.schemas import DeploymentSite
from accord.environments.schemas import Environment
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


class Version(msgspec.Struct, kw_only=True):
    id: UUID
    pacticipant: str
    number: str
    build_url: str | None
    branches: list[BranchMembership]
    tags: list[str]
    created_at: datetime.datetime
    updated_at: datetime.datetime


class VersionDetail(msgspec.Struct, kw_only=True):
    """A version with what its resource links to: environments to record to, and where it runs."""

    version: Version
    environments: list[Environment]
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


def version_view(pacticipant: str, entry: VersionEntry) -> Version:
    return Version(
        id=entry.id,
        pacticipant=pacticipant,
        number=entry.number,
        build_url=entry.build_url,
        branches=entry.branches,
        tags=entry.tags,
        created_at=entry.created_at,
        updated_at=entry.updated_at,
    )


def tag_view(pacticipant: str, number: str, tag: VersionTag) -> Tag:
    return Tag(name=tag.name, pacticipant=pacticipant, version=number, created_at=tag.created_at)


def branch_view(pacticipant: str, branch: ServiceBranch) -> Branch:
    return Branch(name=branch.name, pacticipant=pacticipant, created_at=branch.created_at, updated_at=branch.updated_at)


def branch_version_view(pacticipant: str, branch: str, number: str, join: BranchJoin) -> BranchVersion:
    return BranchVersion(branch=branch, pacticipant=pacticipant, version=number, created_at=join.created_at)
