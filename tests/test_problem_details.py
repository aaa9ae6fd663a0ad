"""Every error is an RFC 9457 problem with a stable type, and never leaks internals."""

from __future__ import annotations

from typing import Any

import pytest
from litestar.testing import TestClient

from accord.app import create_app
from accord.settings import load_settings
from tests.factories import make_tenant

PROBLEM = "application/problem+json"


def _problem(response: Any, status: int, slug: str) -> dict[str, Any]:
    assert response.status_code == status, response.text
    assert response.headers["content-type"].startswith(PROBLEM)
    body: dict[str, Any] = response.json()
    assert body["type"] == f"urn:accord:problem:{slug}"
    assert body["status"] == status
    assert body["title"]
    return body


def test_body_over_the_limit_is_413() -> None:
    # Its own app (the engine's pool belongs to one running app at a time, so no `client` here).
    app = create_app(load_settings({"ACCORD_MAX_BODY_BYTES": "2048"}))
    with TestClient(app) as small_client:
        tenant = small_client.blocking_portal.call(make_tenant, "limits")
        body = {"name": "x" * 4096, "scopes": ["read"]}
        _problem(small_client.post("/api/keys", json=body, headers=tenant.headers()), 413, "payload-too-large")


def test_wrong_content_type_is_415(client: Any, tenant_a: Any) -> None:
    response = client.post(
        "/api/keys",
        content=b"name: x",
        headers={**tenant_a.headers(), "Content-Type": "application/yaml"},
    )
    body = _problem(response, 415, "unsupported-media-type")
    assert "application/json" in body["detail"]


def test_json_flavoured_media_types_are_accepted(client: Any, tenant_a: Any) -> None:
    response = client.post(
        "/api/keys",
        content=b'{"name": "hal", "scopes": ["read"]}',
        headers={**tenant_a.headers(), "Content-Type": "application/hal+json; charset=utf-8"},
    )
    assert response.status_code == 201


def test_malformed_json_is_400(client: Any, tenant_a: Any) -> None:
    response = client.post(
        "/api/keys", content=b'{"name": ', headers={**tenant_a.headers(), "Content-Type": "application/json"}
    )
    _problem(response, 400, "malformed-body")


def test_wrong_method_is_405(client: Any, tenant_a: Any) -> None:
    _problem(client.put("/api/me", json={}, headers=tenant_a.headers()), 405, "method-not-allowed")


def test_unknown_route_is_404(client: Any) -> None:
    _problem(client.get("/nowhere"), 404, "not-found")


def test_not_found_row_is_404(client: Any, tenant_a: Any) -> None:
    response = client.get("/api/keys/00000000-0000-0000-0000-000000000000", headers=tenant_a.headers())
    _problem(response, 404, "not-found")


def test_malformed_path_parameter_is_a_client_error(client: Any, tenant_a: Any) -> None:
    response = client.get("/api/keys/not-a-uuid", headers=tenant_a.headers())
    assert response.status_code in (400, 404)
    assert response.headers["content-type"].startswith(PROBLEM)


@pytest.fixture
def database_down(monkeypatch: pytest.MonkeyPatch) -> None:
    """Point the engine at a socket where no PostgreSQL listens (the real server keeps running)."""
    from accord.db.engine import get_engine

    nowhere = "postgresql://accord@/accord?host=/nonexistent-socket-dir"
    monkeypatch.setitem(get_engine().config, "dsn", nowhere)
    monkeypatch.setenv("DATABASE_URL", nowhere)  # the pools' URLs are derived from it (accord.db.url)


def test_database_unavailable_is_503_with_retry_after(database_down: None) -> None:
    app = create_app(load_settings())
    with TestClient(app) as down_client:
        response = down_client.get("/api/me", headers={"Authorization": "Bearer acc_whatever_secret"})
        body = _problem(response, 503, "database-unavailable")
        assert response.headers["retry-after"].isdigit()
        assert "nonexistent" not in response.text
        assert "Traceback" not in response.text
        assert body["detail"]

        assert down_client.get("/health").status_code == 200
        ready = down_client.get("/health/ready")
        assert ready.status_code == 503
        assert "database" in ready.json()["failing"]


def _raised_while_handling(cause: BaseException, error: BaseException) -> BaseException:
    try:
        try:
            raise cause
        except BaseException:
            raise error  # noqa: B904 - the implicit context, as a failed rollback has it
    except BaseException as raised:
        return raised


def test_a_connection_failure_anywhere_in_the_chain_is_database_unavailable() -> None:
    import asyncpg

    from accord.http.problems import is_database_unavailable

    # A rollback on a dead connection raises its own error with the real cause as its context.
    lost = asyncpg.ConnectionDoesNotExistError("connection was closed in the middle of operation")
    rollback = asyncpg.InterfaceError("cannot call Transaction.rollback(): the underlying connection is closed")
    assert is_database_unavailable(_raised_while_handling(lost, rollback))
    assert is_database_unavailable(_raised_while_handling(lost, RuntimeError("cleanup failed")))
    assert is_database_unavailable(asyncpg.InternalClientError("cannot switch to state 12; another operation"))
    assert is_database_unavailable(ExceptionGroup("dependencies", [ValueError(), asyncpg.AdminShutdownError()]))
    # A bug raised while handling an unrelated OSError (a missing file) is still a bug.
    assert not is_database_unavailable(_raised_while_handling(FileNotFoundError("x"), KeyError("y")))
    assert not is_database_unavailable(ValueError("no"))
