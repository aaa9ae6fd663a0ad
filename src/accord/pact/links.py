"""Absolute HAL links, built from the request (or ACCORD_BASE_URL), as Pact clients follow them verbatim."""

from __future__ import annotations

from typing import Any
from urllib.parse import quote

import msgspec
from litestar import Request

from accord.http.base_url import base_url


class Link(msgspec.Struct, kw_only=True, omit_defaults=True):
    href: str
    title: str | None = None
    name: str | None = None
    templated: bool | None = None


def segment(value: str) -> str:
    """A name or version as one URL path segment (slashes and spaces escaped)."""
    return quote(value, safe="")


class Links:
    """Builds links relative to the client's view of the broker."""

    def __init__(self, request: Request[Any, Any, Any]) -> None:
        self.base = base_url(request)

    @classmethod
    def at(cls, base: str) -> Links:
        """Links from a known base URL, for work done outside a request (webhook deliveries)."""
        links = cls.__new__(cls)
        links.base = base.rstrip("/")
        return links

    def url(self, *segments: str, raw: str = "") -> str:
        """`raw` is appended unescaped (templates such as '{pacticipant}')."""
        path = "/".join(segment(s) for s in segments)
        return f"{self.base}/{path}{raw}" if path or raw else f"{self.base}/"

    def link(self, *segments: str, title: str | None = None, name: str | None = None, raw: str = "") -> Link:
        return Link(href=self.url(*segments, raw=raw), title=title, name=name)

    def template(self, template: str, title: str | None = None) -> Link:
        return Link(href=f"{self.base}{template}", title=title, templated=True)
