"""What the spec-diff endpoint returns."""

from __future__ import annotations

from typing import Literal

import msgspec


class SpecChange(msgspec.Struct, kw_only=True):
    """One difference between the two documents."""

    kind: str  # a stable slug, e.g. "response-field-removed" (see accord.spec_diff.changes.KINDS)
    breaking: bool
    operation: str  # "GET /orders/{id}", or "*" for the whole API
    pointer: str  # JSON pointer into `document`: `to`, or `from` for what was removed
    document: Literal["from", "to"]
    message: str


class Impact(msgspec.Struct, kw_only=True):
    """One breaking change and the consumer's interactions that use what it touches."""

    change: int  # index into SpecDiffReport.changes
    interactions: list[str]


class AffectedConsumer(msgspec.Struct, kw_only=True):
    """A consumer version deployed or released to an environment whose contract uses what breaking changes touch."""

    consumer: str
    consumer_version: str
    environment: str
    deployed: bool  # currently deployed there
    released: bool  # released there and still supported
    changes: list[int]  # indices into SpecDiffReport.changes
    interactions: list[str]  # keys of the contract's interactions concerned (Pact: key or description)
    impacts: list[Impact]  # which interactions each of those changes concerns


class SpecDiffReport(msgspec.Struct, kw_only=True):
    service: str
    from_version: str = msgspec.field(name="from")
    to: str
    from_sha: str
    to_sha: str
    breaking: bool
    changes: list[SpecChange]
    affected: list[AffectedConsumer]
