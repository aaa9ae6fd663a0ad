"""Paging of Pact HAL collections: `size` items, and a `next` link carrying Accord's keyset cursor.

The broker's own clients read the first page of these collections and look items up in it (an environment by
name, a deployment by pacticipant), so the default page is the largest one.
"""

from __future__ import annotations

from typing import Annotated, Any, Generic, TypeVar
from urllib.parse import urlencode

import msgspec
from litestar.params import QueryParameter

from accord.http.pagination import MAX_LIMIT
from accord.pact.links import Link

PAGE_SIZE = MAX_LIMIT
T = TypeVar("T")

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


class NumberedPage(msgspec.Struct, Generic[T], kw_only=True):
    """The broker's numbered paging (`page`, from 1, and `size`), beside Accord's cursors."""

    items: list[T]
    number: int
    size: int
    total: int

    @property
    def total_pages(self) -> int:
        return -(-self.total // self.size)


PageQuery = Annotated[int | None, QueryParameter(ge=1, le=1_000_000, description="Page number, from 1.")]


def numbered_page_links(
    self_href: str, page: NumberedPage[Any], *, query: dict[str, Any] | None = None, title: str | None = None
) -> dict[str, Any]:
    """`self`, `next` and `previous` with page numbers, also as `pb:next`/`pb:previous`; and the `page` object."""
    filters = {key: value for key, value in (query or {}).items() if value is not None}

    def at(number: int) -> str:
        return _with_query(self_href, {**filters, "page": number, "size": page.size})

    links: dict[str, Any] = {"self": Link(href=at(page.number), title=title)}
    if page.number < page.total_pages:
        links["next"] = links["pb:next"] = Link(href=at(page.number + 1), title="Next page")
    if page.number > 1:
        links["previous"] = links["pb:previous"] = Link(href=at(page.number - 1), title="Previous page")
    return links


def page_summary(page: NumberedPage[Any]) -> dict[str, int]:
    return {"number": page.number, "size": page.size, "totalElements": page.total, "totalPages": page.total_pages}


def _with_query(href: str, query: dict[str, Any]) -> str:
    return f"{href}?{urlencode(query)}" if query else href
