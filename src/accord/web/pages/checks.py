"""Detail of one verification result or one static check: every mismatch, where it points, and why."""

from __future__ import annotations

from uuid import UUID

from litestar import Controller, get
from litestar.di import NamedDependency
from litestar.params import FromPath
from litestar.response import Template

from accord.composition import static_check_service, verification_service
from accord.errors import NotFound
from accord.web.mismatches import describe_mismatch
from accord.web.viewer import Viewer


def _id(value: str, what: str) -> UUID:
    try:
        return UUID(value)
    except ValueError:
        raise NotFound(f"No {what} with id {value}.") from None


class ChecksPage(Controller):
    path = "/ui"

    @get("/verifications/{result_id:str}", name="verification")
    async def verification(self, viewer: NamedDependency[Viewer], result_id: FromPath[str]) -> Template:
        result = await verification_service(viewer.tenant_id).get(_id(result_id, "verification result"))
        outcomes = [
            (outcome, [describe_mismatch(mismatch) for mismatch in outcome.mismatches]) for outcome in result.results
        ]
        return Template(template_name="pages/verification.html", context={"result": result, "outcomes": outcomes})

    @get("/static-checks/{check_id:str}", name="static-check")
    async def static_check(self, viewer: NamedDependency[Viewer], check_id: FromPath[str]) -> Template:
        check = await static_check_service(viewer.tenant_id).get(_id(check_id, "static check"))
        return Template(template_name="pages/static_check.html", context={"check": check})
