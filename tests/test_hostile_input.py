"""Hostile input gets a clear 4xx problem, quickly, with nothing written, and the server stays up (issue 13)."""

from __future__ import annotations

import base64
import io
import logging
import socket
import time
from collections.abc import Iterator
from typing import Any

import httpx
import pytest

from accord.http.log_safety import EscapeControlCharacters
from tests.conftest import LiveServer, running_server

PROBLEM = "application/problem+json"
FIXTURE: dict[str, Any] = {
    "provider": "orders",
    "operation": "getOrder",
    "request": {"method": "GET", "path": "/orders/1"},
    "response": {"status": 200, "body": {"id": 1}},
}


def _problem(response: Any, status: int, slug: str) -> dict[str, Any]:
    assert response.status_code == status, response.text
    assert response.headers["content-type"].startswith(PROBLEM)
    body: dict[str, Any] = response.json()
    assert body["type"] == f"urn:accord:problem:{slug}"
    return body


def _json(tenant: Any) -> dict[str, str]:
    return {**tenant.headers(), "Content-Type": "application/json"}


def _cursor(raw: bytes) -> str:
    return base64.urlsafe_b64encode(raw).decode().rstrip("=")


def _service_names(client: Any, tenant: Any) -> list[str]:
    return [item["name"] for item in client.get("/api/services", headers=tenant.headers()).json()["items"]]


class TestJsonBodies:
    def test_invalid_utf8_is_a_malformed_body(self, client: Any, tenant_a: Any) -> None:
        response = client.post("/api/services", content=b'{"name":"m\xff"}', headers=_json(tenant_a))
        _problem(response, 400, "malformed-body")
        assert _service_names(client, tenant_a) == []

    @pytest.mark.parametrize(
        ("method", "path"),
        [
            ("POST", "/api/services"),
            ("POST", "/api/interactions/batch"),
            ("POST", "/contracts/publish"),
            ("PUT", "/pacts/provider/orders/consumer/web/version/1"),
        ],
    )
    def test_nesting_past_the_decoder_limit_is_a_malformed_body(
        self, client: Any, tenant_a: Any, method: str, path: str
    ) -> None:
        body = b'{"name":' + b"[" * 5000 + b"]" * 5000 + b"}"
        response = client.request(method, path, content=body, headers={**_json(tenant_a), "Accept": PROBLEM})
        _problem(response, 400, "malformed-body")

    def test_a_published_pact_nested_past_the_decoder_limit_is_refused(self, client: Any, tenant_a: Any) -> None:
        pact = b'{"consumer": {"name": "web"}, "provider": {"name": "orders"}, "x": ' + b"[" * 5000 + b"]" * 5000 + b"}"
        contract = {
            "consumerName": "web",
            "providerName": "orders",
            "specification": "pact",
            "contentType": "application/json",
            "content": base64.b64encode(pact).decode(),
        }
        body = {"pacticipantName": "web", "pacticipantVersionNumber": "1", "contracts": [contract]}
        response = client.post("/contracts/publish", json=body, headers=tenant_a.headers())
        assert response.status_code in (400, 422), response.text
        assert _service_names(client, tenant_a) == []

    @pytest.mark.parametrize(
        ("path", "body"),
        [
            ("/api/services", {"name": "orders", "description": "a\u0000b"}),
            ("/api/keys", {"name": "ci\u0000", "scopes": ["read"]}),
            ("/api/fixtures", {**FIXTURE, "notes": "\u0000"}),
        ],
    )
    def test_nul_in_any_field_is_422_with_its_pointer(
        self, client: Any, tenant_a: Any, path: str, body: dict[str, Any]
    ) -> None:
        problem = _problem(client.post(path, json=body, headers=tenant_a.headers()), 422, "validation-failed")
        assert problem["errors"][0]["pointer"].startswith("/")
        assert _service_names(client, tenant_a) == []

    def test_a_batch_reports_nul_on_its_item_and_stores_the_others(self, client: Any, tenant_a: Any) -> None:
        items = [{**FIXTURE, "notes": "a\u0000"}, {**FIXTURE, "response": {"status": 200, "body": {"x": "\u0000"}}}]
        response = client.post("/api/fixtures/batch", json={"items": [*items, FIXTURE]}, headers=tenant_a.headers())
        assert response.status_code == 200, response.text
        statuses = [(item["status"], item.get("error", {}).get("pointer")) for item in response.json()["items"]]
        assert statuses == [("error", "/items/0/notes"), ("error", "/items/1/response/body/x"), ("created", None)]

    def test_an_escaped_backslash_before_u0000_is_plain_text(self, client: Any, tenant_a: Any) -> None:
        body = b'{"name": "orders", "description": "C string end: \\\\u0000"}'
        response = client.post("/api/services", content=body, headers=_json(tenant_a))
        assert response.status_code == 201, response.text
        assert response.json()["description"] == "C string end: \\u0000"

    def test_charsets_other_than_utf8_are_415(self, client: Any, tenant_a: Any) -> None:
        headers = {**tenant_a.headers(), "Content-Type": "application/json; charset=utf-16"}
        response = client.post("/api/services", content='{"name": "u"}'.encode("utf-16"), headers=headers)
        _problem(response, 415, "unsupported-media-type")
        headers["Content-Type"] = 'application/json; charset="UTF-8"'
        assert client.post("/api/services", content=b'{"name": "u"}', headers=headers).status_code == 201


