"""Pact bodies of pacticipants (camelCase, as Pact clients send them, and the Ruby client's snake_case)."""

from __future__ import annotations

from typing import Annotated

import msgspec

from accord.catalog.schemas import BranchName, ServiceFields, ServiceName
from accord.pact.snake_case import adopt_snake_case

# The broker takes any single-line string for these; Accord keeps its column limits.
SingleLine = Annotated[str, msgspec.Meta(max_length=255, pattern=r"^[^\r\n]*$")]
RepositoryUrl = Annotated[str, msgspec.Meta(max_length=2048, pattern=r"^[^\s]*$")]


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

    def native(self) -> ServiceFields:
        return ServiceFields(
            display_name=self.display_name,
            repository_url=self.repository_url,
            main_branch=self.main_branch,
            repository_name=self.repository_name,
            repository_namespace=self.repository_namespace,
        )


class PacticipantCreate(PacticipantFields, kw_only=True, forbid_unknown_fields=True, rename="camel"):
    name: ServiceName
