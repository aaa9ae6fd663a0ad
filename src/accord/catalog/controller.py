from __future__ import annotations

from litestar import Controller, Response, delete, get, patch, post, put
from litestar.di import NamedDependency, Provide
from litestar.params import FromPath, FromQuery, JSONBody
from litestar.status_codes import HTTP_200_OK, HTTP_201_CREATED

from accord.catalog.schemas import Service, ServiceCreate, ServiceUpdate, Version, VersionCreate, VersionUpdate
from accord.catalog.service import ServiceCatalog
from accord.contracts.guards import settle_pending_contracts
from accord.http.pagination import DEFAULT_LIMIT, CursorQuery, LimitQuery, Page
from accord.tenant_ids import TenantId


def provide_service_catalog(tenant_id: NamedDependency[TenantId]) -> ServiceCatalog:
    return ServiceCatalog(tenant_id)


class ServiceController(Controller):
    path = "/api/services"
    tags = ["services"]
    dependencies = {"catalog": Provide(provide_service_catalog, sync_to_thread=False)}

    @post("/", operation_id="CreateService")
    async def create_service(self, catalog: NamedDependency[ServiceCatalog], data: JSONBody[ServiceCreate]) -> Service:
        return await catalog.create_service(data)

    @get("/", operation_id="ListServices", summary="Services by name; `prefix` filters")
    async def list_services(
        self,
        catalog: NamedDependency[ServiceCatalog],
        limit: LimitQuery = DEFAULT_LIMIT,
        cursor: CursorQuery = None,
        prefix: FromQuery[str | None] = None,
    ) -> Page[Service]:
        return await catalog.list_services(limit=limit, cursor=cursor, prefix=prefix)

    @get("/{name:str}", operation_id="GetService")
    async def get_service(self, catalog: NamedDependency[ServiceCatalog], name: FromPath[str]) -> Service:
        return await catalog.get_service(name)

    @patch("/{name:str}", operation_id="UpdateService")
    async def update_service(
        self, catalog: NamedDependency[ServiceCatalog], name: FromPath[str], data: JSONBody[ServiceUpdate]
    ) -> Service:
        return await catalog.update_service(name, data)

    # Deletes count references, contracts among them: the tenant's pending contracts are derived first.
    @delete(
        "/{name:str}",
        operation_id="DeleteService",
        summary="409 while referenced unless ?cascade=true",
        guards=[settle_pending_contracts],
    )
    async def delete_service(
        self, catalog: NamedDependency[ServiceCatalog], name: FromPath[str], cascade: FromQuery[bool] = False
    ) -> None:
        await catalog.delete_service(name, cascade=cascade)


class VersionController(Controller):
    path = "/api/services/{name:str}/versions"
    tags = ["services"]
    dependencies = {"catalog": Provide(provide_service_catalog, sync_to_thread=False)}

    @post("/", operation_id="CreateVersion", summary="Create a version (201), or add branches and tags to it (200)")
    async def create_version(
        self, catalog: NamedDependency[ServiceCatalog], name: FromPath[str], data: JSONBody[VersionCreate]
    ) -> Response[Version]:
        version, created = await catalog.create_version(name, data)
        return Response(version, status_code=HTTP_201_CREATED if created else HTTP_200_OK)

    @get("/", operation_id="ListVersions", summary="Newest first; `branch` and `tag` filter")
    async def list_versions(
        self,
        catalog: NamedDependency[ServiceCatalog],
        name: FromPath[str],
        limit: LimitQuery = DEFAULT_LIMIT,
        cursor: CursorQuery = None,
        branch: FromQuery[str | None] = None,
        tag: FromQuery[str | None] = None,
    ) -> Page[Version]:
        return await catalog.list_versions(name, limit=limit, cursor=cursor, branch=branch, tag=tag)

    @get("/{number:str}", operation_id="GetVersion")
    async def get_version(
        self, catalog: NamedDependency[ServiceCatalog], name: FromPath[str], number: FromPath[str]
    ) -> Version:
        return await catalog.get_version(name, number)

    @put("/{number:str}", operation_id="UpdateVersion", summary="Set build info, add branches and tags")
    async def update_version(
        self,
        catalog: NamedDependency[ServiceCatalog],
        name: FromPath[str],
        number: FromPath[str],
        data: JSONBody[VersionUpdate],
    ) -> Version:
        return await catalog.update_version(name, number, data)

    @delete(
        "/{number:str}",
        operation_id="DeleteVersion",
        summary="409 while referenced unless ?cascade=true",
        guards=[settle_pending_contracts],
    )
    async def delete_version(
        self,
        catalog: NamedDependency[ServiceCatalog],
        name: FromPath[str],
        number: FromPath[str],
        cascade: FromQuery[bool] = False,
    ) -> None:
        await catalog.delete_version(name, number, cascade=cascade)
