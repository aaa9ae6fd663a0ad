"""Piccolo admin for platform operators at /admin: its own session login and CSRF, outside tenant auth."""

from __future__ import annotations

import datetime
from typing import Any

import pydantic
from litestar.types import ASGIApp
from piccolo_admin.endpoints import FormConfig, TableConfig, create_admin
from piccolo_api.crud.hooks import Hook, HookType
from piccolo_api.crud.validators import Validators
from starlette.exceptions import HTTPException
from starlette.requests import Request

from accord.api_keys.repository import ApiKeyRepository
from accord.api_keys.schemas import ApiKeyCreate
from accord.api_keys.service import ApiKeyService
from accord.errors import AppError
from accord.tenancy.principal import Scope
from accord.tenants.service import TenantService
from tables.api_key import ApiKey
from tables.audit import AuditEntry
from tables.tenant import Tenant

# Fixed by the key: editing them would break the key or move it to another tenant.
_IMMUTABLE_KEY_COLUMNS = ("key_hash", "prefix", "tenant")


def _keep_key_identity(row_id: Any, values: dict[Any, Any]) -> dict[Any, Any]:
    # piccolo_api keys `values` by Column; `column in (names)` would be always true (Column.__eq__ -> Where).
    return {col: v for col, v in values.items() if col._meta.name not in _IMMUTABLE_KEY_COLUMNS}


def _refuse_raw_key_rows(piccolo_crud: Any, request: Request) -> None:
    raise HTTPException(
        status_code=405,
        detail="Keys are issued with the 'Issue an API key' form, which shows the secret once.",
    )


class IssueKeyForm(pydantic.BaseModel):
    tenant_slug: str = pydantic.Field(description="Slug of the tenant the key acts for.")
    name: str = pydantic.Field(description="What the key is for, e.g. 'ci'.")
    scopes: str = pydantic.Field(default="read,write", description="Comma-separated: read, write, admin.")
    expires_at: datetime.datetime | None = None


async def _issue_key(request: Request, data: IssueKeyForm) -> str:
    try:
        scopes = [Scope(part.strip()) for part in data.scopes.split(",") if part.strip()]
        tenant_id = await TenantService().resolve_slug(data.tenant_slug.strip())
        created = await ApiKeyService(ApiKeyRepository(tenant_id)).create(
            ApiKeyCreate(name=data.name.strip(), scopes=scopes, expires_at=data.expires_at)
        )
    except (AppError, ValueError) as exc:
        raise ValueError(str(exc)) from None  # piccolo_admin shows a ValueError's message in the form
    return f"Key created. Copy it now, it will not be shown again: {created.key}"


def _refuse_audit_writes(piccolo_crud: Any, request: Request) -> None:
    raise HTTPException(status_code=405, detail="The audit log is written by the database only.")


def build_admin(*, secure_cookies: bool) -> ASGIApp:
    """Built once at start-up; the result is mounted, never rebuilt per request."""
    api_keys = TableConfig(
        ApiKey,
        visible_columns=[
            ApiKey.name,
            ApiKey.tenant,
            ApiKey.prefix,
            ApiKey.scopes,
            ApiKey.last_used_at,
            ApiKey.expires_at,
            ApiKey.revoked_at,
            ApiKey.created_at,
        ],
        hooks=[Hook(hook_type=HookType.pre_patch, callable=_keep_key_identity)],
        validators=Validators(post_single=[_refuse_raw_key_rows]),
        menu_group="Tenancy",
    )
    tenants = TableConfig(Tenant, menu_group="Tenancy")
    audit = TableConfig(
        AuditEntry,
        visible_columns=[
            AuditEntry.at,
            AuditEntry.tenant,
            AuditEntry.actor,
            AuditEntry.action,
            AuditEntry.resource,
            AuditEntry.resource_id,
            AuditEntry.request_id,
            AuditEntry.summary,
        ],
        visible_filters=[AuditEntry.tenant, AuditEntry.actor, AuditEntry.action, AuditEntry.resource],
        # Read-only: the log is only worth something if nobody can edit it, operators included.
        validators=Validators(
            post_single=[_refuse_audit_writes],
            put_single=[_refuse_audit_writes],
            patch_single=[_refuse_audit_writes],
            delete_single=[_refuse_audit_writes],
            delete_all=[_refuse_audit_writes],
        ),
        menu_group="Tenancy",
    )
    app: ASGIApp = create_admin(
        tables=[tenants, api_keys, audit],
        forms=[
            FormConfig(
                name="Issue an API key",
                pydantic_model=IssueKeyForm,
                endpoint=_issue_key,
                description="Creates a key for a tenant and shows its secret once.",
            )
        ],
        site_name="Accord admin",
        production=secure_cookies,
    )
    return app
