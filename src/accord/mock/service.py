"""Answering a consumer's call to a provider version's mock: fixtures first, then what the spec says."""

from __future__ import annotations

from typing import Any
from uuid import UUID

import anyio
import msgspec

from accord.compatibility.checker import check_contract
from accord.compatibility.spec_model import COMPILED_SPECS, CompiledSpec, compile_spec
from accord.db.engine import get_engine
from accord.embeddings.hashing import cosine_similarity, embed_request, vector_key, vector_literal
from accord.errors import FieldError, NotFound
from accord.mock.documented import documented_answer
from accord.mock.repository import MockRepository, TargetRow
from accord.mock.schemas import MockAnswer, MockRequest, RequestNotInSpec, Selector
from accord.mock.state import MOCK_STATES, CachedFixture, MockState, match_key
from accord.tenant_ids import TenantId


def _request_dict(request: MockRequest) -> dict[str, Any]:
    return msgspec.to_builtins(request)  # type: ignore[no-any-return]


def _fixture_answer(fixture: CachedFixture, source: Any, score: float | None = None) -> MockAnswer:
    return _stored_answer(fixture.response, source, fixture=fixture.id, score=score)


def _stored_answer(response: dict[str, Any], source: Any, *, fixture: UUID | None, score: float | None) -> MockAnswer:
    """A stored response ({status, headers, body}) as the mock sends it."""
    headers = {str(name).lower(): str(value) for name, value in (response.get("headers") or {}).items()}
    media_type = headers.pop("content-type", None)
    headers.pop("content-length", None)
    body = response.get("body")
    if body is None:
        encoded = b""
    elif isinstance(body, str) and (media_type is None or "json" not in media_type):
        encoded = body.encode()
    else:
        encoded = msgspec.json.encode(body)
        media_type = media_type or "application/json"
    return MockAnswer(
        status=int(response.get("status") or 200),
        headers=headers,
        body=encoded,
        media_type=media_type,
        source=source,
        fixture=fixture,
        score=score,
    )


def _request_mismatches(spec: CompiledSpec, request: MockRequest) -> list[FieldError]:
    """What the spec's static checker says about the request alone (no response: its checks are skipped)."""
    report = check_contract(
        spec, [{"key": "request", "request": _request_dict(request), "response": {}}], "interactions"
    )
    return [
        FieldError(detail=mismatch.message, pointer=mismatch.pointer.removeprefix("/request") or None)
        for result in report.results
        for mismatch in result.mismatches
        if mismatch.where == "request"
    ]


class MockService:
    """The mock of a tenant's provider versions."""

    def __init__(self, tenant: TenantId) -> None:
        self.tenant = tenant
        self.mock = MockRepository(tenant)

    async def answer(self, provider: str, selector: Selector, request: MockRequest) -> MockAnswer:
        target = await self.mock.target(provider, selector.kind, selector.name)
        if target is None:
            raise NotFound(f"No service named '{provider}'.")
        if target.version_id is None:
            raise NotFound(f"Nothing matches {selector.describe(provider)}.")
        state = await self._state(target, target.version_id)
        spec = state.spec
        # 1. An approved fixture for exactly this request (its headers present in the request).
        for fixture in state.exact.get(match_key(_request_dict(request)), ()):
            if fixture.headers.items() <= request.headers.items():
                return _fixture_answer(fixture, "fixture")
        if spec is None:
            raise NotFound(
                f"{selector.describe(provider)} has no spec and no approved fixture matches "
                f"{request.method} {request.path}; upload its spec or approve a fixture for this request."
            )
        route = spec.index.locate(request.method, request.path)
        if route is None:
            raise NotFound(f"{request.method} {request.path}: no path of {provider}'s spec matches it.")
        if route.operation is None:
            raise NotFound(
                f"{request.method} {request.path}: the spec's path {route.template} has no "
                f"{request.method} operation (only {', '.join(method.upper() for method in route.methods)})."
            )
        operation_name = route.operation
        mismatches = _request_mismatches(spec, request)  # one request: fast enough for the event loop
        if mismatches:
            raise RequestNotInSpec(
                f"{request.method} {request.path} breaks {provider}'s spec: "
                + "; ".join(error.detail for error in mismatches[:5]),
                errors=mismatches,
            )
        # 2. The nearest approved fixture of the same operation.
        vector = embed_request(operation_name, _request_dict(request))
        nearest = self._nearest_fixture(state.by_operation.get(operation_name, ()), vector)
        if nearest is not None:
            return _fixture_answer(nearest[0], "similar-fixture", score=nearest[1])
        # 3. A recorded interaction of the provider with exactly this request.
        recorded = await self._recorded(target.provider_id, request, vector)
        if recorded is not None:
            return recorded
        # 4. What the spec says: its example, else a body generated from the response schema.
        documented = state.documented.get(operation_name)
        if documented is None:
            operation = spec.operation(request.method, route.template)
            if operation is None:  # located above, so the spec has it
                raise NotFound(f"{request.method} {request.path}: no such operation in the spec.")
            documented = documented_answer(spec, operation)
            state.documented[operation_name] = documented
        return documented

    @staticmethod
    def _nearest_fixture(fixtures: Any, vector: list[int]) -> tuple[CachedFixture, float] | None:
        best: tuple[CachedFixture, float] | None = None
        for fixture in fixtures:  # highest priority first: a tie keeps the higher priority
            if fixture.embedding is None:
                continue
            score = round(cosine_similarity(vector, fixture.embedding), 6)
            if best is None or score > best[1]:
                best = (fixture, score)
        return best

    async def _recorded(self, provider_id: UUID, request: MockRequest, vector: list[int]) -> MockAnswer | None:
        """The response of a recorded interaction whose request is this one (method, path, query, body), looked
        up by its vector's key: equal requests have equal vectors, so no scan of the provider's history."""
        wanted = match_key(_request_dict(request))
        rows = await self.mock.recorded_with_vector(provider_id, vector_key(vector_literal(vector)))
        for row in rows:
            if match_key(msgspec.json.decode(row.request)) == wanted:
                return _stored_answer(msgspec.json.decode(row.response), "recorded", fixture=None, score=None)
        return None

    async def _state(self, target: TargetRow, version_id: UUID) -> MockState:
        spec_sha = target.content_sha or ""
        key = (self.tenant, version_id, target.fixture_stamp, spec_sha)
        state = MOCK_STATES.get(key)
        if state is not None:
            return state
        spec: CompiledSpec | None = None
        async with get_engine().transaction():
            rows = await self.mock.approved_fixtures(version_id)
            spec = COMPILED_SPECS.get(spec_sha) if spec_sha else None
            if spec_sha and spec is None:
                content = await self.mock.spec_content(version_id)
                if content is not None:
                    document = msgspec.json.decode(content, type=dict[str, Any])
                    spec = await anyio.to_thread.run_sync(compile_spec, document, spec_sha)
        state = MockState.build(spec, rows)
        MOCK_STATES.put(key, state)
        return state
