from __future__ import annotations

from litestar import Controller, Response, delete, get, patch, post, put
from litestar.di import NamedDependency
from litestar.params import FromPath, FromQuery, JSONBody
from litestar.status_codes import HTTP_200_OK, HTTP_201_CREATED

from accord.catalog.removal import CatalogRemoval
from accord.catalog.schemas import Service, ServiceCreate, ServiceUpdate, Version, VersionCreate, VersionUpdate
from accord.catalog.service import ServiceCatalog
from accord.http.pagination import DEFAULT_LIMIT, CursorQuery, LimitQuery, Page


class ServiceController(Controller):
    path = "/api/services"
    tags = ["services"]

    @post("/", operation_id="CreateService")
    async def create_service(
        self, service_catalog: NamedDependency[ServiceCatalog], data: JSONBody[ServiceCreate]
    ) -> Service:
        return await service_catalog.create_service(data)

    @get("/", operation_id="ListServices", summary="Services by name; `prefix` filters")
    async def list_services(
        self,
        service_catalog: NamedDependency[ServiceCatalog],
        limit: LimitQuery = DEFAULT_LIMIT,
        cursor: CursorQuery = None,
        prefix: FromQuery[str | None] = None,
    ) -> Page[Service]:
        return await service_catalog.list_services(limit=limit, cursor=cursor, prefix=prefix)

    @get("/{name:str}", operation_id="GetService")
    async def get_service(self, service_catalog: NamedDependency[ServiceCatalog], name: FromPath[str]) -> Service:
        return await service_catalog.get_service(name)

    @patch("/{name:str}", operation_id="UpdateService")
    async def update_service(
        self, service_catalog: NamedDependency[ServiceCatalog], name: FromPath[str], data: JSONBody[ServiceUpdate]
    ) -> Service:
        return await service_catalog.update_service(name, data)

    @delete("/{name:str}", operation_id="DeleteService", summary="409 while referenced unless ?cascade=true")
    async def delete_service(
        self, catalog_removal: NamedDependency[CatalogRemoval], name: FromPath[str], cascade: FromQuery[bool] = False
    ) -> None:
        await catalog_removal.delete_service(name, cascade=cascade)


class VersionController(Controller):
    path = "/api/services/{name:str}/versions"
    tags = ["services"]

    @post("/", operation_id="CreateVersion", summary="Create a version (201), or add branches and tags to it (200)")
    async def create_version(
        self, service_catalog: NamedDependency[ServiceCatalog], name: FromPath[str], data: JSONBody[VersionCreate]
    ) -> Response[Version]:
        version, created = await service_catalog.create_version(name, data)
        return Response(version, status_code=HTTP_201_CREATED if created else HTTP_200_OK)

    @get("/", operation_id="ListVersions", summary="Newest first; `branch` and `tag` filter")
    async def list_versions(
        self,
        service_catalog: NamedDependency[ServiceCatalog],
        name: FromPath[str],
        limit: LimitQuery = DEFAULT_LIMIT,
        cursor: CursorQuery = None,
        branch: FromQuery[str | None] = None,
        tag: FromQuery[str | None] = None,
    ) -> Page[Version]:
        return await service_catalog.list_versions(name, limit=limit, cursor=cursor, branch=branch, tag=tag)

    @get("/{number:str}", operation_id="GetVersion")
    async def get_version(
        self, service_catalog: NamedDependency[ServiceCatalog], name: FromPath[str], number: FromPath[str]
    ) -> Version:
        return await service_catalog.get_version(name, number)

    @put("/{number:str}", operation_id="UpdateVersion", summary="Set build info, add branches and tags")
    async def update_version(
        self,
        service_catalog: NamedDependency[ServiceCatalog],
        name: FromPath[str],
        number: FromPath[str],
        data: JSONBody[VersionUpdate],
    ) -> Version:
        return await service_catalog.update_version(name, number, data)

    @delete("/{number:str}", operation_id="DeleteVersion", summary="409 while referenced unless ?cascade=true")
    async def delete_version(
        self,
        catalog_removal: NamedDependency[CatalogRemoval],
        name: FromPath[str],
        number: FromPath[str],
        cascade: FromQuery[bool] = False,
    ) -> None:
        await catalog_removal.delete_version(name, number, cascade=cascade)
