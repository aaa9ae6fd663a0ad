from __future__ import annotations

from litestar import Controller, Response, get, post
from litestar.di import NamedDependency
from litestar.params import FromPath, FromQuery, JSONBody

from accord.contracts.schemas import (
    Contract,
    ContractContentDocument,
    ContractPublish,
    ContractSummary,
    PublishedContract,
)
from accord.contracts.service import ContractService
from accord.http.pagination import DEFAULT_LIMIT, CursorQuery, LimitQuery, Page


class ContractController(Controller):
    path = "/api/contracts"
    tags = ["contracts"]
    # `contract_service` is provided by accord.composition (registered on the app).

    @post(
        "/",
        operation_id="PublishContract",
        summary="Set a consumer version's contract with a provider: 201 new, 200 unchanged or replaced, "
        "409 if different without ?replace=true",
    )
    async def publish(
        self,
        contract_service: NamedDependency[ContractService],
        data: JSONBody[ContractPublish],
        replace: FromQuery[bool] = False,
    ) -> Response[PublishedContract]:
        published = await contract_service.publish(data, replace=replace)
        return Response(published, status_code=201 if published.status == "created" else 200)

    @get("/", operation_id="ListContracts", summary="Most recently published first; filter by consumer, provider")
    async def list_contracts(
        self,
        contract_service: NamedDependency[ContractService],
        limit: LimitQuery = DEFAULT_LIMIT,
        cursor: CursorQuery = None,
        consumer: FromQuery[str | None] = None,
        provider: FromQuery[str | None] = None,
        consumer_version: FromQuery[str | None] = None,
    ) -> Page[ContractSummary]:
        return await contract_service.list_contracts(
            consumer=consumer, provider=provider, consumer_version=consumer_version, limit=limit, cursor=cursor
        )

    @get("/{consumer:str}/{version:str}/{provider:str}", operation_id="GetContract")
    async def get_contract(
        self,
        contract_service: NamedDependency[ContractService],
        consumer: FromPath[str],
        version: FromPath[str],
        provider: FromPath[str],
    ) -> Contract:
        return await contract_service.get(consumer, version, provider)


class ContractContentController(Controller):
    path = "/api/contract-contents"
    tags = ["contracts"]
    # `contract_service` is provided by accord.composition (registered on the app).

    @get("/{sha:str}", operation_id="GetContractContent", summary="A content by sha, of a consumer with a provider")
    async def get_content(
        self,
        contract_service: NamedDependency[ContractService],
        sha: FromPath[str],
        consumer: FromQuery[str],
        provider: FromQuery[str],
    ) -> ContractContentDocument:
        return await contract_service.get_by_sha(sha, consumer=consumer, provider=provider)
