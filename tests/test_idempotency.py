"""Idempotency-Key on the native API's POSTs: retries replay the first response, a reused key with another
body is a 422 problem, concurrent duplicates record once, keys expire."""

from __future__ import annotations

import asyncio
import os
from typing import Any

import asyncpg
import httpx

from tests.conftest import LiveServer

PROBLEM = "urn:accord:problem:"


def interaction(path: str = "/orders/1") -> dict[str, Any]:
    return {
        "consumer": "web",
        "consumer_version": "1.0.0",
        "provider": "orders",
        "request": {"method": "GET", "path": path},
        "response": {"status": 200, "body": {"path": path}},
    }


def deployment(version: str) -> dict[str, Any]:
    return {"service": "web", "version": version, "environment": "prod"}


async def _count(table: str, tenant: Any) -> int:
    connection = await asyncpg.connect(os.environ["DATABASE_URL"])
    try:
        return int(await connection.fetchval(f"SELECT count(*) FROM {table} WHERE tenant = $1", tenant.id))
    finally:
        await connection.close()


def with_key(tenant: Any, key: str) -> dict[str, str]:
    return {**tenant.headers(), "Idempotency-Key": key}


class TestRetries:
    def test_a_retry_gets_the_first_response_and_records_nothing_more(
        self, client: Any, run: Any, tenant_a: Any
    ) -> None:
        first = client.post("/api/deployments", json=deployment("1"), headers=with_key(tenant_a, "deploy-1"))
        assert first.status_code == 201, first.text
        # Without the key the same request would answer 200 ("already runs there"); with it, the stored 201.
        retry = client.post("/api/deployments", json=deployment("1"), headers=with_key(tenant_a, "deploy-1"))
        assert retry.status_code == 201
        assert retry.json() == first.json()
        assert retry.headers["content-type"] == first.headers["content-type"]
        assert retry.headers["idempotent-replayed"] == "true"
        assert "idempotent-replayed" not in first.headers
        assert run(_count, "deployment", tenant_a) == 1

    def test_the_same_key_with_another_body_is_a_422_problem(self, client: Any, run: Any, tenant_a: Any) -> None:
        assert client.post("/api/deployments", json=deployment("1"), headers=with_key(tenant_a, "k")).status_code == 201
        reused = client.post("/api/deployments", json=deployment("2"), headers=with_key(tenant_a, "k"))
        assert reused.status_code == 422
        assert reused.headers["content-type"].startswith("application/problem+json")
        assert reused.json()["type"] == PROBLEM + "idempotency-key-reused"
        assert run(_count, "deployment", tenant_a) == 1

    def test_an_error_response_is_replayed_too(self, client: Any, tenant_a: Any) -> None:
        invalid = {"service": "web"}
        first = client.post("/api/deployments", json=invalid, headers=with_key(tenant_a, "bad"))
        assert first.status_code == 422
        retry = client.post("/api/deployments", json=invalid, headers=with_key(tenant_a, "bad"))
        assert (retry.status_code, retry.json()) == (422, first.json())
        assert retry.headers["idempotent-replayed"] == "true"

    def test_without_a_key_nothing_changes_and_a_bad_key_is_refused(self, client: Any, tenant_a: Any) -> None:
        assert client.post("/api/interactions", json=interaction(), headers=tenant_a.headers()).status_code == 201
        assert client.post("/api/interactions", json=interaction(), headers=tenant_a.headers()).status_code == 200
        refused = client.post("/api/interactions", json=interaction(), headers=with_key(tenant_a, "x" * 256))
        assert refused.status_code == 422
        assert refused.json()["errors"][0]["parameter"] == "header.Idempotency-Key"

    def test_keys_belong_to_their_tenant(self, client: Any, run: Any, tenant_a: Any, tenant_b: Any) -> None:
        for tenant in (tenant_a, tenant_b):
            created = client.post("/api/deployments", json=deployment("1"), headers=with_key(tenant, "same"))
            assert created.status_code == 201
            assert "idempotent-replayed" not in created.headers
        other_body = client.post("/api/deployments", json=deployment("2"), headers=with_key(tenant_b, "fresh"))
        assert other_body.status_code == 201
        assert run(_count, "deployment", tenant_a) == 1


class TestConcurrentDuplicates:
    def test_concurrent_duplicates_record_once_and_all_get_the_first_response(
        self, live_server: LiveServer, live_tenant: Any
    ) -> None:
        from tests.conftest import run_async

        async def send_all() -> list[httpx.Response]:
            async with httpx.AsyncClient(base_url=live_server.base_url, timeout=30) as client:
                headers = with_key(live_tenant, "ci-run-42")
                return list(
                    await asyncio.gather(
                        *(client.post("/api/deployments", json=deployment("7"), headers=headers) for _ in range(8))
                    )
                )

        responses = run_async(send_all)

        assert {response.status_code for response in responses} == {201}
        assert len({response.json()["id"] for response in responses}) == 1
        assert sum("idempotent-replayed" not in response.headers for response in responses) == 1
        assert run_async(_count, "deployment", live_tenant) == 1


class TestExpiry:
    def test_an_expired_key_runs_again_and_the_clean_removes_expired_keys(
        self, client: Any, run: Any, tenant_a: Any
    ) -> None:
        from accord.retention.schemas import KeepRules
        from accord.retention.service import RetentionService

        assert (
            client.post("/api/deployments", json=deployment("1"), headers=with_key(tenant_a, "old")).status_code == 201
        )
        assert (
            client.post("/api/deployments", json=deployment("1"), headers=with_key(tenant_a, "new")).status_code == 200
        )

        async def expire(key: str) -> None:
            connection = await asyncpg.connect(os.environ["DATABASE_URL"])
            try:
                await connection.execute(
                    "UPDATE idempotency_key SET created_at = now() - interval '2 days' WHERE key = $1", key
                )
            finally:
                await connection.close()

        run(expire, "old")
        again = client.post("/api/deployments", json=deployment("2"), headers=with_key(tenant_a, "old"))
        assert again.status_code == 201  # a new request under the expired key, not a 422
        run(expire, "new")

        report = run(RetentionService(KeepRules(idempotency_key_hours=24)).clean, False)

        assert report.tenants[0].removed.idempotency_keys == 1
        assert run(_count, "idempotency_key", tenant_a) == 1
