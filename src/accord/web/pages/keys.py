"""API keys page (admins): issue (the secret is shown once), revoke; and the public badge token."""

from __future__ import annotations

from typing import Annotated, Any
from uuid import UUID

import msgspec
from litestar import Controller, Request, Response, get, post
from litestar.datastructures import State
from litestar.di import NamedDependency
from litestar.enums import RequestEncodingType
from litestar.params import Body, FromPath
from litestar.response import Redirect, Template

from accord.api_keys.schemas import ApiKeyCreate, ApiKeyCreated
from accord.api_keys.service import ApiKeyService
from accord.composition import api_key_service, badge_token_service
from accord.errors import InvalidInput
from accord.http.base_url import base_url
from accord.tenancy.principal import Scope
from accord.web.viewer import Role, Viewer, requires_role

_FORM = Body(media_type=RequestEncodingType.URL_ENCODED)
_MAX_KEYS_SHOWN = 500


class IssueKeyForm(msgspec.Struct, kw_only=True, forbid_unknown_fields=True):
    csrf_token: str
    name: Annotated[str, msgspec.Meta(max_length=200)] = ""
    scope: Scope = Scope.read


class CsrfOnlyForm(msgspec.Struct, kw_only=True, forbid_unknown_fields=True):
    csrf_token: str


def _keys(viewer: Viewer, state: State) -> ApiKeyService:
    return api_key_service(viewer.tenant_id, forget_key=state.key_cache.invalidate)


async def _keys_page(
    request: Request[Any, Any, Any],
    viewer: Viewer,
    state: State,
    *,
    created: ApiKeyCreated | None = None,
    error: str | None = None,
    notice: str | None = None,
    name: str = "",
    status: int = 200,
) -> Template:
    page = await _keys(viewer, state).list(limit=_MAX_KEYS_SHOWN, cursor=None, include_revoked=True)
    badge = await badge_token_service(viewer.tenant_id).show(base_url(request))
    return Template(
        template_name="pages/keys.html",
        context={
            "keys": page.items,
            "created": created,
            "error": error,
            "notice": notice,
            "name": name,
            "scopes": [scope.value for scope in Scope],
            "badge": badge,
        },
        status_code=status,
    )


class KeysController(Controller):
    path = "/ui/keys"
    guards = [requires_role(Role.ADMIN)]

    @get("/")
    async def keys(self, request: Request[Any, Any, Any], viewer: NamedDependency[Viewer], state: State) -> Template:
        notice = {"revoked": "The key was revoked.", "rotated": "The badge token was replaced."}.get(
            request.query_params.get("done", "")
        )
        return await _keys_page(request, viewer, state, notice=notice)

    @post("/", status_code=201)
    async def issue(
        self,
        request: Request[Any, Any, Any],
        viewer: NamedDependency[Viewer],
        state: State,
        data: Annotated[IssueKeyForm, _FORM],
    ) -> Template:
        try:
            values = msgspec.convert({"name": data.name.strip(), "scopes": [data.scope]}, ApiKeyCreate)
        except msgspec.ValidationError:
            return await _keys_page(
                request, viewer, state, error="Give the key a name of 1 to 100 characters.", name=data.name, status=422
            )
        try:
            created = await _keys(viewer, state).create(values)
        except InvalidInput as exc:
            return await _keys_page(request, viewer, state, error=exc.detail, name=data.name, status=422)
        # The page with the secret is the only copy: the router's `Cache-Control: no-store` keeps it out of caches.
        return await _keys_page(request, viewer, state, created=created, status=201)

    @post("/{key_id:uuid}/revoke", status_code=303)
    async def revoke(
        self,
        viewer: NamedDependency[Viewer],
        state: State,
        key_id: FromPath[UUID],
        data: Annotated[CsrfOnlyForm, _FORM],
    ) -> Response[Any]:
        await _keys(viewer, state).revoke(key_id)  # another tenant's key: NotFound -> the 404 page
        return Redirect("/ui/keys?done=revoked", status_code=303)

    @post("/badge-token/rotate", status_code=303)
    async def rotate_badge_token(
        self, request: Request[Any, Any, Any], viewer: NamedDependency[Viewer], data: Annotated[CsrfOnlyForm, _FORM]
    ) -> Response[Any]:
        await badge_token_service(viewer.tenant_id).rotate(base_url(request))
        return Redirect("/ui/keys?done=rotated", status_code=303)
