from __future__ import annotations

from uuid import UUID

from litestar import Controller, delete, get, post
from litestar.di import NamedDependency
from litestar.params import FromPath, FromQuery, JSONBody

from accord.api_keys.schemas import ApiKey, ApiKeyCreate, ApiKeyCreated
from accord.api_keys.service import ApiKeyService
from accord.http.pagination import DEFAULT_LIMIT, CursorQuery, LimitQuery, Page
from accord.http.security_headers import ISSUES_SECRET_OPT_KEY
from accord.tenancy.principal import Scope


class ApiKeyController(Controller):
    """Managing a tenant's keys needs an admin key of that tenant."""

    path = "/api/keys"
    tags = ["tenancy"]
    opt = {"scope": Scope.admin}

    @post(
        "/",
        operation_id="CreateApiKey",
        summary="Issue a key; the response is the only time it is shown",
        opt={ISSUES_SECRET_OPT_KEY: True},
    )
    async def create_key(
        self, api_key_service: NamedDependency[ApiKeyService], data: JSONBody[ApiKeyCreate]
    ) -> ApiKeyCreated:
        return await api_key_service.create(data)

    @get("/", operation_id="ListApiKeys")
    async def list_keys(
        self,
        api_key_service: NamedDependency[ApiKeyService],
        limit: LimitQuery = DEFAULT_LIMIT,
        cursor: CursorQuery = None,
        include_revoked: FromQuery[bool] = False,
    ) -> Page[ApiKey]:
        return await api_key_service.list(limit=limit, cursor=cursor, include_revoked=include_revoked)

    @get("/{key_id:uuid}", operation_id="GetApiKey")
    async def get_key(self, api_key_service: NamedDependency[ApiKeyService], key_id: FromPath[UUID]) -> ApiKey:
        return await api_key_service.get(key_id)

    @delete("/{key_id:uuid}", operation_id="RevokeApiKey", status_code=200, summary="Revoke a key (stays listed)")
    async def revoke_key(self, api_key_service: NamedDependency[ApiKeyService], key_id: FromPath[UUID]) -> ApiKey:
        return await api_key_service.revoke(key_id)
