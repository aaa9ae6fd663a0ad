"""/environments: the broker's environment resources, addressed by id (create-, describe-, update-,
delete- and list-environments)."""

from __future__ import annotations

from typing import Any

from litestar import Controller, Request, Response, delete, get, post, put
from litestar.di import NamedDependency, Provide
from litestar.params import FromPath, FromQuery, JSONBody
from litestar.status_codes import HTTP_201_CREATED

from accord.http.pagination import CursorQuery
from accord.pact.environment_resources import environment_resource, environments_resource
from accord.pact.environment_schemas import EnvironmentFields
from accord.pact.environment_service import PactEnvironmentService
from accord.pact.hal_pages import PAGE_SIZE, SizeQuery
from accord.pact.links import Links
from accord.pact.media import hal
from accord.pact.path_params import resource_id
from accord.pact.resource_urls import environment_url
from accord.tenancy.ids import TenantId


def provide_pact_environment_service(tenant_id: NamedDependency[TenantId]) -> PactEnvironmentService:
    return PactEnvironmentService(tenant_id)


class PactEnvironmentController(Controller):
    path = "/environments"
    tags = ["pact"]
    dependencies = {"environments": Provide(provide_pact_environment_service, sync_to_thread=False)}

    @get("/", operation_id="PactListEnvironments", summary="By name; `name` picks one")
    async def list_environments(
        self,
        request: Request[Any, Any, Any],
        environments: NamedDependency[PactEnvironmentService],
        size: SizeQuery = PAGE_SIZE,
        cursor: CursorQuery = None,
        name: FromQuery[str | None] = None,
    ) -> Response[Any]:
        page = await environments.list(limit=size, cursor=cursor, name=name)
        contacts = await environments.contacts_of(page.items)
        return hal(environments_resource(Links(request), page, contacts, size=size, name=name))

    @post("/", operation_id="PactCreateEnvironment", summary="409 if the name is taken")
    async def create_environment(
        self,
        request: Request[Any, Any, Any],
        environments: NamedDependency[PactEnvironmentService],
        data: JSONBody[EnvironmentFields],
    ) -> Response[Any]:
        links, created = Links(request), await environments.create(data)
        location = {"Location": environment_url(links, created.id)}
        contacts = (await environments.contacts_of([created])).get(created.id)
        return hal(environment_resource(links, created, contacts), HTTP_201_CREATED, headers=location)

    @get("/{environment_uuid:str}", operation_id="PactGetEnvironment")
    async def get_environment(
        self,
        request: Request[Any, Any, Any],
        environments: NamedDependency[PactEnvironmentService],
        environment_uuid: FromPath[str],
    ) -> Response[Any]:
        found = await environments.get(resource_id(environment_uuid, "environment"))
        contacts = (await environments.contacts_of([found])).get(found.id)
        return hal(environment_resource(Links(request), found, contacts))

    @put("/{environment_uuid:str}", operation_id="PactReplaceEnvironment", summary="Replace; may rename")
    async def replace_environment(
        self,
        request: Request[Any, Any, Any],
        environments: NamedDependency[PactEnvironmentService],
        environment_uuid: FromPath[str],
        data: JSONBody[EnvironmentFields],
    ) -> Response[Any]:
        replaced = await environments.replace(resource_id(environment_uuid, "environment"), data)
        contacts = (await environments.contacts_of([replaced])).get(replaced.id)
        return hal(environment_resource(Links(request), replaced, contacts))

    @delete("/{environment_uuid:str}", operation_id="PactDeleteEnvironment", summary="With its deployment history")
    async def delete_environment(
        self, environments: NamedDependency[PactEnvironmentService], environment_uuid: FromPath[str]
    ) -> None:
        await environments.delete(resource_id(environment_uuid, "environment"))
