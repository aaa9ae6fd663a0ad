"""GET /matrix: the Pact Broker's matrix query, which `pact broker can-i-deploy` and `can-i-merge` call."""

from __future__ import annotations

from typing import Any

from litestar import Controller, Request, Response, get
from litestar.di import NamedDependency

from accord.matrix.deployability import DeployabilityService
from accord.pact.errors import ERRORS_AS_LIST_OPT
from accord.pact.links import Links
from accord.pact.matrix.queries import ignored_labels, matrix_query, raw_query
from accord.pact.matrix.refusals import refuse_unknown_names
from accord.pact.matrix.resources import matrix_document
from accord.pact.media import hal


class PactMatrixController(Controller):
    path = "/matrix"
    tags = ["pact"]

    @get(
        "/",
        operation_id="PactMatrix",
        opt={ERRORS_AS_LIST_OPT: True},
        summary="Can these versions be deployed together? Rack-style selectors: "
        "q[][pacticipant]=A&q[][version]=1 (also latest, tag, branch, mainBranch, environment per selector); "
        "latestby=cvpv|cvp|cp; destination: environment=, tag= with latest=true, or mainBranch=true with "
        "latest=true; ignore[][pacticipant]=&ignore[][version]=, or ignore[][label]=; limit (default 100)",
    )
    async def matrix(
        self, request: Request[Any, Any, Any], deployability_service: NamedDependency[DeployabilityService]
    ) -> Response[Any]:
        raw = raw_query(request)
        answer = await deployability_service.answer(matrix_query(raw), ignore_labels=ignored_labels(raw))
        refuse_unknown_names(answer)
        return hal(matrix_document(answer, Links(request)))
