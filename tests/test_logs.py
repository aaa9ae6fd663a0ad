"""Structured logs (issue 14): JSON lines from a real `accord serve`, each written during a request naming its
request id, tenant and key, never a credential; X-Request-ID on every response."""

from __future__ import annotations

import io
import json
import logging
import time
from collections.abc import Iterator
from typing import Any

import httpx
import pytest

from accord.observability.log_context import RequestContextFilter, log_principal
from accord.observability.log_format import JsonFormatter
from tests.conftest import LiveServer, run_async, running_server
from tests.factories import make_tenant


@pytest.fixture(scope="module")
def json_server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[LiveServer]:
    """JSON logs, the access log on, and every statement reported as slow: plenty of lines during requests."""
    with running_server(
        tmp_path_factory.mktemp("json-logs") / "server.log",
        log_level="info",
        ACCORD_LOG_FORMAT="json",
        ACCORD_ACCESS_LOG="true",
        ACCORD_SLOW_QUERY_MS="0.001",
    ) as server:
        yield server


def log_lines(server: LiveServer) -> list[dict[str, Any]]:
    """The server's log records (its start banner, printed before logging starts, is not one)."""
    time.sleep(0.3)  # Litestar's handler writes from a queue
    text = server.log.read_text()
    banner_end = text.index("    admin ")
    return [json.loads(line) for line in text[banner_end:].splitlines()[1:] if line.strip()]


def test_every_line_during_a_request_names_the_request_tenant_and_key(json_server: LiveServer) -> None:
    tenant = run_async(make_tenant, "logged")
    response = httpx.get(
        f"{json_server.base_url}/api/services/private-name",
        headers={**tenant.headers(), "X-Request-ID": "ci-run-42.step-7"},
        timeout=10,
    )
    assert response.status_code == 404
    assert response.headers["x-request-id"] == "ci-run-42.step-7"

    records = log_lines(json_server)  # every line parses as one JSON object
    mine = [record for record in records if record.get("request_id") == "ci-run-42.step-7"]
    loggers = {record["logger"] for record in mine}
    assert "uvicorn.access" in loggers, records[-5:]
    assert "accord.db.slow_queries" in loggers, records[-5:]
    me = httpx.get(f"{json_server.base_url}/api/me", headers=tenant.headers(), timeout=10).json()
    # Finding the key's tenant (the key store) is the one thing that happens before the tenant is known.
    after_authentication = [record for record in mine if "tenancy.key_store" not in record["message"]]
    assert {record["logger"] for record in after_authentication} == loggers
    for record in after_authentication:
        assert record.get("tenant") == "logged", record
        assert record.get("key_id") == me["key"]["id"], record
    for record in mine:
        assert {"time", "level", "logger", "message"} <= record.keys()
    text = json_server.log.read_text()
    assert tenant.admin_key not in text
    assert tenant.admin_key.split("_", 2)[2][:12] not in text  # not even part of the secret


def test_hostile_paths_and_query_credentials_stay_inside_one_redacted_record(json_server: LiveServer) -> None:
    secret = "acc_abcdefgh_" + "s3cr3t" * 6
    httpx.get(f"{json_server.base_url}/health?token={secret}", timeout=5)
    httpx.get(f"{json_server.base_url}/api/services/x%00%0AERROR%20-%20FORGED", timeout=5)
    records = log_lines(json_server)  # each line parses: no request started a line of its own
    assert "s3cr3t" not in json_server.log.read_text()
    assert any("[redacted]" in record["message"] for record in records)
    assert any("FORGED" in record["message"] for record in records)


def test_a_request_without_an_id_gets_one_and_its_lines_carry_it(json_server: LiveServer) -> None:
    response = httpx.get(f"{json_server.base_url}/api/me", timeout=10)  # no key: 401, before any tenant
    request_id = response.headers["x-request-id"]
    assert len(request_id) == 32
    access = [record for record in log_lines(json_server) if record.get("request_id") == request_id]
    assert [record["logger"] for record in access] == ["uvicorn.access"]
    assert "tenant" not in access[0]
    assert "key_id" not in access[0]


def test_an_unacceptable_request_id_is_replaced(json_server: LiveServer) -> None:
    for offered in ("has spaces", "x" * 201, "semi;colon"):
        response = httpx.get(f"{json_server.base_url}/health", headers={"X-Request-ID": offered}, timeout=10)
        assert response.headers["x-request-id"] != offered
        assert len(response.headers["x-request-id"]) == 32


def test_an_unknown_path_still_answers_with_a_request_id(client: Any) -> None:
    response = client.get("/no/such/route", headers={"X-Request-ID": "abc-123"})
    assert response.status_code == 404
    assert response.headers["x-request-id"] == "abc-123"


def test_the_json_formatter_writes_one_object_per_line_with_the_context() -> None:
    stream = io.StringIO()
    handler = logging.StreamHandler(stream)
    handler.addFilter(RequestContextFilter())
    handler.setFormatter(JsonFormatter())
    logger = logging.getLogger("tests.logs")
    logger.addHandler(handler)
    try:
        log_principal("req-1", "acme", "key-9")
        logger.warning("a message\nwith a newline %s", "and args")
        try:
            raise ValueError("boom")
        except ValueError:
            logger.exception("failed")
    finally:
        log_principal("", "", "")
        logger.removeHandler(handler)
    lines = stream.getvalue().splitlines()
    assert len(lines) == 2
    first, second = (json.loads(line) for line in lines)
    assert first["message"] == "a message\nwith a newline and args"
    assert (first["level"], first["request_id"], first["tenant"], first["key_id"]) == (
        "warning",
        "req-1",
        "acme",
        "key-9",
    )
    assert "ValueError: boom" in second["exception"]


def test_text_logs_stay_available(tmp_path: Any) -> None:
    with running_server(tmp_path / "server.log", log_level="info", ACCORD_LOG_FORMAT="text") as server:
        httpx.get(f"{server.base_url}/health", timeout=5)
        time.sleep(0.3)
        text = server.log.read_text()
    assert "INFO" in text
    assert '{"time"' not in text
