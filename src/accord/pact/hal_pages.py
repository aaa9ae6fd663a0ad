"""Paging of Pact HAL collections, one renderer for all of them.

Two kinds of page: the broker's numbered ones (`page` from 1 and `size`, a `page` object, `next`/`previous`
and `pb:next`/`pb:previous` links), asked for with `page`; and otherwise `size` items with a `next` link
carrying Accord's keyset cursor. The broker's own clients read the first page of these collections and look
items up in it (an environment by name, a deployment by pacticipant), so the default page is the largest one.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Annotated, Any, TypeVar
from urllib.parse import urlencode

from litestar.params import QueryParameter

from accord.http.numbered_pages import NumberedPage
from accord.http.pagination import MAX_LIMIT, Page
from accord.pact.links import Link

PAGE_SIZE = MAX_LIMIT

T = TypeVar("T")
V = TypeVar("V")

SizeQuery = Annotated[int, QueryParameter(ge=1, le=MAX_LIMIT, description=f"Page size, 1 to {MAX_LIMIT}.")]


def viewed(page: Page[T] | NumberedPage[T], view: Callable[[T], V]) -> Page[V] | NumberedPage[V]:
    """The same page, of either kind, with each native row as the view the HAL renderer reads."""
    items = [view(item) for item in page.items]
    if isinstance(page, Page):
        return Page(items=items, next_cursor=page.next_cursor)
    return NumberedPage(items=items, number=page.number, size=page.size, total=page.total, asked=page.asked)


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


def numbered_page_links(
    self_href: str, page: NumberedPage[Any], *, query: dict[str, Any] | None = None, title: str | None = None
) -> dict[str, Any]:
    """`self`, `next` and `previous` with page numbers, also as `pb:next`/`pb:previous`; and the `page` object."""
    filters = {key: value for key, value in (query or {}).items() if value is not None}

    def at(number: int) -> str:
        return _with_query(self_href, {**filters, "page": number, "size": page.size})

    shown = at(page.number) if page.asked else _with_query(self_href, filters)
    links: dict[str, Any] = {"self": Link(href=shown, title=title)}
    if page.number < page.total_pages:
        links["next"] = links["pb:next"] = Link(href=at(page.number + 1), title="Next page")
    if page.number > 1:
        links["previous"] = links["pb:previous"] = Link(href=at(page.number - 1), title="Previous page")
    return links


def page_summary(page: NumberedPage[Any]) -> dict[str, int]:
    return {"number": page.number, "size": page.size, "totalElements": page.total, "totalPages": page.total_pages}


def collection_links(
    self_href: str,
    page: Page[Any] | NumberedPage[Any],
    *,
    size: int,
    query: dict[str, Any] | None = None,
    title: str | None = None,
) -> dict[str, Any]:
    """The paging links of either kind of page; a collection adds its own relations to them."""
    if isinstance(page, NumberedPage):
        return numbered_page_links(self_href, page, query=query, title=title)
    return page_links(self_href, size=size, next_cursor=page.next_cursor, query=query, title=title)


def page_fields(page: Page[Any] | NumberedPage[Any]) -> dict[str, Any]:
    """`page`, on numbered pages only: the broker sends it only when the client asked for a page."""
    return {"page": page_summary(page)} if isinstance(page, NumberedPage) and page.asked else {}


def _with_query(href: str, query: dict[str, Any]) -> str:
    return f"{href}?{urlencode(query)}" if query else href
