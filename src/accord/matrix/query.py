"""A matrix query: which versions to check (selectors), against what (the destination), and how to read the rows.

A selector names a service and some of its versions; the destination (an environment, the latest versions with a
tag, the main branch, or simply the latest versions) picks the versions of every integrated service that isn't
selected explicitly. The Pact adapter builds these from the broker's `pacticipant` parameters.
"""

from __future__ import annotations

from typing import Literal

import msgspec

# How rows are collapsed: per consumer version and provider version (the newest verdict each), per consumer
# version and provider (the newest provider version that verified), or per consumer and provider.
LatestBy = Literal["cvpv", "cvp", "cp"]

DEFAULT_MATRIX_LIMIT = 100
MAX_MATRIX_LIMIT = 1000


class Selector(msgspec.Struct, frozen=True, kw_only=True):
    """Versions of one service: one version, the latest (of a tag/branch/main branch), or all that match."""

    service: str
    version: str | None = None
    latest: bool = False
    tag: str | None = None
    branch: str | None = None
    main_branch: bool = False
    environment: str | None = None

    @property
    def any_version(self) -> bool:
        """Every version of the service: nothing narrows the selector down."""
        return not (self.version or self.latest or self.tag or self.branch or self.main_branch or self.environment)


class IgnoreSelector(msgspec.Struct, frozen=True, kw_only=True):
    """A service (or one version of it) whose rows don't count towards the answer."""

    service: str
    version: str | None = None


class MatrixQuery(msgspec.Struct, frozen=True, kw_only=True):
    selectors: tuple[Selector, ...]
    latestby: LatestBy | None = None
    # The destination, for the services integrated with the selected ones (at most one of the three).
    latest: bool = False
    tag: str | None = None
    environment: str | None = None
    main_branch: bool = False
    ignore: tuple[IgnoreSelector, ...] = ()
    limit: int = DEFAULT_MATRIX_LIMIT

    @property
    def infers_integrations(self) -> bool:
        """Whether the versions of integrated services are inferred from the destination."""
        return bool(self.latest or self.tag or self.environment or self.main_branch)
