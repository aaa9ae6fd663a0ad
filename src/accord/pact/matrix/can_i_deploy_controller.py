"""The simplified can-i-deploy resources: one version (or the head of a branch, or the latest with a tag)
against an environment, answered like the matrix."""

from __future__ import annotations

from typing import Any

from litestar import Controller, Request, Response, get
from litestar.di import NamedDependency
from litestar.params import FromPath

from accord.matrix.deployability import DeployabilityService
from accord.pact.errors import ERRORS_AS_LIST_OPT
from accord.pact.links import Links
from accord.pact.matrix.queries import can_i_deploy_query, ignored_labels, raw_query
from accord.pact.matrix.refusals import refuse_unknown_names, require_found
from accord.pact.matrix.resources import matrix_document
from accord.pact.media import hal


class PactCanIDeployController(Controller):
    path = "/can-i-deploy"
    tags = ["pact"]

    @get(
        "/",
        operation_id="PactCanIDeploy",
        opt={ERRORS_AS_LIST_OPT: True},
        summary="pacticipant= with version= (or branch= for the branch's head) and environment= (or to=TAG); "
        "ignore[]=NAME or ignore[][pacticipant]=&ignore[][version]= or ignore[][label]=",
    )
    async def can_i_deploy(
        self, request: Request[Any, Any, Any], deployability_service: NamedDependency[DeployabilityService]
    ) -> Response[Any]:
        raw = raw_query(request)
        answer = await deployability_service.answer(can_i_deploy_query(raw), ignore_labels=ignored_labels(raw))
        refuse_unknown_names(answer)
        return hal(matrix_document(answer, Links(request)))


class PactVersionCanIDeployController(Controller):
    """The broker's path-addressed form (its badge shares the answer).

    The broker's `/pacticipants/{p}/branches/{b}/latest-version/can-i-deploy/to-environment/{e}` is answered by
    the branch routes (pact/versions/branches_controller.py): branch names may hold slashes, so those routes
    take the rest of the path whole and Litestar's router can't route past them.
    """

    path = "/pacticipants/{pacticipant:str}"
    tags = ["pact"]

    @get(
        "/latest-version/{tag:str}/can-i-deploy/to/{to:str}",
        operation_id="PactCanIDeployLatestTaggedVersion",
        summary="The latest version with the tag against `to`: an environment of that name, else a tag",
    )
    async def latest_tagged(
        self,
        request: Request[Any, Any, Any],
        deployability_service: NamedDependency[DeployabilityService],
        pacticipant: FromPath[str],
        tag: FromPath[str],
        to: FromPath[str],
    ) -> Response[Any]:
        answer = require_found(await deployability_service.latest_tagged_to(pacticipant, tag, to))
        return hal(matrix_document(answer, Links(request)))
