"""Reading `/pacticipants/{p}/branches/...` paths, where branch names may hold slashes ('feature/login').

Clients send such a name either escaped (`feature%2Flogin`, as the CLI's templated links do) or not (as its
create-or-update-version does). The router decodes %2F before matching, so the branch routes take the rest
of the path whole and split it here, from the end: `.../versions/{v}`, `.../latest-version`,
`.../latest-version/can-i-deploy/to-environment/{e}[/badge]`, or the branch.
"""

from __future__ import annotations

import enum
from typing import Any
from urllib.parse import unquote

import msgspec

from accord.catalog.names import BRANCH_NAME, SEGMENT
from accord.errors import FieldError, InvalidInput

_MAX_LENGTH = 255


class BranchPathKind(enum.Enum):
    branch = "branch"
    branch_version = "branch_version"
    latest_version = "latest_version"
    can_i_deploy = "can_i_deploy"
    can_i_deploy_badge = "can_i_deploy_badge"


class BranchPath(msgspec.Struct, frozen=True, kw_only=True):
    kind: BranchPathKind
    branch: str
    version: str = ""  # set for branch_version paths only
    environment: str = ""  # set for can_i_deploy paths only


def parse_branch_path(scope: Any, rest: str) -> BranchPath:
    """What `rest` (the path after `/branches/`) names; the raw path keeps escaped slashes apart."""
    segments = _raw_segments(scope) or [segment for segment in rest.split("/") if segment]
    badge = len(segments) >= 6 and segments[-1] == "badge"
    deploy = segments[:-1] if badge else segments
    if len(deploy) >= 5 and deploy[-4:-1] == ["latest-version", "can-i-deploy", "to-environment"]:
        kind = BranchPathKind.can_i_deploy_badge if badge else BranchPathKind.can_i_deploy
        path = BranchPath(kind=kind, branch=_joined(deploy[:-4]), environment=unquote(deploy[-1]))
    elif len(segments) >= 3 and segments[-2] == "versions":
        path = BranchPath(
            kind=BranchPathKind.branch_version, branch=_joined(segments[:-2]), version=unquote(segments[-1])
        )
    elif len(segments) >= 2 and segments[-1] == "latest-version":
        path = BranchPath(kind=BranchPathKind.latest_version, branch=_joined(segments[:-1]))
    else:
        path = BranchPath(kind=BranchPathKind.branch, branch=_joined(segments))
    _check(path)
    return path


def _raw_segments(scope: Any) -> list[str]:
    raw = scope.get("raw_path")
    if not isinstance(raw, bytes):
        return []
    segments = raw.decode("utf-8", errors="replace").split("/")
    for index in range(len(segments) - 2):
        if segments[index] == "pacticipants" and segments[index + 2] == "branches":
            return [segment for segment in segments[index + 3 :] if segment]
    return []


def _joined(segments: list[str]) -> str:
    return "/".join(unquote(segment) for segment in segments)


def _check(path: BranchPath) -> None:
    if not (len(path.branch) <= _MAX_LENGTH and BRANCH_NAME.match(path.branch)):
        raise InvalidInput(
            "The branch name is not valid.",
            errors=[FieldError(detail="1 to 255 characters, no whitespace", parameter="path.branch")],
        )
    if path.kind is BranchPathKind.branch_version and not (
        len(path.version) <= _MAX_LENGTH and SEGMENT.match(path.version)
    ):
        raise InvalidInput(
            "The version number is not valid.",
            errors=[FieldError(detail="1 to 255 characters, no whitespace or '/'", parameter="path.version")],
        )
