from __future__ import annotations

from uuid import UUID

from litestar import Controller, delete, get, post
from litestar.datastructures import State
from litestar.di import NamedDependency, Provide
from litestar.params import FromPath, FromQuery, JSONBody

from accord.api_keys.repository import ApiKeyRepository
from accord.api_keys.schemas import ApiKey, ApiKeyCreate, ApiKeyCreated
from accord.api_keys.service import ApiKeyService
from accord.http.pagination import DEFAULT_LIMIT, CursorQuery, LimitQuery, Page
from accord.http.security_headers import ISSUES_SECRET_OPT_KEY
from accord.tenancy.principal import Scope
from accord.tenant_ids import TenantId


def provide_api_key_service(tenant_id: NamedDependency[TenantId], state: State) -> ApiKeyService:
    return ApiKeyService(ApiKeyRepository(tenant_id), forget_key=state.key_cache.invalidate)


class ApiKeyController(Controller):
    """Managing a tenant's keys needs an admin key of that tenant."""

    path = "/api/keys"
    tags = ["tenancy"]
    opt = {"scope": Scope.admin}
    dependencies = {"service": Provide(provide_api_key_service, sync_to_thread=False)}

    @post(
        "/",
        operation_id="CreateApiKey",
        summary="Issue a key; the response is the only time it is shown",
        opt={ISSUES_SECRET_OPT_KEY: True},
    )
    async def create_key(self, service: NamedDependency[ApiKeyService], data: JSONBody[ApiKeyCreate]) -> ApiKeyCreated:
        return await service.create(data)

    @get("/", operation_id="ListApiKeys")
    async def list_keys(
        self,
        service: NamedDependency[ApiKeyService],
        limit: LimitQuery = DEFAULT_LIMIT,
        cursor: CursorQuery = None,
        include_revoked: FromQuery[bool] = False,
    ) -> Page[ApiKey]:
        return await service.list(limit=limit, cursor=cursor, include_revoked=include_revoked)

    @get("/{key_id:uuid}", operation_id="GetApiKey")
    async def get_key(self, service: NamedDependency[ApiKeyService], key_id: FromPath[UUID]) -> ApiKey:
        return await service.get(key_id)

    @delete("/{key_id:uuid}", operation_id="RevokeApiKey", status_code=200, summary="Revoke a key (stays listed)")
    async def revoke_key(self, service: NamedDependency[ApiKeyService], key_id: FromPath[UUID]) -> ApiKey:
        return await service.revoke(key_id)