class TestUrlInput:
    @pytest.mark.parametrize(
        "url",
        [
            "/api/services/a%00b",
            "/api/services?prefix=%00",
            "/api/interactions?operation=%00",
            "/pacticipants?q=%00",
            "/api/can-i-deploy?service=%00&version=1&environment=prod",
            "/matrix?q[][pacticipant]=%00&q[][version]=1",
            "/api/services/orders/versions?branch=%00",
        ],
    )
    def test_nul_in_path_or_query_is_422(self, client: Any, tenant_a: Any, url: str) -> None:
        response = client.get(url, headers={**tenant_a.headers(), "Accept": PROBLEM})
        _problem(response, 422, "validation-failed")

    @pytest.mark.parametrize(
        ("url", "raw"),
        [
            ("/api/services", b"[" * 1000 + b"]" * 1000),  # nesting
            ("/api/services", b'["\\u0000"]'),  # NUL for PostgreSQL
            ("/api/services/orders/versions", b"[9223372036854775808]"),  # past bigint
            ("/pacticipants/orders/versions", b"[99999999999999999999999]"),
            ("/api/services", b'["' + b"a" * 600 + b'"]'),  # longer than any real cursor
        ],
    )
    def test_forged_cursors_are_422(self, client: Any, tenant_a: Any, url: str, raw: bytes) -> None:
        client.post("/api/services", json={"name": "orders"}, headers=tenant_a.headers())
        response = client.get(f"{url}?cursor={_cursor(raw)}", headers={**tenant_a.headers(), "Accept": PROBLEM})
        body = _problem(response, 422, "validation-failed")
        assert body["errors"][0]["parameter"] == "cursor"


class TestNames:
    @pytest.mark.parametrize("name", ["pay\u202eyap", "pay\u200bments", "\ufeffbilling", "a\u2066b", ".", ".."])
    def test_invisible_characters_and_dot_segments_are_refused_in_service_names(
        self, client: Any, tenant_a: Any, name: str
    ) -> None:
        _problem(
            client.post("/api/services", json={"name": name}, headers=tenant_a.headers()), 422, "validation-failed"
        )
        assert _service_names(client, tenant_a) == []

    @pytest.mark.parametrize("number", [".", ".."])
    def test_dot_segments_are_refused_as_versions_natively_and_through_pact(
        self, client: Any, tenant_a: Any, number: str
    ) -> None:
        client.post("/api/services", json={"name": "orders"}, headers=tenant_a.headers())
        native = client.post("/api/services/orders/versions", json={"number": number}, headers=tenant_a.headers())
        _problem(native, 422, "validation-failed")
        pact = client.put(
            f"/pacticipants/orders/versions/{number.replace('.', '%2E')}", json={}, headers=tenant_a.headers()
        )
        assert pact.status_code in (404, 400), pact.text  # 400: the Pact Broker's status for invalid input
        versions = client.get("/api/services/orders/versions", headers=tenant_a.headers()).json()["items"]
        assert versions == []

    def test_pact_pacticipant_names_follow_the_same_rule(self, client: Any, tenant_a: Any) -> None:
        response = client.post("/pacticipants", json={"name": "a\u202eb"}, headers=tenant_a.headers())
        assert response.status_code == 400, response.text  # the Pact Broker's status for invalid input
        assert _service_names(client, tenant_a) == []


