"""HAL documents of deployed and released versions, shaped like the Pact Broker's DeployedVersionDecorator
and ReleasedVersionDecorator (and their collections, which embed pacticipant and version)."""

from __future__ import annotations

from typing import Any

from accord.environments.schemas import Environment
from accord.http.pagination import Page
from accord.pact.display_names import display_name
from accord.pact.environments.resources import environment_resource
from accord.pact.environments.schemas import DeployedVersion, ReleasedVersion
from accord.pact.hal_pages import page_links
from accord.pact.hal_time import pact_time
from accord.pact.links import Link, Links
from accord.pact.resource_urls import (
    deployed_version_url,
    environment_url,
    pacticipant_url,
    released_version_url,
    version_url,
)


def deployed_version_resource(links: Links, deployed: DeployedVersion) -> dict[str, Any]:
    body: dict[str, Any] = {"uuid": str(deployed.id), "currentlyDeployed": deployed.currently_deployed}
    if deployed.application_instance is not None:
        # `target` is the broker's older name; clients read either, and absent (null) means no instance.
        body["target"] = body["applicationInstance"] = deployed.application_instance
    if deployed.undeployed_at is not None:
        body["undeployedAt"] = pact_time(deployed.undeployed_at)
    body["createdAt"] = pact_time(deployed.deployed_at)
    body["_embedded"] = _embedded(links, deployed.pacticipant, deployed.version, deployed.environment)
    body["_links"] = {"self": Link(href=deployed_version_url(links, deployed.id))}
    return body


def released_version_resource(links: Links, released: ReleasedVersion) -> dict[str, Any]:
    body: dict[str, Any] = {
        "uuid": str(released.id),
        "currentlySupported": released.currently_supported,
        "createdAt": pact_time(released.released_at),
    }
    if released.support_ended_at is not None:
        body["supportEndedAt"] = pact_time(released.support_ended_at)
    body["_embedded"] = _embedded(links, released.pacticipant, released.version, released.environment)
    body["_links"] = {"self": Link(href=released_version_url(links, released.id))}
    return body


def currently_deployed_resource(
    links: Links, environment: Environment, page: Page[DeployedVersion], *, size: int, pacticipant: str | None
) -> dict[str, Any]:
    shown = display_name(environment.name, environment.display_name)
    body: dict[str, Any] = {
        "_embedded": {"deployedVersions": [deployed_version_resource(links, d) for d in page.items]}
    }
    body["_links"] = page_links(
        environment_url(links, environment.id, "deployed-versions", "currently-deployed"),
        size=size,
        next_cursor=page.next_cursor,
        query={"pacticipant": pacticipant},
        title=f"Currently deployed versions for {shown}",
    )
    return body


def currently_supported_resource(
    links: Links, environment: Environment, page: Page[ReleasedVersion], *, size: int, pacticipant: str | None
) -> dict[str, Any]:
    shown = display_name(environment.name, environment.display_name)
    body: dict[str, Any] = {
        "_embedded": {"releasedVersions": [released_version_resource(links, r) for r in page.items]}
    }
    body["_links"] = page_links(
        environment_url(links, environment.id, "released-versions", "currently-supported"),
        size=size,
        next_cursor=page.next_cursor,
        query={"pacticipant": pacticipant},
        title=f"Currently supported versions in {shown}",
    )
    return body


def _embedded(links: Links, pacticipant: str, version: str, environment: Environment | None) -> dict[str, Any]:
    embedded: dict[str, Any] = {
        "pacticipant": {"name": pacticipant, "_links": {"self": Link(href=pacticipant_url(links, pacticipant))}},
        "version": {
            "number": version,
            "_links": {"self": Link(href=version_url(links, pacticipant, version), title="Version", name=version)},
        },
    }
    if environment is not None:
        embedded["environment"] = environment_resource(links, environment)
    return embedded
