"""The environment an interaction was recorded in exists as an environment, like every name an upload
mentions: created on first mention, race-free, set-based with the batch."""

from __future__ import annotations

import asyncio
from typing import Any

import httpx

from accord.composition import interaction_service
from accord.db.repository import TenantRepository
from tests.conftest import LiveServer
from tests.test_interactions import count_rows, make_item


def environment_names(client: Any, tenant: Any) -> list[str]:
    items = client.get("/api/environments", params={"limit": 100}, headers=tenant.headers()).json()["items"]
    return [item["name"] for item in items]


def test_a_recorded_interaction_creates_its_environment(client: Any, tenant_a: Any, tenant_b: Any) -> None:
    single = client.post("/api/interactions", json=make_item(environment="ci"), headers=tenant_a.headers())
    assert single.status_code == 201, single.text
    batch = client.post(
        "/api/interactions/batch",
        json={"items": [make_item(path="/orders/2", environment="qa"), make_item(path="/orders/3")]},
        headers=tenant_a.headers(),
    )
    assert batch.json()["errors"] == 0, batch.text

    ci = client.get("/api/environments/ci", headers=tenant_a.headers())
    assert ci.status_code == 200
    assert ci.json()["production"] is False
    assert environment_names(client, tenant_a) == ["ci", "qa"]
    # It stays the interaction's own label too.
    listed = client.get("/api/interactions", params={"environment": "ci"}, headers=tenant_a.headers()).json()
    assert [item["environment"] for item in listed["items"]] == ["ci"]
    assert client.get("/api/environments/ci", headers=tenant_b.headers()).status_code == 404


def test_a_published_contract_creates_the_environments_of_its_interactions(client: Any, tenant_a: Any) -> None:
    interaction = {k: v for k, v in make_item(environment="staging").items() if k in ("request", "response")}
    body = {
        "consumer": "web",
        "consumer_version": "1",
        "provider": "orders",
        "interactions": [{**interaction, "environment": "staging"}],
    }
    response = client.post("/api/contracts", json=body, headers=tenant_a.headers())
    assert response.status_code in (200, 201), response.text
    assert environment_names(client, tenant_a) == ["staging"]


def test_an_environment_name_no_environment_could_have_is_refused(client: Any, tenant_a: Any) -> None:
    response = client.post(
        "/api/interactions/batch", json={"items": [make_item(environment="eu/prod")]}, headers=tenant_a.headers()
    )
    assert response.json()["errors"] == 1
    assert environment_names(client, tenant_a) == []


def test_statements_do_not_grow_with_the_environments(run: Any, tenant_a: Any, monkeypatch: Any) -> None:
    statements: list[str] = []
    fetch, execute = TenantRepository.fetch_records, TenantRepository.execute

    async def counting_fetch(self: Any, sql: str, *args: Any) -> Any:
        statements.append(sql)
        return await fetch(self, sql, *args)

    async def counting_execute(self: Any, sql: str, *args: Any) -> Any:
        statements.append(sql)
        return await execute(self, sql, *args)

    monkeypatch.setattr(TenantRepository, "fetch_records", counting_fetch)
    monkeypatch.setattr(TenantRepository, "execute", counting_execute)
    service = interaction_service(tenant_a.id)

    def statements_for(size: int, tag: str) -> int:
        items = [make_item(path=f"/{tag}/{n}", environment=f"{tag}-{n}") for n in range(size)]
        statements.clear()
        result = run(service.record_batch, items)
        assert result.recorded == size
        return len(statements)

    # The first batch also creates the services and the version: both compared batches find them.
    statements_for(1, "first")
    assert statements_for(2, "small") == statements_for(200, "large")
    assert run(count_rows, "environment") == 203


async def _record_concurrently(server: LiveServer, key: str, batches: list[list[dict[str, Any]]]) -> list[Any]:
    headers = {"Authorization": f"Bearer {key}"}
    async with httpx.AsyncClient(base_url=server.base_url, headers=headers, timeout=30) as client:
        return list(
            await asyncio.gather(*(client.post("/api/interactions/batch", json={"items": items}) for items in batches))
        )


def test_concurrent_batches_mentioning_a_new_environment_create_it_once(
    live_server: LiveServer, live_tenant: Any
) -> None:
    # Each batch names the shared new environments in its own order, beside one of its own.
    batches = [
        [
            make_item(consumer=f"c{n}", path=f"/{n}/{env}", environment=env)
            for env in (["ci", "qa", f"own-{n}"] if n % 2 else [f"own-{n}", "qa", "ci"])
        ]
        for n in range(8)
    ]
    responses = asyncio.run(_record_concurrently(live_server, live_tenant.admin_key, batches))
    for response in responses:
        assert response.status_code == 200, response.text
        assert response.json()["recorded"] == 3, response.text
    listed = httpx.get(
        f"{live_server.base_url}/api/environments", params={"limit": 100}, headers=live_tenant.headers()
    ).json()["items"]
    assert sorted(item["name"] for item in listed) == sorted(["ci", "qa", *(f"own-{n}" for n in range(8))])
