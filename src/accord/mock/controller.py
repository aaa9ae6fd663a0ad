from __future__ import annotations

from typing import Any

import msgspec
from litestar import Controller, Request, Response, route
from litestar.di import NamedDependency
from litestar.enums import HttpMethod
from litestar.params import FromPath

from accord.exchanges.normalize import normalize_headers
from accord.mock.schemas import MockAnswer, MockRequest, RequestNotInSpec, Selector
from accord.mock.service import MockService
from accord.tenancy.principal import Scope

# Accord's own credentials are not part of the call being mocked; hop-by-hop headers are the transport's.
_NOT_FORWARDED = frozenset({"authorization", "cookie", "transfer-encoding", "te", "keep-alive", "upgrade"})
_NOT_REPLAYED = frozenset({"content-length", "transfer-encoding", "connection", "keep-alive"})


def _body(raw: bytes, content_type: str) -> Any:
    if not raw:
        return None
    if "json" in content_type:
        try:
            return msgspec.json.decode(raw)
        except msgspec.DecodeError as exc:
            raise RequestNotInSpec(f"The request body is not valid JSON: {exc}.") from None
    return raw.decode("utf-8", errors="replace")


def _response(answer: MockAnswer) -> Response[bytes]:
    headers = {name: value for name, value in answer.headers.items() if name not in _NOT_REPLAYED}
    headers["Accord-Mock-Source"] = answer.source
    if answer.fixture is not None:
        headers["Accord-Mock-Fixture"] = str(answer.fixture)
    if answer.score is not None:
        headers["Accord-Mock-Score"] = f"{answer.score:.6f}"
    return Response(
        answer.body,
        status_code=answer.status,
        media_type=answer.media_type or "application/octet-stream",
        headers=headers,
    )


class MockController(Controller):
    """`/mock/{provider}/{selector}/{path}`: a provider version as consumer tests call it (read keys suffice).

    Left out of /schema: it answers whatever the provider's own spec describes, not Accord's API.
    """

    path = "/mock"
    tags = ["mock"]

    @route(
        "/{provider:str}/{selector:str}/{path:path}",
        http_method=[HttpMethod.GET, HttpMethod.POST, HttpMethod.PUT, HttpMethod.PATCH, HttpMethod.DELETE],
        operation_id="MockProvider",
        include_in_schema=False,
        opt={"scope": Scope.read},
    )
    async def answer(
        self,
        request: Request[Any, Any, Any],
        mock_service: NamedDependency[MockService],
        provider: FromPath[str],
        selector: FromPath[str],
        path: FromPath[str],
    ) -> Response[bytes]:
        headers = {name: value for name, value in request.headers.items() if name.lower() not in _NOT_FORWARDED}
        call = MockRequest(
            method=request.method.upper(),
            path=path if path.startswith("/") else f"/{path}",
            query={name: list(values) for name, values in sorted(request.query_params.dict().items())},
            headers=normalize_headers(headers),
            body=_body(await request.body(), request.headers.get("content-type", "").lower()),
        )
        return _response(await mock_service.answer(provider, Selector.parse(selector), call))
