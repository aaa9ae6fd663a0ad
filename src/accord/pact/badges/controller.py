"""Status badges for READMEs, as SVG drawn by Accord: pact verification, can-i-deploy and can-i-merge.

They need an API key like every other resource (the broker can serve them publicly when configured; Accord
doesn't, so a README must embed them through something that adds the key, or show a cached copy).
The broker's branch-head badge (`/pacticipants/{p}/branches/{b}/latest-version/can-i-deploy/to-environment/{e}/
badge`) lives under the branch routes (pact/versions/branches_controller.py), which take the rest of the path
whole (branch names hold slashes).
"""

from __future__ import annotations

from typing import Any

from litestar import Controller, Response, get
from litestar.di import NamedDependency
from litestar.params import FromPath, FromQuery

from accord.matrix.contract_status import ContractStatusService
from accord.matrix.deployability import DeployabilityService
from accord.pact.badges.svg import Badge, render_badge
from accord.pact.badges.wording import can_i_merge_badge, deployability_badge, pact_badge
from accord.pact.media import SVG


def svg(badge: Badge) -> Response[Any]:
    # A badge shows the status now: browsers and README proxies must not reuse an old one.
    return Response(render_badge(badge), media_type=SVG, headers={"Cache-Control": "no-cache"})


class PactBadgeController(Controller):
    path = "/"
    tags = ["pact"]

    @get(
        "/pacts/provider/{provider:str}/consumer/{consumer:str}/latest/badge",
        operation_id="PactLatestPactBadge",
        summary="Verification status of the newest pact; label=consumer|provider, initials=true",
    )
    async def latest_pact(
        self,
        contract_status_service: NamedDependency[ContractStatusService],
        provider: FromPath[str],
        consumer: FromPath[str],
        label: FromQuery[str | None] = None,
        initials: FromQuery[bool] = False,
    ) -> Response[Any]:
        status = await contract_status_service.status(consumer, provider)
        return svg(pact_badge(status, consumer, provider, label=label, initials=initials))

    @get(
        "/pacts/provider/{provider:str}/consumer/{consumer:str}/latest-untagged/badge",
        operation_id="PactLatestUntaggedPactBadge",
    )
    async def latest_untagged_pact(
        self,
        contract_status_service: NamedDependency[ContractStatusService],
        provider: FromPath[str],
        consumer: FromPath[str],
        label: FromQuery[str | None] = None,
        initials: FromQuery[bool] = False,
    ) -> Response[Any]:
        status = await contract_status_service.status(consumer, provider, untagged=True)
        return svg(pact_badge(status, consumer, provider, label=label, initials=initials))

    @get(
        "/pacts/provider/{provider:str}/consumer/{consumer:str}/latest/{tag:str}/badge",
        operation_id="PactLatestTaggedPactBadge",
    )
    async def latest_tagged_pact(
        self,
        contract_status_service: NamedDependency[ContractStatusService],
        provider: FromPath[str],
        consumer: FromPath[str],
        tag: FromPath[str],
        label: FromQuery[str | None] = None,
        initials: FromQuery[bool] = False,
    ) -> Response[Any]:
        status = await contract_status_service.status(consumer, provider, consumer_tag=tag)
        return svg(pact_badge(status, consumer, provider, consumer_tag=tag, label=label, initials=initials))

    @get(
        "/matrix/provider/{provider:str}/latest/{provider_tag:str}/consumer/{consumer:str}/latest/{tag:str}/badge",
        operation_id="PactMatrixBadge",
        summary="The newest pact with the consumer tag, as verified by provider versions with the provider tag",
    )
    async def matrix_badge(
        self,
        contract_status_service: NamedDependency[ContractStatusService],
        provider: FromPath[str],
        provider_tag: FromPath[str],
        consumer: FromPath[str],
        tag: FromPath[str],
        label: FromQuery[str | None] = None,
        initials: FromQuery[bool] = False,
    ) -> Response[Any]:
        status = await contract_status_service.status(consumer, provider, consumer_tag=tag, provider_tag=provider_tag)
        badge = pact_badge(
            status, consumer, provider, consumer_tag=tag, provider_tag=provider_tag, label=label, initials=initials
        )
        return svg(badge)

    @get(
        "/pacticipants/{pacticipant:str}/latest-version/{tag:str}/can-i-deploy/to/{to:str}/badge",
        operation_id="PactCanIDeployLatestTaggedBadge",
    )
    async def can_i_deploy_latest_tagged(
        self,
        deployability_service: NamedDependency[DeployabilityService],
        pacticipant: FromPath[str],
        tag: FromPath[str],
        to: FromPath[str],
        label: FromQuery[str | None] = None,
    ) -> Response[Any]:
        answer = await deployability_service.latest_tagged_to(pacticipant, tag, to)
        return svg(deployability_badge(answer, label or f"can-i-deploy {tag} to {to}"))

    @get("/pacticipants/{pacticipant:str}/main-branch/can-i-merge/badge", operation_id="PactCanIMergeBadge")
    async def can_i_merge(
        self,
        deployability_service: NamedDependency[DeployabilityService],
        pacticipant: FromPath[str],
        label: FromQuery[str | None] = None,
    ) -> Response[Any]:
        return svg(can_i_merge_badge(await deployability_service.can_i_merge(pacticipant), label))
