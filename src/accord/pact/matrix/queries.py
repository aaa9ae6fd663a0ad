"""Matrix queries from the query strings Pact clients send to `GET /matrix` and `GET /can-i-deploy`.

The validation messages are the Pact Broker's, as `can-i-deploy` prints them to the user.
"""

from __future__ import annotations

from typing import Any, get_args

from litestar import Request

from accord.errors import FieldError, InvalidInput
from accord.matrix.destinations import branch_head, to_environment, to_latest_tagged
from accord.matrix.query import DEFAULT_MATRIX_LIMIT, MAX_MATRIX_LIMIT, IgnoreSelector, LatestBy, MatrixQuery, Selector
from accord.pact.matrix.rack_query import NestedValue, parse_nested_query

_LATEST_BY: tuple[str, ...] = get_args(LatestBy)


def raw_query(request: Request[Any, Any, Any]) -> str:
    """The query string as sent: Rack-style selectors depend on the order of repeated keys."""
    raw: bytes = request.scope.get("query_string", b"")
    return raw.decode("latin-1")


class _Problems:
    def __init__(self) -> None:
        self.errors: list[FieldError] = []

    def add(self, parameter: str, detail: str) -> None:
        self.errors.append(FieldError(detail=detail, parameter=parameter))

    def raise_any(self) -> None:
        if self.errors:
            raise InvalidInput(self.errors[0].detail, errors=self.errors)


def _text(params: dict[str, Any], key: str, problems: _Problems, where: str | None = None) -> str | None:
    """A scalar parameter; '' counts as absent, as in the broker."""
    value = params.get(key)
    if value is None or value == "":
        return None
    if not isinstance(value, str):
        problems.add(where or key, f"'{where or key}' must be a single value")
        return None
    return value


def _flag(params: dict[str, Any], key: str, problems: _Problems, where: str | None = None) -> bool:
    return _text(params, key, problems, where) == "true"


def _selector(item: NestedValue, index: int, problems: _Problems) -> Selector | None:
    where = f"q[{index}]"
    if not isinstance(item, dict):
        problems.add("q", f"{where} must be a selector such as q[][pacticipant]=NAME&q[][version]=VERSION")
        return None
    pacticipant = _text(item, "pacticipant", problems, f"{where}[pacticipant]")
    if pacticipant is None:
        problems.add("q", "Please specify the pacticipant name")
        return None
    selector = Selector(
        service=pacticipant,
        version=_text(item, "version", problems, f"{where}[version]"),
        latest=_flag(item, "latest", problems, f"{where}[latest]"),
        tag=_text(item, "tag", problems, f"{where}[tag]"),
        branch=_text(item, "branch", problems, f"{where}[branch]"),
        main_branch=_flag(item, "mainBranch", problems, f"{where}[mainBranch]"),
        environment=_text(item, "environment", problems, f"{where}[environment]"),
    )
    if selector.version and selector.latest:
        problems.add("q", f"A version number and latest flag cannot both be specified for {pacticipant}")
    return selector


def _ignores(params: dict[str, Any], problems: _Problems) -> tuple[IgnoreSelector, ...]:
    raw = params.get("ignore")
    if raw is None:
        return ()
    if not isinstance(raw, list):
        problems.add("ignore", "use ignore[]=NAME or ignore[][pacticipant]=NAME&ignore[][version]=VERSION")
        return ()
    ignores = []
    for index, item in enumerate(raw):
        if isinstance(item, str) and item:
            ignores.append(IgnoreSelector(service=item))
            continue
        entry = item if isinstance(item, dict) else {}
        if "label" in entry and "pacticipant" not in entry:
            continue  # by label: ignored_labels() has it, the service expands it to the pacticipants
        pacticipant = _text(entry, "pacticipant", problems, f"ignore[{index}][pacticipant]")
        if pacticipant is None:
            problems.add("ignore", "Please specify the pacticipant name to ignore")
            continue
        version = _text(entry, "version", problems, f"ignore[{index}][version]")
        ignores.append(IgnoreSelector(service=pacticipant, version=version))
    return tuple(ignores)


