"""Pact request bodies for environments, deployed versions and released versions, and the views of the latter
two that the HAL documents render (translated from the native deployments and releases)."""

from __future__ import annotations

import datetime
from typing import Annotated
from uuid import UUID

import msgspec

from accord.deployments.schemas import ApplicationInstance, Deployment, Release, SupportedVersion
from accord.deployments.schemas import DeployedVersion as CurrentDeployment
from accord.environments.schemas import Contact, DisplayName, Environment, EnvironmentCreate, EnvironmentName
from accord.pact.snake_case import adopt_snake_case


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

    def native(self) -> EnvironmentCreate:
        return EnvironmentCreate(name=self.name, display_name=self.display_name, production=self.production)


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


def deployed_version(deployment: Deployment, environment: Environment | None = None) -> DeployedVersion:
    return DeployedVersion(
        id=deployment.id,
        pacticipant=deployment.service,
        version=deployment.version,
        application_instance=deployment.application_instance or None,
        currently_deployed=deployment.currently_deployed,
        deployed_at=deployment.deployed_at,
        undeployed_at=deployment.undeployed_at,
        environment=environment,
    )


def currently_deployed_version(current: CurrentDeployment) -> DeployedVersion:
    return DeployedVersion(
        id=current.deployment_id,
        pacticipant=current.service,
        version=current.version,
        application_instance=current.application_instance or None,
        currently_deployed=True,
        deployed_at=current.deployed_at,
        undeployed_at=None,
    )


def released_version(release: Release, environment: Environment | None = None) -> ReleasedVersion:
    return ReleasedVersion(
        id=release.id,
        pacticipant=release.service,
        version=release.version,
        currently_supported=release.currently_supported,
        released_at=release.released_at,
        support_ended_at=release.support_ended_at,
        environment=environment,
    )


def supported_released_version(supported: SupportedVersion) -> ReleasedVersion:
    return ReleasedVersion(
        id=supported.release_id,
        pacticipant=supported.service,
        version=supported.version,
        currently_supported=True,
        released_at=supported.released_at,
        support_ended_at=None,
    )
