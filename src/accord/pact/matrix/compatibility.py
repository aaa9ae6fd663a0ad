"""can-i-deploy and can-i-merge for the Pact API: matrix queries, with the broker's rules for what is an error."""

from __future__ import annotations

import msgspec

from accord.catalog.directory import ServiceDirectory
from accord.errors import FieldError, InvalidInput, NotFound
from accord.matrix.answer import MatrixAnswer
from accord.matrix.query import IgnoreSelector, MatrixQuery, Selector
from accord.matrix.query_service import MatrixQueryService
from accord.tenancy.ids import TenantId


def _invalid_names(answer: MatrixAnswer) -> InvalidInput | None:
    errors = [FieldError(detail=f"Pacticipant {name} not found", parameter="q") for name in answer.unknown_pacticipants]
    if answer.unknown_environment is not None:
        errors.append(
            FieldError(
                detail=f"Environment with name '{answer.unknown_environment}' does not exist", parameter="environment"
            )
        )
    return InvalidInput(errors[0].detail, errors=errors) if errors else None


def _require_found(answer: MatrixAnswer) -> MatrixAnswer:
    """For resources whose path names the version: a missing pacticipant, version or environment is a 404."""
    if answer.unknown_pacticipants:
        raise NotFound(f"No pacticipant named '{answer.unknown_pacticipants[0]}'.")
    if answer.missing_versions:
        raise NotFound(answer.missing_versions[0])
    if answer.unknown_environment is not None:
        raise NotFound(f"No environment named '{answer.unknown_environment}'.")
    return answer


class CompatibilityService:
    """Whether versions can be deployed or merged, as Pact clients ask it."""

    def __init__(self, tenant: TenantId) -> None:
        self.queries = MatrixQueryService(tenant)
        self.directory = ServiceDirectory(tenant)

    async def answer(self, query: MatrixQuery) -> MatrixAnswer:
        """The answer whatever the query names; callers that show it (badges) decide about missing names."""
        return await self.queries.answer(query)

    async def matrix(self, query: MatrixQuery, ignore_labels: tuple[str, ...] = ()) -> MatrixAnswer:
        """As `GET /matrix` and `GET /can-i-deploy`: unknown pacticipants or environment are invalid input
        (the broker's 400); a version that doesn't exist is an answer (not deployable). `ignore_labels`: the
        pacticipants with these labels are ignored too."""
        if ignore_labels:
            query = await self._ignoring_labelled(query, ignore_labels)
        answer = await self.queries.answer(query)
        problem = _invalid_names(answer)
        if problem is not None:
            raise problem
        return answer

    async def _ignoring_labelled(self, query: MatrixQuery, labels: tuple[str, ...]) -> MatrixQuery:
        names = {name for label in labels for name in await self.directory.labelled_names(label)}
        added = tuple(IgnoreSelector(pacticipant=name) for name in sorted(names))
        return msgspec.structs.replace(query, ignore=query.ignore + added)

    async def latest_tagged_query(self, pacticipant: str, tag: str, to: str) -> MatrixQuery:
        """The latest version with `tag` against `to`: an environment of that name if there is one, else the
        latest versions tagged `to` (the broker's original meaning, from before environments existed)."""
        selector = Selector(pacticipant=pacticipant, tag=tag, latest=True)
        if await self.queries.environment_exists(to):
            return MatrixQuery(selectors=(selector,), environment=to, latestby="cvpv")
        return MatrixQuery(selectors=(selector,), tag=to, latest=True, latestby="cvp")

    async def latest_tagged_to(self, pacticipant: str, tag: str, to: str) -> MatrixAnswer:
        return _require_found(await self.queries.answer(await self.latest_tagged_query(pacticipant, tag, to)))

    async def branch_head_to(self, pacticipant: str, branch: str, environment: str) -> MatrixAnswer:
        return _require_found(await self.queries.answer(branch_head_query(pacticipant, branch, environment)))


def branch_head_query(pacticipant: str, branch: str, environment: str) -> MatrixQuery:
    selector = Selector(pacticipant=pacticipant, branch=branch, latest=True)
    return MatrixQuery(selectors=(selector,), environment=environment, latestby="cvpv")


def can_i_merge_query(pacticipant: str) -> MatrixQuery:
    """The head of the pacticipant's main branch against the heads of the main branches it integrates with."""
    selector = Selector(pacticipant=pacticipant, main_branch=True, latest=True)
    return MatrixQuery(selectors=(selector,), main_branch=True, latest=True, latestby="cvp")
