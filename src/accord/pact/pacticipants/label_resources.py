"""HAL documents of pacticipant labels, shaped like the Pact Broker's LabelDecorator."""

from __future__ import annotations

from typing import Any

from accord.catalog.schemas import ServiceLabel, ServiceOverview
from accord.http.numbered_pages import NumberedPage
from accord.pact.hal_pages import collection_links, page_fields
from accord.pact.hal_time import timestamps
from accord.pact.links import Link, Links
from accord.pact.pacticipants.resources import pacticipant_resource
from accord.pact.resource_urls import label_url, pacticipant_url


def label_resource(links: Links, name: str, label: ServiceLabel) -> dict[str, Any]:
    pacticipant = Link(href=pacticipant_url(links, name), title="Pacticipant", name=name)
    return {
        "name": label.name,
        **timestamps(label.created_at, label.updated_at),
        "_embedded": {"pacticipant": {"name": name, "_links": {"self": pacticipant}}},
        "_links": {
            "self": Link(href=label_url(links, name, label.name), title="Label", name=label.name),
            "pb:pacticipant": pacticipant,
        },
    }


def labelled_pacticipants_resource(links: Links, label: str, page: NumberedPage[ServiceOverview]) -> dict[str, Any]:
    """Like the pacticipant list: embedded and, as the broker still does, at the top level too."""
    items = [pacticipant_resource(links, p) for p in page.items]
    body: dict[str, Any] = {"_embedded": {"pacticipants": items}, "pacticipants": items, **page_fields(page)}
    body["_links"] = collection_links(links.url("pacticipants", "label", label), page, size=page.size)
    body["_links"]["pb:pacticipants"] = [
        Link(href=pacticipant_url(links, p.name), title="Pacticipant", name=p.name) for p in page.items
    ]
    return body