class TestYamlSpecs:
    def _upload(self, client: Any, tenant: Any, text: str) -> Any:
        headers = {**tenant.headers(), "Content-Type": "application/yaml"}
        return client.post("/api/services/orders/versions/1/spec", content=text.encode(), headers=headers)

    def test_deep_nesting_is_refused_before_parsing_it_all(self, client: Any, tenant_a: Any) -> None:
        depth = 20_000
        text = 'openapi: 3.0.0\ninfo: {title: t, version: "1"}\npaths: {}\nx-deep: ' + "[" * depth + "]" * depth
        started = time.monotonic()
        _problem(self._upload(client, tenant_a, text), 422, "validation-failed")
        assert time.monotonic() - started < 0.5

    def test_a_huge_integer_is_422(self, client: Any, tenant_a: Any) -> None:
        text = "openapi: 3.0.0\ninfo: {title: t, version: '1'}\npaths: {}\nx-big: " + "1" * 10_001 + "\n"
        _problem(self._upload(client, tenant_a, text), 422, "validation-failed")


def test_log_messages_escape_control_characters() -> None:
    stream = io.StringIO()
    handler = logging.StreamHandler(stream)
    handler.addFilter(EscapeControlCharacters())
    logger = logging.getLogger("tests.hostile_input")
    logger.addHandler(handler)
    try:
        logger.error("unhandled error on %s %s", "GET", "/api/services/x\x00\nERROR - FORGED")
    finally:
        logger.removeHandler(handler)
    assert stream.getvalue() == "unhandled error on GET /api/services/x\\x00\\nERROR - FORGED\n"


@pytest.fixture(scope="module")
def chatty_server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[LiveServer]:
    """A real `accord serve` (uvloop + httptools) with its access log on, in text lines (tests/test_logs.py checks
    the same of JSON lines)."""
    with running_server(
        tmp_path_factory.mktemp("hostile") / "server.log",
        log_level="info",
        ACCORD_ACCESS_LOG="true",
        ACCORD_LOG_FORMAT="text",
    ) as server:
        yield server


class TestLiveServer:
    def test_a_deeply_nested_yaml_spec_does_not_crash_the_server(self, chatty_server: LiveServer) -> None:
        import asyncio

        from tests.factories import make_tenant

        tenant = asyncio.run(make_tenant("deep-yaml"))
        depth = 50_000
        text = 'openapi: 3.0.0\ninfo: {title: t, version: "1"}\npaths: {}\nx-deep: ' + "[" * depth + "]" * depth
        response = httpx.post(
            f"{chatty_server.base_url}/api/services/S/versions/V/spec",
            content=text.encode(),
            headers={**tenant.headers(), "Content-Type": "application/yaml"},
            timeout=10,
        )
        assert response.status_code == 422, response.text
        assert chatty_server.process.poll() is None
        assert httpx.get(f"{chatty_server.base_url}/health", timeout=5).status_code == 200

    def test_a_huge_request_head_is_431(self, chatty_server: LiveServer) -> None:
        response = httpx.get(f"{chatty_server.base_url}/health", headers={"X-Big": "a" * 1_000_000}, timeout=10)
        assert response.status_code == 431
        assert response.json()["status"] == 431
        assert httpx.get(f"{chatty_server.base_url}/health", headers={"X-Ok": "a" * 4000}, timeout=5).status_code == 200

    def test_the_access_log_never_holds_a_key_or_a_forged_line(self, chatty_server: LiveServer) -> None:
        secret = "acc_abcdefgh_" + "s3cr3t" * 6
        for query in (f"token={secret}", "api_key=plain-secret", "access_token=plain-secret", f"x={secret}"):
            httpx.get(f"{chatty_server.base_url}/health?{query}", timeout=5)
        httpx.get(f"{chatty_server.base_url}/api/services/x%00%0AERROR%20-%20FORGED", timeout=5)
        # The raw request line, as an attacker's own client would send it.
        with socket.create_connection(("127.0.0.1", int(chatty_server.base_url.rsplit(":", 1)[1]))) as sock:
            sock.sendall(b"GET /health?key=raw-secret HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n")
            sock.recv(4096)
        time.sleep(0.3)
        log = chatty_server.log.read_text()
        for secret_text in ("s3cr3t", "plain-secret", "raw-secret"):
            assert secret_text not in log
        assert "[redacted]" in log
        assert not [line for line in log.splitlines() if "FORGED" in line and not line.startswith("INFO")]
