"""The fixture review queue: approve, reject, deprecate one fixture, or approve the ticked drafts together.

Posts are plain HTML forms (csrf_token checked by the session layer) answered with a redirect back to the queue
and a notice naming what was done; a failed review raises before anything is written and shows the error page.
"""

from __future__ import annotations

from typing import Annotated, Any
from urllib.parse import urlencode
from uuid import UUID

from litestar import Controller, Request, get, post
from litestar.di import NamedDependency
from litestar.params import FromPath, FromQuery, QueryParameter
from litestar.response import Redirect, Template
from litestar.status_codes import HTTP_303_SEE_OTHER

from accord.composition import fixture_review, fixture_service
from accord.errors import FieldError, InvalidInput, NotFound
from accord.fixtures.schemas import MAX_BULK_IDS, BulkApprove, FixtureStatus
from accord.http.pagination import CursorQuery
from accord.web.viewer import Role, Viewer, requires_role

FIXTURES_PER_PAGE = 50
# What a redirect may announce: the notice is chosen from these, never echoed from the query string.
NOTICES = {
    "approved": "Fixture approved.",
    "rejected": "Fixture rejected.",
    "deprecated": "Fixture deprecated.",
    "bulk-approved": "The selected fixtures are approved.",
}
_REVIEW = {"approve": "approved", "reject": "rejected", "deprecate": "deprecated"}


def _fixture_id(value: str) -> UUID:
    try:
        return UUID(value)
    except ValueError:
        raise NotFound(f"No fixture with id {value}.") from None


def _back(form: Any, notice: str) -> Redirect:
    """To the queue the form was posted from (its filters ride along as hidden fields)."""
    query = {"notice": notice}
    for name in ("status", "provider"):
        value = form.get(name)
        if isinstance(value, str) and value:
            query[name] = value
    return Redirect(path="/ui/fixtures?" + urlencode(sorted(query.items())), status_code=HTTP_303_SEE_OTHER)


class FixturesPage(Controller):
    path = "/ui/fixtures"

    @get("/", name="fixtures")
    async def queue(
        self,
        viewer: NamedDependency[Viewer],
        status: FromQuery[FixtureStatus] = FixtureStatus.draft,
        provider: Annotated[str | None, QueryParameter(max_length=255)] = None,
        notice: Annotated[str | None, QueryParameter(max_length=40)] = None,
        cursor: CursorQuery = None,
    ) -> Template:
        page = await fixture_service(viewer.tenant_id).list(
            limit=FIXTURES_PER_PAGE,
            cursor=cursor,
            provider=provider or None,
            version=None,
            operation=None,
            status=status,
            source=None,
        )
        return Template(
            template_name="pages/fixtures.html",
            context={
                "page": page,
                "status": status.value,
                "statuses": [s.value for s in FixtureStatus],
                "provider": provider or "",
                "notice": NOTICES.get(notice or ""),
                "can_review": viewer.can(Role.MEMBER),
            },
        )

    @post("/bulk-approve", name="fixtures-bulk-approve", guards=[requires_role(Role.MEMBER)])
    async def bulk_approve(self, viewer: NamedDependency[Viewer], request: Request[Any, Any, Any]) -> Redirect:
        form = await request.form()
        values = form.getall("ids") if "ids" in form else []
        if not values or len(values) > MAX_BULK_IDS:
            raise InvalidInput(
                f"Tick between 1 and {MAX_BULK_IDS} fixtures to approve.",
                errors=[FieldError(detail="tick at least one fixture", parameter="ids")],
            )
        try:
            ids = [UUID(value) for value in values]
        except ValueError:
            raise InvalidInput(
                "A ticked fixture id is not an id.", errors=[FieldError(detail="not an id", parameter="ids")]
            ) from None
        await fixture_review(viewer.tenant_id).approve_many(BulkApprove(ids=ids), approved_by=viewer.email)
        return _back(form, "bulk-approved")

    @post("/{fixture_id:str}/{action:str}", name="fixture-review", guards=[requires_role(Role.MEMBER)])
    async def review(
        self,
        viewer: NamedDependency[Viewer],
        request: Request[Any, Any, Any],
        fixture_id: FromPath[str],
        action: FromPath[str],
    ) -> Redirect:
        if action not in _REVIEW:
            raise NotFound(f"No review action '{action}'.")
        form = await request.form()
        review = fixture_review(viewer.tenant_id)
        target = _fixture_id(fixture_id)
        if action == "approve":
            await review.approve(target, approved_by=viewer.email)
        elif action == "reject":
            await review.reject(target)
        else:
            await review.deprecate(target)
        return _back(form, _REVIEW[action])
