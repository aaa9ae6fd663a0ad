from piccolo.apps.migrations.auto.migration_manager import MigrationManager
from piccolo.engine import engine_finder

ID = "2026-12-05T16:14:30:000000"
VERSION = "1.38.0"
DESCRIPTION = "dashboard accounts: one membership per user and tenant, one badge token per tenant, lookups"

# Piccolo declares single-column uniqueness only. These make the races the services rely on impossible
# (two invitations accepted at once, two badge tokens rotated at once) and index the hot lookups.
FORWARDS = [
    "CREATE UNIQUE INDEX membership_tenant_user ON membership (tenant, \"user\")",
    "CREATE INDEX membership_user ON membership (\"user\")",
    "CREATE UNIQUE INDEX badge_token_tenant ON badge_token (tenant)",
    "CREATE INDEX web_session_expires_at ON web_session (expires_at)",
]
BACKWARDS = [
    "DROP INDEX IF EXISTS web_session_expires_at",
    "DROP INDEX IF EXISTS badge_token_tenant",
    "DROP INDEX IF EXISTS membership_user",
    "DROP INDEX IF EXISTS membership_tenant_user",
]


async def _run(statements: list[str]) -> None:
    engine = engine_finder()
    assert engine is not None
    for statement in statements:
        await engine.run_ddl(statement)


async def forwards() -> MigrationManager:
    manager = MigrationManager(migration_id=ID, app_name="accord", description=DESCRIPTION)

    async def run_forwards() -> None:
        await _run(FORWARDS)

    async def run_backwards() -> None:
        await _run(BACKWARDS)

    manager.add_raw(run_forwards)
    manager.add_raw_backwards(run_backwards)
    return manager
