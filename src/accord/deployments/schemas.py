from __future__ import annotations

import datetime
from typing import Annotated
from uuid import UUID

import msgspec

from accord.catalog.names import SEGMENT_PATTERN
from accord.catalog.schemas import BranchName, ServiceName, VersionNumber
from accord.environments.schemas import EnvironmentName

# '' is the only instance of a service in an environment; named instances run side by side (e.g. blue/green).
ApplicationInstance = Annotated[str, msgspec.Meta(max_length=255, pattern=rf"^$|{SEGMENT_PATTERN}")]
DeployedBy = Annotated[str, msgspec.Meta(min_length=1, max_length=255, pattern=r"^[^\x00-\x1f]+$")]


class Deployment(msgspec.Struct, kw_only=True):
    """A version deployed to an environment (Pact's deployed version)."""

    id: UUID
    service: str
    version: str
    environment: str
    application_instance: str
    deployed_at: datetime.datetime
    deployed_by: str | None
    undeployed_at: datetime.datetime | None
    currently_deployed: bool


class DeploymentCreate(msgspec.Struct, kw_only=True, forbid_unknown_fields=True):
    """Record a deployment; unknown services, versions and environments are created."""

    service: ServiceName
    version: VersionNumber
    environment: EnvironmentName
    application_instance: ApplicationInstance = ""
    deployed_by: DeployedBy | None = None
    branch: BranchName | None = None


class DeploymentTarget(msgspec.Struct, kw_only=True, forbid_unknown_fields=True):
    """Where a deployment runs, for pipelines that don't keep deployment ids."""

    service: ServiceName
    environment: EnvironmentName
    application_instance: ApplicationInstance = ""


class DeployedVersion(msgspec.Struct, kw_only=True):
    """What currently runs in an environment."""

    deployment_id: UUID
    service: str
    version: str
    application_instance: str
    deployed_at: datetime.datetime


class Release(msgspec.Struct, kw_only=True):
    """A version released to an environment (Pact's released version); many can be supported at once."""

    id: UUID
    service: str
    version: str
    environment: str
    released_at: datetime.datetime
    support_ended_at: datetime.datetime | None
    currently_supported: bool


class ReleaseCreate(msgspec.Struct, kw_only=True, forbid_unknown_fields=True):
    """Record a release; unknown services, versions and environments are created."""

    service: ServiceName
    version: VersionNumber
    environment: EnvironmentName
    branch: BranchName | None = None


class ReleaseTarget(msgspec.Struct, kw_only=True, forbid_unknown_fields=True):
    """A released version, named rather than by release id."""

    service: ServiceName
    version: VersionNumber
    environment: EnvironmentName


class SupportedVersion(msgspec.Struct, kw_only=True):
    """A version currently supported in an environment."""

    release_id: UUID
    service: str
    version: str
    released_at: datetime.datetime


class DeploymentSite(msgspec.Struct, kw_only=True):
    """A deployment or release, by where it is: the environment and application instance."""

    id: UUID
    environment: str
    environment_display_name: str | None
    application_instance: str | None
    current: bool
