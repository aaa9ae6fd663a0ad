"""Row-level security: the database keeps tenants apart even from SQL that forgets the tenant filter.

Tenant-owned tables are enumerated from the catalog (a NOT NULL `tenant` column), so a table added later is
covered, or fails here, without anyone editing this file.
"""

from __future__ import annotations

import os
import uuid
from collections.abc import AsyncIterator, Callable
from typing import Any

import asyncpg
import pytest

from accord.db.url import APP_ROLE

_TENANT_TABLES = (
    "SELECT c.relname FROM pg_class c JOIN pg_attribute a ON a.attrelid = c.oid AND a.attname = 'tenant' "
    "AND a.attnotnull AND NOT a.attisdropped WHERE c.relkind IN ('r', 'p') "
    "AND c.relnamespace = 'public'::regnamespace ORDER BY c.relname"
)


async def _owner() -> asyncpg.Connection:
    return await asyncpg.connect(os.environ["DATABASE_URL"])


async def _app() -> asyncpg.Connection:
    from accord.db.url import application_database_url

    return await asyncpg.connect(application_database_url())


async def _tenant_tables(connection: asyncpg.Connection) -> list[str]:
    return [row["relname"] for row in await connection.fetch(_TENANT_TABLES)]


async def _make_tenant(connection: asyncpg.Connection, slug: str) -> uuid.UUID:
    tenant: uuid.UUID = await connection.fetchval(
        "INSERT INTO tenant (id, slug, name) VALUES (gen_random_uuid(), $1, $1) RETURNING id", slug
    )
    return tenant


async def _seed_every_tenant_table(connection: asyncpg.Connection, tenant: uuid.UUID) -> None:
    """One row of `tenant` in each tenant-owned table. Foreign keys and triggers are off for this session
    (replica mode) so that each table gets its row on its own; the other required columns are references."""
    await connection.execute("SET session_replication_role = replica")
    for table in await _tenant_tables(connection):
        required = await connection.fetch(
            "SELECT a.attname, format_type(a.atttypid, NULL) AS type, a.atttypmod FROM pg_attribute a "
            "LEFT JOIN pg_attrdef d ON d.adrelid = a.attrelid AND d.adnum = a.attnum "
            "WHERE a.attrelid = $1::regclass AND a.attnum > 0 AND a.attnotnull AND NOT a.attisdropped "
            "AND a.attname <> 'tenant' AND (d.adbin IS NULL OR pg_get_expr(d.adbin, d.adrelid) LIKE 'NULL%' "
            "OR a.atttypid IN ('varchar'::regtype, 'text'::regtype))",
            table,
        )
        names = ", ".join(['"tenant"', *(f'"{row["attname"]}"' for row in required)])
        values = ", ".join(["$1", *(_some_value(row["type"], row["atttypmod"]) for row in required)])
        await connection.execute(f'INSERT INTO "{table}" ({names}) VALUES ({values})', tenant)
    await connection.execute("RESET session_replication_role")


def _some_value(type_name: str, modifier: int) -> str:
    if type_name == "uuid":
        return "gen_random_uuid()"  # the required columns without a default are references
    if type_name in {"character varying", "text"}:
        return "left(md5(random()::text), 8)"  # unique across both tenants' rows (hashes, tokens, names)
    if type_name == "vector":
        return f"array_fill(0.5::real, ARRAY[{modifier}])::vector"
    raise AssertionError(f"a required {type_name} column: teach _some_value a value for it")


@pytest.fixture
async def two_seeded_tenants() -> AsyncIterator[tuple[uuid.UUID, uuid.UUID]]:
    owner = await _owner()
    try:
        tenant_a = await _make_tenant(owner, "rls-a")
        tenant_b = await _make_tenant(owner, "rls-b")
        await _seed_every_tenant_table(owner, tenant_a)
        await _seed_every_tenant_table(owner, tenant_b)
        yield tenant_a, tenant_b
    finally:
        await owner.close()


@pytest.mark.anyio
async def test_every_tenant_table_has_the_tenant_policy() -> None:
    owner = await _owner()
    try:
        tables = await _tenant_tables(owner)
        unguarded = await owner.fetch(
            "SELECT c.relname FROM pg_class c WHERE c.relname = ANY($1::text[]) AND c.relnamespace = "
            "'public'::regnamespace AND NOT (c.relrowsecurity AND EXISTS (SELECT 1 FROM pg_policy p "
            "WHERE p.polrelid = c.oid AND p.polname = 'tenant_isolation'))",
            tables,
        )
    finally:
        await owner.close()
    assert len(tables) >= 26
    assert [row["relname"] for row in unguarded] == [], "call accord_enable_tenant_rls('<table>') in its migration"


