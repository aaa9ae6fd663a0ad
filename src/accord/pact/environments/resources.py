"""HAL documents of environments, shaped like the Pact Broker's EnvironmentDecorator."""

from __future__ import annotations

from typing import Any
from uuid import UUID

import msgspec

from accord.environments.schemas import Contact, Environment
from accord.http.pagination import Page
from accord.pact.display_names import display_name
from accord.pact.hal_pages import page_links
from accord.pact.hal_time import timestamps
from accord.pact.links import Link, Links
from accord.pact.resource_urls import environment_url


def environment_resource(
    links: Links, environment: Environment, contacts: list[Contact] | None = None
) -> dict[str, Any]:
    shown = display_name(environment.name, environment.display_name)
    return {
        "uuid": str(environment.id),
        "name": environment.name,
        "displayName": shown,
        "production": environment.production,
        "contacts": msgspec.to_builtins(contacts or []),
        **timestamps(environment.created_at, environment.updated_at),
        "_links": {
            "self": Link(href=environment_url(links, environment.id), title="Environment", name=environment.name),
            "pb:currently-deployed-deployed-versions": Link(
                href=environment_url(links, environment.id, "deployed-versions", "currently-deployed"),
                title=f"Versions currently deployed to {shown} environment",
            ),
            "pb:currently-supported-released-versions": Link(
                href=environment_url(links, environment.id, "released-versions", "currently-supported"),
                title=f"Versions released and supported in {shown} environment",
            ),
            "pb:environments": Link(href=links.url("environments"), title="Environments"),
        },
    }


def environments_resource(
    links: Links,
    page: Page[Environment],
    contacts: dict[UUID, list[Contact]],
    *,
    size: int,
    name: str | None,
) -> dict[str, Any]:
    items = [environment_resource(links, e, contacts.get(e.id)) for e in page.items]
    body: dict[str, Any] = {"_embedded": {"environments": items}}
    body["_links"] = page_links(
        links.url("environments"), size=size, next_cursor=page.next_cursor, query={"name": name}, title="Environments"
    )
    body["_links"]["pb:environments"] = [
        Link(href=environment_url(links, e.id), title="Environment", name=e.name) for e in page.items
    ]
    return body
