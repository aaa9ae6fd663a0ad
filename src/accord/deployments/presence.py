"""The two ways a version is present in an environment, and the one rule in which they differ.

A *deployed* version runs there (Pact's deployed version): it replaces whatever ran in its target, the service's
application instance in that environment. A *released* version is supported there (Pact's released version:
libraries, mobile apps): released versions accumulate, each supported at most once per environment, and a
recording replaces nothing. Everything else (recording, ending, the history, what an environment holds now, the
sites of a version) is the same model, in `PresenceService` over one repository per table.
"""

from __future__ import annotations

import datetime
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any, Generic, TypeVar
from uuid import UUID

from accord.deployments.repository import PresenceRow, PresentRow
from accord.deployments.schemas import DeployedVersion, Deployment, Release, SupportedVersion

RecordT = TypeVar("RecordT")
PresentT = TypeVar("PresentT")


@dataclass(frozen=True, eq=False)
class PresenceKind(Generic[RecordT, PresentT]):
    """Deployed or released: the rule, the words and the API shapes of one kind of presence."""

    # The rule: whether a recording ends the presence it replaces (the target's current deployment), or a
    # version's presence only ever joins the others there.
    replaces_previous: bool
    noun: str
    record_of: Callable[[PresenceRow], RecordT]
    present_of: Callable[[PresentRow], PresentT]
    # What the environment holds now pages in the kind's order: the cursor is the last row's sort key.
    cursor_types: tuple[Any, ...]
    cursor_of: Callable[[PresentRow], tuple[Any, ...]]


def _deployment(row: PresenceRow) -> Deployment:
    return Deployment(
        id=row.id,
        service=row.service,
        version=row.version,
        environment=row.environment,
        application_instance=row.application_instance,
        deployed_at=row.started_at,
        deployed_by=row.deployed_by,
        undeployed_at=row.ended_at,
        currently_deployed=row.current,
    )


def _deployed_version(row: PresentRow) -> DeployedVersion:
    return DeployedVersion(
        deployment_id=row.id,
        service=row.service,
        version=row.version,
        application_instance=row.application_instance,
        deployed_at=row.started_at,
    )


def _release(row: PresenceRow) -> Release:
    return Release(
        id=row.id,
        service=row.service,
        version=row.version,
        environment=row.environment,
        released_at=row.started_at,
        support_ended_at=row.ended_at,
        currently_supported=row.current,
    )


def _supported_version(row: PresentRow) -> SupportedVersion:
    return SupportedVersion(release_id=row.id, service=row.service, version=row.version, released_at=row.started_at)


DEPLOYED: PresenceKind[Deployment, DeployedVersion] = PresenceKind(
    replaces_previous=True,
    noun="deployment",
    record_of=_deployment,
    present_of=_deployed_version,
    cursor_types=(str, str),
    cursor_of=lambda row: (row.service, row.application_instance),
)

RELEASED: PresenceKind[Release, SupportedVersion] = PresenceKind(
    replaces_previous=False,
    noun="release",
    record_of=_release,
    present_of=_supported_version,
    cursor_types=(str, datetime.datetime, UUID),
    cursor_of=lambda row: (row.service, row.started_at, row.id),
)
