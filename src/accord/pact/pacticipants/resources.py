"""HAL documents of pacticipants, shaped like the Pact Broker's PacticipantDecorator."""

from __future__ import annotations

from typing import Any

from accord.catalog.schemas import ServiceOverview
from accord.deployments.schemas import DeploymentSite
from accord.http.numbered_pages import NumberedPage
from accord.http.pagination import Page
from accord.pact.display_names import display_name
from accord.pact.hal_pages import collection_links, page_fields
from accord.pact.hal_time import timestamps
from accord.pact.links import Link, Links
from accord.pact.resource_urls import curies, deployed_version_url, label_url, pacticipant_url, version_url


def pacticipant_resource(
    links: Links, pacticipant: ServiceOverview, deployments: list[DeploymentSite] | None = None
) -> dict[str, Any]:
    name = pacticipant.name
    body: dict[str, Any] = {"name": name, "displayName": display_name(name, pacticipant.display_name)}
    if pacticipant.repository_url is not None:
        body["repositoryUrl"] = pacticipant.repository_url
    if pacticipant.repository_name is not None:
        body["repositoryName"] = pacticipant.repository_name
    if pacticipant.repository_namespace is not None:
        body["repositoryNamespace"] = pacticipant.repository_namespace
    if pacticipant.main_branch is not None:
        body["mainBranch"] = pacticipant.main_branch  # as set, else detected from main/master/develop
    body |= timestamps(pacticipant.created_at, pacticipant.updated_at)
    embedded: dict[str, Any] = {
        "labels": [
            {"name": label, "_links": {"self": Link(href=label_url(links, name, label), title="Label", name=label)}}
            for label in pacticipant.labels
        ]
    }
    if pacticipant.latest_version is not None:
        # `latest-version` is the name older clients still read (deprecated in the broker, still sent).
        embedded["latestVersion"] = embedded["latest-version"] = {
            "number": pacticipant.latest_version,
            "_links": {"self": _version_link(links, name, pacticipant.latest_version)},
        }
    body["_embedded"] = embedded
    body["_links"] = {
        "self": Link(href=pacticipant_url(links, name)),
        "pb:versions": Link(href=pacticipant_url(links, name, "versions")),
        "pb:latest-version": Link(href=pacticipant_url(links, name, "latest-version"), title="Latest version"),
        "pb:branches": Link(href=pacticipant_url(links, name, "branches")),
        "pb:label": _template(links, name, "/labels/{label}", "Get, create or delete a label for the pacticipant"),
        "pb:version": _template(links, name, "/versions/{version}", "Get, create or delete a pacticipant version"),
        "pb:version-tag": _template(
            links, name, "/versions/{version}/tags/{tag}", f"Get, create or delete a tag for a version of {name}"
        ),
        "pb:branch-version": _template(
            links,
            name,
            "/branches/{branch}/versions/{version}",
            f"Get or add/create a version for a branch of {name}",
        ),
        "pb:can-i-deploy-badge": _template(
            links,
            name,
            "/latest-version/{tag}/can-i-deploy/to/{environmentTag}/badge",
            f"Can I Deploy {name} badge",
        ),
        "pb:can-i-deploy-branch-to-environment-badge": _template(
            links,
            name,
            "/branches/{branch}/latest-version/can-i-deploy/to-environment/{environment}/badge",
            f"Can I Deploy {name} from branch to environment badge",
        ),
        "versions": Link(href=pacticipant_url(links, name, "versions"), title="Deprecated - use pb:versions"),
        "curies": curies(links, "pacticipant"),
    }
    if deployments is not None:
        body["_links"]["pb:deployed-environments"] = [deployed_link(links, d) for d in deployments]
    return body


def pacticipants_resource(
    links: Links, page: Page[ServiceOverview] | NumberedPage[ServiceOverview], *, size: int, search: str | None
) -> dict[str, Any]:
    """The list, embedded (`_embedded.pacticipants`) and, as the broker still does, at the top level too."""
    items = [pacticipant_resource(links, p) for p in page.items]
    body: dict[str, Any] = {"_embedded": {"pacticipants": items}, "pacticipants": items, **page_fields(page)}
    body["_links"] = collection_links(links.url("pacticipants"), page, size=size, query={"q": search})
    body["_links"]["pb:pacticipants"] = [
        Link(href=pacticipant_url(links, p.name), title="Pacticipant", name=p.name) for p in page.items
    ]
    return body


def deployed_link(links: Links, deployment: DeploymentSite) -> dict[str, Any]:
    shown = display_name(deployment.environment, deployment.environment_display_name)
    link: dict[str, Any] = {
        "title": f"Version deployed to {shown}",
        "name": shown,
        "href": deployed_version_url(links, deployment.id),
        "currently_deployed": deployment.current,
    }
    if deployment.application_instance is not None:
        link["application_instance"] = deployment.application_instance
    return link


def _version_link(links: Links, pacticipant: str, number: str) -> Link:
    return Link(href=version_url(links, pacticipant, number), title="Version", name=number)


def _template(links: Links, pacticipant: str, template: str, title: str) -> Link:
    return Link(href=pacticipant_url(links, pacticipant) + template, title=title, templated=True)
