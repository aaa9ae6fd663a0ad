from piccolo.apps.migrations.auto.migration_manager import MigrationManager

from accord.db.raw_migrations import raw_sql_migration

ID = "2026-11-22T00:46:00:000000"
VERSION = "1.38.0"
DESCRIPTION = "contract domain: lookup indexes and one-current-deployment rules"

# Piccolo's column options can't express composite, partial or covering indexes; every lookup the
# services make gets one here. Names say what they serve. Every tenant-owned table has an index led by
# `tenant` (here or in its unique constraints), which also serves deleting a tenant.
FORWARDS = [
    # Latest version of a service, branch heads, versions by tag.
    "CREATE INDEX IF NOT EXISTS service_version_latest ON service_version (tenant, service, position DESC)",
    "CREATE INDEX IF NOT EXISTS branch_version_head ON branch_version (tenant, branch, position DESC)",
    "CREATE INDEX IF NOT EXISTS branch_version_by_version ON branch_version (version)",
    "CREATE INDEX IF NOT EXISTS tag_by_name ON tag (tenant, name)",
    # Interactions: filters of the list endpoint, and a consumer version's contract per provider.
    "CREATE INDEX IF NOT EXISTS interaction_by_pair_version "
    "ON interaction (tenant, consumer_version, provider, content_hash)",
    "CREATE INDEX IF NOT EXISTS interaction_by_provider_operation ON interaction (tenant, provider, operation)",
    "CREATE INDEX IF NOT EXISTS interaction_by_recorded_at ON interaction (tenant, recorded_at, id)",
    "CREATE INDEX IF NOT EXISTS interaction_by_consumer ON interaction (tenant, consumer, recorded_at)",
    # Contracts and their verification.
    "CREATE INDEX IF NOT EXISTS contract_publication_by_provider ON contract_publication (tenant, provider)",
    "CREATE INDEX IF NOT EXISTS contract_publication_by_content ON contract_publication (content)",
    "CREATE INDEX IF NOT EXISTS verification_by_content "
    "ON verification_result (tenant, content, provider_version, created_at DESC)",
    "CREATE INDEX IF NOT EXISTS verification_by_provider_version ON verification_result (tenant, provider_version)",
    "CREATE INDEX IF NOT EXISTS verification_by_pair "
    "ON verification_result (tenant, consumer, provider, created_at DESC)",
    "CREATE INDEX IF NOT EXISTS spec_by_service ON spec (tenant, service)",
    # At most one current deployment per service, environment and application instance; one current
    # release per version and environment. These make concurrent recordings race-free.
    "CREATE UNIQUE INDEX IF NOT EXISTS deployment_one_current ON deployment "
    "(tenant, service, environment, application_instance) WHERE currently_deployed",
    "CREATE INDEX IF NOT EXISTS deployment_current_by_environment "
    "ON deployment (tenant, environment, service) WHERE currently_deployed",
    "CREATE INDEX IF NOT EXISTS deployment_history ON deployment (tenant, service, deployed_at DESC)",
    "CREATE UNIQUE INDEX IF NOT EXISTS release_one_current ON release "
    "(tenant, version, environment) WHERE currently_supported",
    "CREATE INDEX IF NOT EXISTS release_current_by_environment "
    "ON release (tenant, environment, service) WHERE currently_supported",
    # Fixtures.
    "CREATE INDEX IF NOT EXISTS fixture_lookup ON fixture (tenant, provider, operation, status)",
    "CREATE INDEX IF NOT EXISTS fixture_version_by_version ON fixture_version (version)",
    "CREATE INDEX IF NOT EXISTS fixture_version_by_tenant ON fixture_version (tenant, fixture)",
    # History listings, newest first, overall and per environment.
    "CREATE INDEX IF NOT EXISTS deployment_by_time ON deployment (tenant, deployed_at DESC, id DESC)",
    "CREATE INDEX IF NOT EXISTS deployment_by_environment ON deployment (tenant, environment, deployed_at DESC)",
    "CREATE INDEX IF NOT EXISTS release_by_time ON release (tenant, released_at DESC, id DESC)",
    "CREATE INDEX IF NOT EXISTS release_by_environment ON release (tenant, environment, released_at DESC)",
    "CREATE INDEX IF NOT EXISTS contract_publication_by_time "
    "ON contract_publication (tenant, updated_at DESC, id DESC)",
    "CREATE INDEX IF NOT EXISTS api_key_by_tenant ON api_key (tenant, created_at, id)",
]

BACKWARDS = [f"DROP INDEX IF EXISTS {statement.split(' EXISTS ', 1)[1].split(' ', 1)[0]}" for statement in FORWARDS]


async def forwards() -> MigrationManager:
    return raw_sql_migration(ID, DESCRIPTION, FORWARDS, BACKWARDS)