def ignored_labels(raw_query: str) -> tuple[str, ...]:
    """`ignore[][label]=LABEL`: every pacticipant with the label is ignored (as if named in ignore[])."""
    raw = parse_nested_query(raw_query).get("ignore")
    entries = raw if isinstance(raw, list) else []
    # Rack puts `ignore[][label]=L&ignore[][pacticipant]=P` in one hash: both are ignored.
    labels = (entry.get("label") for entry in entries if isinstance(entry, dict))
    return tuple(dict.fromkeys(label for label in labels if isinstance(label, str) and label))


def _limit(params: dict[str, Any], problems: _Problems) -> int:
    raw = _text(params, "limit", problems)
    if raw is None:
        return DEFAULT_MATRIX_LIMIT
    try:
        limit = int(raw)
    except ValueError:
        limit = 0
    if limit < 1:
        problems.add("limit", "The limit must be 1 or greater.")
    elif limit > MAX_MATRIX_LIMIT:
        problems.add("limit", f"The limit must be {MAX_MATRIX_LIMIT} or less.")
    return max(1, min(limit, MAX_MATRIX_LIMIT))


def _latest_by(params: dict[str, Any], problems: _Problems) -> LatestBy | None:
    raw = _text(params, "latestby", problems)
    if raw is None:
        return None
    if raw not in _LATEST_BY:
        problems.add("latestby", f"latestby must be one of {', '.join(_LATEST_BY)}")
        return None
    return raw  # type: ignore[return-value]


def matrix_query(raw_query: str) -> MatrixQuery:
    """`GET /matrix?q[][pacticipant]=A&q[][version]=1&...&latestby=cvpv&environment=production`."""
    params = parse_nested_query(raw_query)
    problems = _Problems()
    raw_selectors = params.get("q", [])
    if not isinstance(raw_selectors, list):
        problems.add("q", "q must be a list of selectors such as q[][pacticipant]=NAME&q[][version]=VERSION")
        raw_selectors = []
    found = [_selector(item, index, problems) for index, item in enumerate(raw_selectors)]
    selectors = tuple(s for s in found if s is not None)
    if not raw_selectors:
        problems.add("q", "Please provide 1 or more version selectors.")
    tag = _text(params, "tag", problems)
    environment = _text(params, "environment", problems)
    main_branch = _flag(params, "mainBranch", problems)
    latest = _flag(params, "latest", problems)
    if sum(1 for destination in (tag, environment, main_branch) if destination) > 1:
        problems.add("base", "Cannot specify more than one of tag, environment and mainBranch.")
    if latest and environment:
        problems.add("base", "Cannot specify both latest=true and an environment.")
    query = MatrixQuery(
        selectors=selectors,
        latestby=_latest_by(params, problems),
        latest=latest,
        tag=tag,
        environment=environment,
        main_branch=main_branch,
        ignore=_ignores(params, problems),
        limit=_limit(params, problems),
    )
    problems.raise_any()
    return query


def can_i_deploy_query(raw_query: str) -> MatrixQuery:
    """`GET /can-i-deploy?pacticipant=A&version=1&environment=production` (or `branch=` for the branch's head,
    `to=TAG` for the latest versions with a tag), with `ignore[]=NAME` or `ignore[][pacticipant]=..`."""
    params = parse_nested_query(raw_query)
    problems = _Problems()
    pacticipant = _text(params, "pacticipant", problems)
    version = _text(params, "version", problems)
    branch = _text(params, "branch", problems)
    environment = _text(params, "environment", problems)
    to = _text(params, "to", problems)
    if pacticipant is None:
        problems.add("pacticipant", "is missing")
    if version is None and branch is None:
        problems.add("version", "is missing (or give branch= for the latest version of a branch)")
    if version is not None and branch is not None:
        problems.add("branch", "Cannot specify both a version and a branch.")
    if environment is None and to is None:
        problems.add("environment", "Must specify either an environment or a 'to' tag.")
    if environment is not None and to is not None:
        problems.add("to", "Cannot specify both a 'to' tag and an environment.")
    ignore = _ignores(params, problems)
    problems.raise_any()
    if pacticipant is None:  # reported above; this narrows the type
        raise InvalidInput("pacticipant is missing")
    selector = Selector(service=pacticipant, version=version) if branch is None else branch_head(pacticipant, branch)
    if environment is not None:
        return to_environment(selector, environment, ignore)
    if to is None:  # reported above; this narrows the type
        raise InvalidInput("Must specify either an environment or a 'to' tag.")
    return to_latest_tagged(selector, to, ignore)
