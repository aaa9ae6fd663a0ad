"""Pact bodies for environments, deployed versions and released versions, and views of the latter two."""

from __future__ import annotations

import datetime
from typing import Annotated, Any
from uuid import UUID

import msgspec

from accord.catalog.names import SEGMENT_PATTERN
from accord.environments.schemas import DisplayName, Environment, EnvironmentName
from accord.pact.snake_case import adopt_snake_case

ApplicationInstance = Annotated[str, msgspec.Meta(max_length=255, pattern=rf"^$|{SEGMENT_PATTERN}")]


class Contact(msgspec.Struct, kw_only=True, omit_defaults=True):
    """A contact for an environment; `details` is free-form in the broker."""

    name: str | None = None
    email: str | None = None
    details: dict[str, Any] | None = None


class EnvironmentFields(msgspec.Struct, kw_only=True, forbid_unknown_fields=True, rename="camel"):
    """POST creates and PUT replaces an environment with these (PUT may rename it)."""

    uuid: str | None = None  # the broker's schema allows it; the path or the server decides the id
    name: EnvironmentName
    display_name: DisplayName | None = None
    production: bool = False
    contacts: Annotated[list[Contact], msgspec.Meta(max_length=50)] = []
    display_name_: DisplayName | msgspec.UnsetType | None = msgspec.field(default=msgspec.UNSET, name="display_name")

    def __post_init__(self) -> None:
        adopt_snake_case(self, "display_name")


class DeploymentFields(msgspec.Struct, kw_only=True, forbid_unknown_fields=True, rename="camel"):
    """`target` is the broker's older name for `applicationInstance`."""

    application_instance: ApplicationInstance | None = None
    target: ApplicationInstance | None = None
    application_instance_: ApplicationInstance | msgspec.UnsetType | None = msgspec.field(
        default=msgspec.UNSET, name="application_instance"
    )

    def __post_init__(self) -> None:
        adopt_snake_case(self, "application_instance")


class DeployedVersionPatch(msgspec.Struct, kw_only=True, forbid_unknown_fields=True, rename="camel"):
    currently_deployed: bool | msgspec.UnsetType = msgspec.UNSET


class ReleasedVersionPatch(msgspec.Struct, kw_only=True, forbid_unknown_fields=True, rename="camel"):
    currently_supported: bool | msgspec.UnsetType = msgspec.UNSET


class DeployedVersion(msgspec.Struct, kw_only=True):
    """A deployment as the Pact API shows it; `environment` is left out of collections (as by the broker)."""

    id: UUID
    pacticipant: str
    version: str
    application_instance: str | None
    currently_deployed: bool
    deployed_at: datetime.datetime
    undeployed_at: datetime.datetime | None
    environment: Environment | None = None


class ReleasedVersion(msgspec.Struct, kw_only=True):
    id: UUID
    pacticipant: str
    version: str
    currently_supported: bool
    released_at: datetime.datetime
    support_ended_at: datetime.datetime | None
    environment: Environment | None = None
