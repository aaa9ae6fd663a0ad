from __future__ import annotations

from typing import Any, Literal
from uuid import UUID

import msgspec

from accord.errors import AppError

# Says where an answer came from, in this order of preference (Accord-Mock-Source).
MockSource = Literal["fixture", "similar-fixture", "recorded", "spec-example", "schema"]
SelectorKind = Literal["version", "branch", "environment"]


class Selector(msgspec.Struct, frozen=True, kw_only=True):
    """Which provider version: a number, `branch:NAME` (its head) or `environment:NAME` (deployed there)."""

    kind: SelectorKind
    name: str

    @classmethod
    def parse(cls, text: str) -> Selector:
        for kind in ("branch", "environment"):
            prefix = f"{kind}:"
            if text.startswith(prefix) and len(text) > len(prefix):
                return cls(kind=kind, name=text[len(prefix) :])
        return cls(kind="version", name=text)

    def describe(self, provider: str) -> str:
        if self.kind == "version":
            return f"{provider} {self.name}"
        if self.kind == "branch":
            return f"the head of {provider}'s branch {self.name}"
        return f"the version of {provider} deployed to {self.name}"


class MockRequest(msgspec.Struct, frozen=True, kw_only=True):
    """A consumer's call to the mock, in the shape fixtures and interactions store requests."""

    method: str
    path: str
    query: dict[str, list[str]]
    headers: dict[str, str]
    body: Any = None


class MockAnswer(msgspec.Struct, frozen=True, kw_only=True):
    status: int
    headers: dict[str, str]
    body: bytes
    media_type: str | None
    source: MockSource
    fixture: UUID | None = None
    score: float | None = None


class RequestNotInSpec(AppError):
    """The request breaks the spec: a consumer test should fail here, not against the real provider."""

    status_code = 400
    slug = "request-not-in-spec"
    title = "The request does not follow the provider's spec"


class NothingToAnswer(AppError):
    """The operation exists but neither fixtures nor the spec say what it returns."""

    status_code = 501
    slug = "nothing-to-answer"
    title = "The mock has no answer for this operation"
