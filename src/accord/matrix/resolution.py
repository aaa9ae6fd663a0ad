"""Selectors resolved to versions, and the sentences that describe them in can-i-deploy reasons.

The wording follows the Pact Broker's, which users of `can-i-deploy` already read in their pipelines.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Literal
from uuid import UUID

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

    def description(self, number: str | None) -> str:
        """How the broker describes the version `number` this selector picked (None: it picked none)."""
        s, name = self.selector, self.name or self.selector.service
        branch = s.branch or (self.main_branch if s.main_branch else None)
        several = len(self.versions) > 1
        if s.latest and s.tag:
            found = f"({number})" if number else "(no such version exists)"
            return f"the latest version of {name} with tag {s.tag} {found}"
        if s.main_branch and number is None:
            which = "the latest version" if s.latest else "any version"
            return f"{which} of {name} from the main branch (no versions exist for this branch)"
        if s.latest and branch:
            found = f"({number})" if number else "(no such version exists)"
            return f"the latest version of {name} from branch {branch} {found}"
        if branch:
            if number is None:
                return f"a version of {name} from branch {branch} (no such version exists)"
            return f"{'one of the versions' if several else 'the version'} of {name} from branch {branch} ({number})"
        if s.latest:
            return f"the latest version of {name} ({number or 'no such version exists'})"
        if s.tag:
            found = f"({number})" if number else "(no such version exists)"
            return f"a version of {name} with tag {s.tag} {found}"
        if s.environment:
            if number is None:
                return (
                    f"a version of {name} currently in {s.environment} "
                    "(no version is currently recorded as deployed/released in this environment)"
                )
            which = "one of the versions" if several else "the version"
            return f"{which} of {name} currently in {s.environment} ({number})"
        if self.service_id is None:
            return f"any version of {name} (no such pacticipant exists)"
        if s.version and not self.versions:
            return f"version {s.version} of {name} (no such version exists)"
        if number:
            return f"version {number} of {name}"
        return f"any version of {name}"

    def missing_description(self) -> str:
        """Why a selector that must match a version matched none."""
        s, name = self.selector, self.name or self.selector.service
        if s.tag:
            return f"No version with tag {s.tag} exists for {name}"
        if s.branch:
            return f"No version of {name} from branch {s.branch} exists"
        if s.main_branch:
            return f"No version of {name} from the main branch exists"
        if s.environment:
            return f"No version of {name} is currently recorded as deployed or released in environment {s.environment}"
        if s.version:
            return f"No pacts or verifications have been published for version {s.version} of {name}"
        return f"No pacts or verifications have been published for {name}"

    def matches(self, service_id: UUID, version_id: UUID | None) -> bool:
        """For ignore selectors: whether a row's service version is the one to ignore."""
        if self.service_id != service_id:
            return False
        return self.any_version or (version_id is not None and version_id in self.version_ids)


def describe_unselected(name: str, number: str | None) -> str:
    """A row's side that no selector picked (the other side of a lone selector)."""
    return f"version {number} of {name}" if number else f"any version of {name}"
