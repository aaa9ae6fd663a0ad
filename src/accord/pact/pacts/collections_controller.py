"""Pact collections: a provider's pacts (all, by tag), the latest pact of each of its consumers (all, by tag,
by branch), and the latest pact of every integration."""

from __future__ import annotations

from typing import Any

from litestar import Controller, Request, Response, get
from litestar.di import NamedDependency
from litestar.params import FromPath

from accord.contracts.document_reader import DocumentReader
from accord.http.pagination import CursorQuery
from accord.pact.hal_pages import PAGE_SIZE, SizeQuery, page_links
from accord.pact.links import Link, Links
from accord.pact.media import hal
from accord.pact.pacts.resources import latest_pacts_body, provider_pacts_body

_PROVIDER = "/provider/{provider:str}"


class ProviderPactsController(Controller):
    path = "/pacts"
    tags = ["pact"]

    @get(
        [_PROVIDER, f"{_PROVIDER}/tag/{{tag:str}}"],
        summary="Every pact with the provider (of consumer versions with the tag), newest first, paged",
    )
    async def all_for_provider(
        self,
        request: Request[Any, Any, Any],
        document_reader: NamedDependency[DocumentReader],
        provider: FromPath[str],
        tag: FromPath[str | None] = None,
        size: SizeQuery = PAGE_SIZE,
        cursor: CursorQuery = None,
    ) -> Response[Any]:
        page = await document_reader.for_provider(provider, tag=tag, limit=size, cursor=cursor)
        links = Links(request)
        self_href = links.url("pacts", "provider", provider, *(["tag", tag] if tag else []))
        suffix = f" with consumer version tag '{tag}'" if tag else ""
        title = f"All pact versions for the provider {provider}{suffix}"
        paging = page_links(self_href, size=size, next_cursor=page.next_cursor, title=title)
        return hal(provider_pacts_body(provider, page.items, links, page=paging))

    @get([f"{_PROVIDER}/latest", f"{_PROVIDER}/latest/{{tag:str}}"])  # one operationId per path, derived
    async def latest_for_provider(
        self,
        request: Request[Any, Any, Any],
        document_reader: NamedDependency[DocumentReader],
        provider: FromPath[str],
        tag: FromPath[str | None] = None,
    ) -> Response[Any]:
        pacts = await document_reader.latest_for_provider(provider, tag=tag)
        links = Links(request)
        self_href = links.url("pacts", "provider", provider, "latest", *([tag] if tag else []))
        suffix = f" with consumer version tag '{tag}'" if tag else ""
        title = f"Latest pact versions for the provider {provider}{suffix}"
        return hal(provider_pacts_body(provider, pacts, links, page={"self": Link(href=self_href, title=title)}))

    @get(
        [f"{_PROVIDER}/branch/latest", f"{_PROVIDER}/branch/{{branch:str}}/latest"],
        summary="Latest pact of each consumer from its main branch (or the named branch)",
    )
    async def latest_for_branch(
        self,
        request: Request[Any, Any, Any],
        document_reader: NamedDependency[DocumentReader],
        provider: FromPath[str],
        branch: FromPath[str | None] = None,
    ) -> Response[Any]:
        pacts = await document_reader.latest_for_provider(provider, branch=branch, main_branch=branch is None)
        links = Links(request)
        self_href = links.url("pacts", "provider", provider, "branch", *([branch] if branch else []), "latest")
        which = f"branch '{branch}'" if branch else "the main branch"
        title = f"Latest pact versions from {which} for the provider {provider}"
        return hal(provider_pacts_body(provider, pacts, links, page={"self": Link(href=self_href, title=title)}))

    @get("/latest", operation_id="LatestPacts", summary="The latest pact of every integration")
    async def latest_pacts(
        self, request: Request[Any, Any, Any], document_reader: NamedDependency[DocumentReader]
    ) -> Response[Any]:
        return hal(latest_pacts_body(await document_reader.latest_per_pair(), Links(request)))
