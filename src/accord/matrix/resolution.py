"""Selectors resolved to versions, and the versions they picked as an answer's findings name them."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Literal
from uuid import UUID

from accord.matrix.findings import MissingVersion, PickedVersion
from accord.matrix.query import Selector

SelectorKind = Literal["specified", "inferred", "ignore", "any"]


@dataclass(frozen=True)
class ResolvedVersion:
    id: UUID
    number: str
    position: int


@dataclass
class ResolvedSelector:
    """A selector with its service's id (None: no such service) and the versions it stands for."""

    index: int
    kind: SelectorKind
    selector: Selector
    service_id: UUID | None = None
    name: str = ""
    main_branch: str | None = None
    versions: list[ResolvedVersion] = field(default_factory=list)
    ignored: bool = False

    @property
    def any_version(self) -> bool:
        return self.selector.any_version

    @property
    def exists(self) -> bool:
        return self.service_id is not None and (self.any_version or bool(self.versions))

    @property
    def version_ids(self) -> set[UUID]:
        return {version.id for version in self.versions}

    def picked(self, number: str | None) -> PickedVersion:
        """The version `number` this selector picked (None: it picked none), as findings name it."""
        return PickedVersion(
            service=self.name or self.selector.service,
            number=number,
            selector=self.selector,
            main_branch=self.main_branch,
            service_exists=self.service_id is not None,
            several=len(self.versions) > 1,
            matched=bool(self.versions),
        )

    def missing(self) -> MissingVersion:
        """For a selector that must match a version and matched none."""
        return MissingVersion(
            service=self.name or self.selector.service,
            selector=self.selector,
            service_exists=self.service_id is not None,
        )

    def matches(self, service_id: UUID, version_id: UUID | None) -> bool:
        """For ignore selectors: whether a row's service version is the one to ignore."""
        if self.service_id != service_id:
            return False
        return self.any_version or (version_id is not None and version_id in self.version_ids)
