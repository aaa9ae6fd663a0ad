"""Read transactions (can-i-deploy's and the matrix's): one snapshot, no writes, the tenant's rows only, and
generic plans that end with the transaction."""

from __future__ import annotations

import asyncio
import contextvars
from typing import Any

import asyncpg
import pytest

from accord.catalog.repository import ServiceRepository
from accord.catalog.schemas import ServiceCreate
from accord.catalog.service import ServiceCatalog
from accord.db.engine import connection
from accord.db.planning import generically_planned_reads
from accord.db.row_security import act_for
from accord.tenant_ids import TenantId


async def _plan_cache_mode() -> str:
    async with connection() as conn:
        mode: str = await conn.fetchval("SHOW plan_cache_mode")
    return mode


def test_a_read_transaction_sees_one_snapshot(client: Any, run: Any, tenant_a: Any) -> None:
    async def read_around_a_commit() -> tuple[Any, Any, Any]:
        services = ServiceRepository(tenant_a.id)
        async with generically_planned_reads():
            first = await services.get_by_name("late")
            await _commit_elsewhere(tenant_a.id)
            during = await services.get_by_name("late")
        return first, during, await services.get_by_name("late")

    first, during, after = run(read_around_a_commit)
    assert first is None
    assert during is None  # committed meanwhile, but not in this transaction's snapshot
    assert after is not None


async def _commit_elsewhere(tenant: TenantId) -> None:
    # A fresh context: outside the read transaction, as another request would be.
    create = ServiceCatalog(tenant).create_service(ServiceCreate(name="late"))
    await asyncio.get_running_loop().create_task(create, context=contextvars.Context())


def test_a_read_transaction_refuses_writes(client: Any, run: Any, tenant_a: Any) -> None:
    async def write_inside() -> None:
        async with generically_planned_reads():
            await ServiceCatalog(tenant_a.id).create_service(ServiceCreate(name="nope"))

    with pytest.raises(asyncpg.ReadOnlySQLTransactionError):
        run(write_inside)
    assert client.get("/api/services/nope", headers=tenant_a.headers()).status_code == 404


def test_generic_plans_end_with_the_transaction(client: Any, run: Any, tenant_a: Any) -> None:
    async def modes() -> tuple[str, str]:
        act_for(tenant_a.id)
        async with generically_planned_reads():
            inside = await _plan_cache_mode()
        return inside, await _plan_cache_mode()

    inside, after = run(modes)
    assert inside == "force_generic_plan"
    assert after == "auto"


def test_a_read_transaction_acts_for_its_tenant_only(client: Any, run: Any, tenant_a: Any, tenant_b: Any) -> None:
    client.post("/api/services", json={"name": "mine"}, headers=tenant_b.headers())

    async def look_for_b_service_as_a() -> bool:
        act_for(tenant_b.id)  # the connection last acted for b: the transaction must switch it to a
        async with connection() as conn:
            await conn.fetchval("SELECT 1")
        act_for(tenant_a.id)
        async with generically_planned_reads(), connection() as conn:
            found: bool = await conn.fetchval("SELECT EXISTS (SELECT 1 FROM service WHERE name = 'mine')")
        return found

    assert run(look_for_b_service_as_a) is False
