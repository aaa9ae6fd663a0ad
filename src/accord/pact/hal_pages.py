"""Paging of Pact HAL collections: `size` items, and a `next` link carrying Accord's keyset cursor.

The broker's own clients read the first page of these collections and look items up in it (an environment by
name, a deployment by pacticipant), so the default page is the largest one.
"""

from __future__ import annotations

from typing import Annotated, Any
from urllib.parse import urlencode

from litestar.params import QueryParameter

from accord.http.pagination import MAX_LIMIT
from accord.pact.links import Link

PAGE_SIZE = MAX_LIMIT

SizeQuery = Annotated[int, QueryParameter(ge=1, le=MAX_LIMIT, description=f"Page size, 1 to {MAX_LIMIT}.")]


def page_links(
    self_href: str,
    *,
    size: int,
    next_cursor: str | None,
    query: dict[str, Any] | None = None,
    title: str | None = None,
) -> dict[str, Any]:
    """`self`, and `next` when there is a further page (the same filters, the cursor of the next page)."""
    filters = {key: value for key, value in (query or {}).items() if value is not None}
    links: dict[str, Any] = {"self": Link(href=_with_query(self_href, filters), title=title)}
    if next_cursor is not None:
        links["next"] = Link(
            href=_with_query(self_href, {**filters, "size": size, "cursor": next_cursor}), title="Next page"
        )
    return links


def _with_query(href: str, query: dict[str, Any]) -> str:
    return f"{href}?{urlencode(query)}" if query else href
