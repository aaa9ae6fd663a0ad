"""/environments: the broker's environment resources, addressed by id (create-, describe-, update-,
delete- and list-environments)."""

from __future__ import annotations

from typing import Any

from litestar import Controller, Request, Response, delete, get, post, put
from litestar.di import NamedDependency
from litestar.params import FromPath, FromQuery, JSONBody
from litestar.status_codes import HTTP_201_CREATED

from accord.environments.schemas import Environment
from accord.environments.service import EnvironmentService
from accord.errors import NotFound
from accord.http.pagination import CursorQuery, Page
from accord.pact.environments.resources import environment_resource, environments_resource
from accord.pact.environments.schemas import EnvironmentFields
from accord.pact.hal_pages import PAGE_SIZE, SizeQuery
from accord.pact.links import Links
from accord.pact.media import hal
from accord.pact.path_params import resource_id
from accord.pact.resource_urls import environment_url


class PactEnvironmentController(Controller):
    path = "/environments"
    tags = ["pact"]

    @get("/", operation_id="PactListEnvironments", summary="By name; `name` picks one")
    async def list_environments(
        self,
        request: Request[Any, Any, Any],
        environment_service: NamedDependency[EnvironmentService],
        size: SizeQuery = PAGE_SIZE,
        cursor: CursorQuery = None,
        name: FromQuery[str | None] = None,
    ) -> Response[Any]:
        page = await _listed(environment_service, limit=size, cursor=cursor, name=name)
        contacts = await environment_service.contacts_of(page.items)
        return hal(environments_resource(Links(request), page, contacts, size=size, name=name))

    @post("/", operation_id="PactCreateEnvironment", summary="409 if the name is taken")
    async def create_environment(
        self,
        request: Request[Any, Any, Any],
        environment_service: NamedDependency[EnvironmentService],
        data: JSONBody[EnvironmentFields],
    ) -> Response[Any]:
        links, created = Links(request), await environment_service.create(data.native(), contacts=data.contacts)
        location = {"Location": environment_url(links, created.id)}
        contacts = (await environment_service.contacts_of([created])).get(created.id)
        return hal(environment_resource(links, created, contacts), HTTP_201_CREATED, headers=location)

    @get("/{environment_uuid:str}", operation_id="PactGetEnvironment")
    async def get_environment(
        self,
        request: Request[Any, Any, Any],
        environment_service: NamedDependency[EnvironmentService],
        environment_uuid: FromPath[str],
    ) -> Response[Any]:
        found = await environment_service.get_by_id(resource_id(environment_uuid, "environment"))
        contacts = (await environment_service.contacts_of([found])).get(found.id)
        return hal(environment_resource(Links(request), found, contacts))

    @put("/{environment_uuid:str}", operation_id="PactReplaceEnvironment", summary="Replace; may rename")
    async def replace_environment(
        self,
        request: Request[Any, Any, Any],
        environment_service: NamedDependency[EnvironmentService],
        environment_uuid: FromPath[str],
        data: JSONBody[EnvironmentFields],
    ) -> Response[Any]:
        environment_id = resource_id(environment_uuid, "environment")
        replaced = await environment_service.replace(environment_id, data.native(), contacts=data.contacts)
        contacts = (await environment_service.contacts_of([replaced])).get(replaced.id)
        return hal(environment_resource(Links(request), replaced, contacts))

    @delete("/{environment_uuid:str}", operation_id="PactDeleteEnvironment", summary="With its deployment history")
    async def delete_environment(
        self, environment_service: NamedDependency[EnvironmentService], environment_uuid: FromPath[str]
    ) -> None:
        await environment_service.delete_by_id(resource_id(environment_uuid, "environment"))


async def _listed(
    environments: EnvironmentService, *, limit: int, cursor: str | None, name: str | None
) -> Page[Environment]:
    """By name; `name` picks the one environment of that name (the broker's lookup), an empty page if none."""
    if name is None:
        return await environments.list(limit=limit, cursor=cursor, production=None)
    try:
        return Page(items=[await environments.get(name)])
    except NotFound:
        return Page(items=[])
