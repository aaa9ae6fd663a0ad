from __future__ import annotations

from litestar import Controller, delete, get, patch, post
from litestar.di import NamedDependency, Provide
from litestar.params import FromPath, FromQuery, JSONBody

from accord.environments.schemas import Environment, EnvironmentCreate, EnvironmentUpdate
from accord.environments.service import EnvironmentService
from accord.http.pagination import DEFAULT_LIMIT, CursorQuery, LimitQuery, Page
from accord.tenant_ids import TenantId


def provide_environment_service(tenant_id: NamedDependency[TenantId]) -> EnvironmentService:
    return EnvironmentService(tenant_id)


class EnvironmentController(Controller):
    path = "/api/environments"
    tags = ["environments"]
    dependencies = {"environments": Provide(provide_environment_service, sync_to_thread=False)}

    @post("/", operation_id="CreateEnvironment", summary="409 if the name is taken")
    async def create_environment(
        self, environments: NamedDependency[EnvironmentService], data: JSONBody[EnvironmentCreate]
    ) -> Environment:
        return await environments.create(data)

    @get("/", operation_id="ListEnvironments", summary="Environments by name; `production` filters")
    async def list_environments(
        self,
        environments: NamedDependency[EnvironmentService],
        limit: LimitQuery = DEFAULT_LIMIT,
        cursor: CursorQuery = None,
        production: FromQuery[bool | None] = None,
    ) -> Page[Environment]:
        return await environments.list(limit=limit, cursor=cursor, production=production)

    @get("/{name:str}", operation_id="GetEnvironment")
    async def get_environment(
        self, environments: NamedDependency[EnvironmentService], name: FromPath[str]
    ) -> Environment:
        return await environments.get(name)

    @patch("/{name:str}", operation_id="UpdateEnvironment")
    async def update_environment(
        self, environments: NamedDependency[EnvironmentService], name: FromPath[str], data: JSONBody[EnvironmentUpdate]
    ) -> Environment:
        return await environments.update(name, data)

    @delete("/{name:str}", operation_id="DeleteEnvironment", summary="409 while referenced unless ?cascade=true")
    async def delete_environment(
        self, environments: NamedDependency[EnvironmentService], name: FromPath[str], cascade: FromQuery[bool] = False
    ) -> None:
        await environments.delete(name, cascade=cascade)
