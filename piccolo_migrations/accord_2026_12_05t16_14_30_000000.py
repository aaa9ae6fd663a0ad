from piccolo.apps.migrations.auto.migration_manager import MigrationManager

from accord.db.raw_migrations import raw_sql_migration

ID = "2026-12-05T16:14:30:000000"
VERSION = "1.38.0"
DESCRIPTION = "dashboard accounts: one membership per user and tenant, one badge token per tenant, lookups"

# Piccolo declares single-column uniqueness only. These make the races the services rely on impossible
# (two invitations accepted at once, two badge tokens rotated at once) and index the hot lookups.
FORWARDS = [
    'CREATE UNIQUE INDEX membership_tenant_user ON membership (tenant, "user")',
    'CREATE INDEX membership_user ON membership ("user")',
    "CREATE UNIQUE INDEX badge_token_tenant ON badge_token (tenant)",
    "CREATE INDEX web_session_expires_at ON web_session (expires_at)",
]
BACKWARDS = [
    "DROP INDEX IF EXISTS web_session_expires_at",
    "DROP INDEX IF EXISTS badge_token_tenant",
    "DROP INDEX IF EXISTS membership_user",
    "DROP INDEX IF EXISTS membership_tenant_user",
]


async def forwards() -> MigrationManager:
    return raw_sql_migration(ID, DESCRIPTION, FORWARDS, BACKWARDS)
