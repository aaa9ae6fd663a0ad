"""Members page: admins see members and invite (an admin may invite up to admin, an owner anyone); owners
also change roles and remove members. The last owner can be neither demoted nor removed."""

from __future__ import annotations

from typing import Annotated, Any
from uuid import UUID

import msgspec
from litestar import Controller, Request, Response, get, post
from litestar.di import NamedDependency
from litestar.enums import RequestEncodingType
from litestar.params import Body, FromPath
from litestar.response import Redirect, Template

from accord.accounts.membership_repository import MembershipRepository
from accord.accounts.service import MemberService
from accord.errors import Conflict, InvalidInput, PermissionDenied
from accord.http.base_url import base_url
from accord.invitations.repository import InvitationRepository
from accord.invitations.schemas import InvitationCreate, IssuedInvitation
from accord.invitations.service import InvitationService
from accord.web.viewer import Role, Viewer, requires_role

_FORM = Body(media_type=RequestEncodingType.URL_ENCODED)
ACCEPT_PATH = "/ui/invitations/accept"


class InviteForm(msgspec.Struct, kw_only=True, forbid_unknown_fields=True):
    csrf_token: str
    email: Annotated[str, msgspec.Meta(max_length=320)] = ""
    role: Role = Role.MEMBER


class RoleForm(msgspec.Struct, kw_only=True, forbid_unknown_fields=True):
    csrf_token: str
    role: Role


class CsrfOnlyForm(msgspec.Struct, kw_only=True, forbid_unknown_fields=True):
    csrf_token: str


def invitation_link(request: Request[Any, Any, Any], token: str) -> str:
    return f"{base_url(request)}{ACCEPT_PATH}?token={token}"


async def _members_page(
    request: Request[Any, Any, Any],
    viewer: Viewer,
    *,
    issued: IssuedInvitation | None = None,
    error: str | None = None,
    notice: str | None = None,
    status: int = 200,
) -> Template:
    members = await MemberService(MembershipRepository(viewer.tenant_id)).list()
    pending = await InvitationService(InvitationRepository(viewer.tenant_id)).pending()
    invitable = [role.value for role in Role if viewer.role is Role.OWNER or role is not Role.OWNER]
    return Template(
        template_name="pages/members.html",
        context={
            "members": members,
            "pending": pending,
            "issued": issued,
            "link": invitation_link(request, issued.token) if issued else None,
            "error": error,
            "notice": notice,
            "roles": [role.value for role in Role],
            "invitable": invitable,
            "is_owner": viewer.role is Role.OWNER,
        },
        status_code=status,
    )


_NOTICES = {"role": "The role was changed.", "removed": "The member was removed.", "withdrawn": "Invitation withdrawn."}


class MembersController(Controller):
    path = "/ui/members"
    guards = [requires_role(Role.ADMIN)]

    @get("/")
    async def members(self, request: Request[Any, Any, Any], viewer: NamedDependency[Viewer]) -> Template:
        return await _members_page(request, viewer, notice=_NOTICES.get(request.query_params.get("done", "")))

    @post("/invite", status_code=201)
    async def invite(
        self, request: Request[Any, Any, Any], viewer: NamedDependency[Viewer], data: Annotated[InviteForm, _FORM]
    ) -> Template:
        try:
            values = msgspec.convert({"email": data.email.strip(), "role": data.role}, InvitationCreate)
        except msgspec.ValidationError:
            return await _members_page(request, viewer, error="Enter the email address to invite.", status=422)
        try:
            issued = await InvitationService(InvitationRepository(viewer.tenant_id)).invite(
                values, invited_by=viewer.user_id, inviter_role=viewer.role
            )
        except PermissionDenied as exc:
            return await _members_page(request, viewer, error=exc.detail, status=403)
        return await _members_page(request, viewer, issued=issued, status=201)

    @post("/invitations/{invitation_id:uuid}/withdraw", status_code=303)
    async def withdraw(
        self, viewer: NamedDependency[Viewer], invitation_id: FromPath[UUID], data: Annotated[CsrfOnlyForm, _FORM]
    ) -> Response[Any]:
        await InvitationService(InvitationRepository(viewer.tenant_id)).withdraw(invitation_id)
        return Redirect(f"{self.path}?done=withdrawn", status_code=303)

    @post("/{user_id:uuid}/role", status_code=303, guards=[requires_role(Role.OWNER)])
    async def change_role(
        self,
        request: Request[Any, Any, Any],
        viewer: NamedDependency[Viewer],
        user_id: FromPath[UUID],
        data: Annotated[RoleForm, _FORM],
    ) -> Response[Any]:
        try:
            await MemberService(MembershipRepository(viewer.tenant_id)).change_role(user_id, data.role)
        except (InvalidInput, Conflict) as exc:
            return await _members_page(request, viewer, error=exc.detail, status=exc.status_code)
        return Redirect(f"{self.path}?done=role", status_code=303)

    @post("/{user_id:uuid}/remove", status_code=303, guards=[requires_role(Role.OWNER)])
    async def remove(
        self,
        request: Request[Any, Any, Any],
        viewer: NamedDependency[Viewer],
        user_id: FromPath[UUID],
        data: Annotated[CsrfOnlyForm, _FORM],
    ) -> Response[Any]:
        try:
            await MemberService(MembershipRepository(viewer.tenant_id)).remove(user_id)
        except (InvalidInput, Conflict) as exc:
            return await _members_page(request, viewer, error=exc.detail, status=exc.status_code)
        return Redirect(f"{self.path}?done=removed", status_code=303)
