"""Whether versions can be deployed or merged: matrix queries toward a destination, answered whatever they name.

An answer says which names it did not find (services, versions, the environment); whether that is an error
is for the caller to decide (an API refuses it, a badge shows "unknown").
"""

from __future__ import annotations

import msgspec

from accord.catalog.directory import ServiceDirectory
from accord.matrix.answer import MatrixAnswer
from accord.matrix.destinations import branch_head, latest_tagged, main_branch_heads, to_environment, to_latest_tagged
from accord.matrix.query import IgnoreSelector, MatrixQuery
from accord.matrix.query_service import MatrixQueryService


class DeployabilityService:
    """can-i-deploy and can-i-merge over the matrix."""

    def __init__(self, *, queries: MatrixQueryService, directory: ServiceDirectory) -> None:
        self.queries = queries
        self.directory = directory

    async def answer(self, query: MatrixQuery, *, ignore_labels: tuple[str, ...] = ()) -> MatrixAnswer:
        """`ignore_labels`: the services with any of these labels are ignored too."""
        if ignore_labels:
            query = await self._ignoring_labelled(query, ignore_labels)
        return await self.queries.answer(query)

    async def latest_tagged_to(self, service: str, tag: str, to: str) -> MatrixAnswer:
        """The latest version with `tag` against `to`: an environment of that name if there is one, else the
        latest versions tagged `to` (the meaning from before environments existed)."""
        selector = latest_tagged(service, tag)
        if await self.queries.environment_exists(to):
            return await self.queries.answer(to_environment(selector, to))
        return await self.queries.answer(to_latest_tagged(selector, to))

    async def branch_head_to(self, service: str, branch: str, environment: str) -> MatrixAnswer:
        return await self.queries.answer(to_environment(branch_head(service, branch), environment))

    async def can_i_merge(self, service: str) -> MatrixAnswer:
        return await self.queries.answer(main_branch_heads(service))

    async def _ignoring_labelled(self, query: MatrixQuery, labels: tuple[str, ...]) -> MatrixQuery:
        names = {name for label in labels for name in await self.directory.labelled_names(label)}
        added = tuple(IgnoreSelector(service=name) for name in sorted(names))
        return msgspec.structs.replace(query, ignore=query.ignore + added)
