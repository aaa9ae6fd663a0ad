"""The environments board, with a can-i-deploy form whose answer explains itself row by row."""

from __future__ import annotations

from typing import Annotated

from litestar import Controller, get
from litestar.di import NamedDependency
from litestar.params import QueryParameter
from litestar.response import Template

from accord.composition import matrix_service
from accord.contracts.following import ContractFollower
from accord.dashboard.environments_board import EnvironmentsBoard
from accord.errors import FieldError, InvalidInput
from accord.web.viewer import Viewer

NameText = Annotated[str | None, QueryParameter(max_length=255)]


class EnvironmentsPage(Controller):
    path = "/ui/environments"

    @get("/", name="environments")
    async def board(
        self,
        viewer: NamedDependency[Viewer],
        service: NameText = None,
        version: NameText = None,
        environment: NameText = None,
    ) -> Template:
        asked = {"service": service or "", "version": version or "", "environment": environment or ""}
        answer = None
        if any(asked.values()):
            missing = [name for name, value in asked.items() if not value]
            if missing:
                raise InvalidInput(
                    "can-i-deploy needs a service, a version and an environment.",
                    errors=[FieldError(detail="required", parameter=name) for name in missing],
                )
            await ContractFollower(viewer.tenant_id).settle()  # every recorded batch counts, derived or not
            answer = await matrix_service(viewer.tenant_id).can_i_deploy(
                asked["service"], asked["version"], asked["environment"]
            )
        columns = await EnvironmentsBoard(viewer.tenant_id).columns()
        return Template(
            template_name="pages/environments.html", context={"columns": columns, "asked": asked, "answer": answer}
        )