@pytest.mark.anyio
async def test_the_application_role_cannot_bypass_row_security() -> None:
    app = await _app()
    try:
        role = await app.fetchrow("SELECT rolname, rolsuper, rolbypassrls FROM pg_roles WHERE rolname = current_user")
        owned = await app.fetchval(
            "SELECT count(*) FROM pg_class WHERE relowner = (SELECT oid FROM pg_roles WHERE rolname = current_user)"
        )
    finally:
        await app.close()
    assert dict(role) == {"rolname": APP_ROLE, "rolsuper": False, "rolbypassrls": False}
    assert owned == 0


@pytest.mark.anyio
async def test_tenant_a_sees_none_of_tenant_bs_rows_in_any_table(
    two_seeded_tenants: tuple[uuid.UUID, uuid.UUID],
) -> None:
    tenant_a, tenant_b = two_seeded_tenants
    app = await _app()
    try:
        tables = await _tenant_tables(app)
        seen: dict[str, tuple[int, int]] = {}
        async with app.transaction():
            await app.execute("SELECT set_config('accord.tenant', $1, true)", str(tenant_a))
            for table in tables:
                row = await app.fetchrow(
                    f"SELECT count(*) FILTER (WHERE tenant = $1) AS own, count(*) FILTER (WHERE tenant <> $1) "
                    f'AS foreign FROM "{table}"',
                    tenant_a,
                )
                seen[table] = (row["own"], row["foreign"])
            # Nor can it change or write them.
            for table in tables:
                if not await app.fetchval("SELECT has_table_privilege($1, 'UPDATE')", table):
                    continue  # the audit log: the application role cannot write it at all
                status = await app.execute(f'UPDATE "{table}" SET tenant = tenant WHERE tenant = $1', tenant_b)
                assert status == "UPDATE 0", table
            with pytest.raises(asyncpg.InsufficientPrivilegeError, match="row-level security"):
                await app.execute(
                    "INSERT INTO badge_token (id, tenant, token, created_at, updated_at) "
                    "VALUES (gen_random_uuid(), $1, 'forged', now(), now())",
                    tenant_b,
                )
    finally:
        await app.close()
    # Each table holds a row of A's (the audit log one more: the tenant's creation) and none of B's is seen.
    assert {table: (own >= 1, foreign) for table, (own, foreign) in seen.items()} == dict.fromkeys(tables, (True, 0))


@pytest.mark.anyio
async def test_without_the_setting_a_query_sees_nothing(two_seeded_tenants: tuple[uuid.UUID, uuid.UUID]) -> None:
    app = await _app()
    try:
        counts = {table: await app.fetchval(f'SELECT count(*) FROM "{table}"') for table in await _tenant_tables(app)}
    finally:
        await app.close()
    assert set(counts.values()) == {0}


def test_pooled_connections_carry_only_their_users_tenant(run: Callable[..., Any]) -> None:
    """Requests of two tenants and of none take turns on the pool: each query sees its own tenant only."""
    from accord.db.engine import connection
    from accord.db.row_security import _acting_for, act_for

    async def setting_seen(tenant: uuid.UUID | None) -> str:
        if tenant is None:
            _acting_for.set(None)
        else:
            act_for(tenant)
        async with connection() as conn:
            # NULL on a connection that never carried a tenant; '' on one that no longer does.
            value: str | None = await conn.fetchval("SELECT current_setting('accord.tenant', true)")
        return value or ""

    first, second = uuid.uuid4(), uuid.uuid4()
    seen = [run(setting_seen, tenant) for tenant in (first, second, None, first, None)]
    assert seen == [str(first), str(second), "", str(first), ""]


def test_requests_see_only_their_tenants_rows_under_row_security(run: Callable[..., Any], client: Any) -> None:
    """The application, connected as the restricted role, serves each tenant its own keys, turn by turn."""
    from tests.factories import make_tenant

    tenants = [run(make_tenant, "pool-a"), run(make_tenant, "pool-b")]
    seen: dict[str, set[str]] = {}
    for tenant in (*tenants, *tenants):
        response = client.get("/api/keys", headers={"Authorization": f"Bearer {tenant.admin_key}"})
        assert response.status_code == 200
        seen.setdefault(tenant.slug, set()).update(key["id"] for key in response.json()["items"])
    assert [len(ids) for ids in seen.values()] == [3, 3]
    assert not seen["pool-a"] & seen["pool-b"]


def test_migrate_explains_when_the_application_role_escapes_row_security() -> None:
    from tests.test_cli import accord

    restricted = accord("migrate")
    assert restricted.returncode == 0, restricted.stderr
    assert "warning" not in restricted.stderr
    # Without an application URL Accord would connect as DATABASE_URL's role: the owner, a superuser here.
    owner = accord("migrate", env={"ACCORD_APP_DB_USER": "postgres"})
    assert owner.returncode == 0, owner.stderr
    assert "is a superuser" in owner.stderr
    assert "owns" in owner.stderr
    assert "ACCORD_APP_DB_USER" in owner.stderr
