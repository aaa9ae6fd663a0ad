from piccolo.apps.migrations.auto.migration_manager import MigrationManager

from accord.db.raw_migrations import raw_sql_migration

ID = "2026-12-05T16:14:00:000000"
VERSION = "1.38.0"
DESCRIPTION = "webhooks: the triggers that write events (the outbox) in the causing transaction; queue indexes"

# Events are written by triggers, in the transaction of the change that causes them, whichever path wrote
# (native API, Pact API, admin): a rolled-back write leaves no event, a committed one always has its event.
# NOTIFY (sent at commit) wakes the webhook workers and the SSE streams; polling covers missed notifications.
#
# `txid` records the writing transaction so that readers resuming by position (SSE `Last-Event-ID`) only show
# events of transactions older than every one still running: positions are taken before commit, so a later
# position can commit first, and a reader that moved past it would otherwise skip the earlier one for good.
#
# Contract publications come in batches (interaction ingest), so their trigger is per statement, one INSERT
# ... SELECT over the transition table; the other tables change one row at a time.
_RECORD = "INSERT INTO event (tenant, name, consumer, provider, subject) VALUES "
_NOTIFY = "PERFORM pg_notify('accord_events', '');"

FORWARDS = [
    "ALTER TABLE event ADD COLUMN IF NOT EXISTS txid xid8 NOT NULL DEFAULT pg_current_xact_id()",
    "CREATE UNIQUE INDEX IF NOT EXISTS event_position ON event (position)",
    "CREATE INDEX IF NOT EXISTS event_fan_out_queue ON event (position) WHERE NOT fanned_out",
    "CREATE INDEX IF NOT EXISTS event_by_tenant ON event (tenant, position)",
    "CREATE INDEX IF NOT EXISTS webhook_by_tenant ON webhook (tenant) WHERE enabled",
    "CREATE INDEX IF NOT EXISTS webhook_delivery_queue ON webhook_delivery (next_attempt_at) "
    "WHERE status IN ('pending', 'running')",
    "CREATE INDEX IF NOT EXISTS webhook_delivery_by_webhook ON webhook_delivery (tenant, webhook, created_at DESC)",
    "CREATE INDEX IF NOT EXISTS webhook_attempt_by_webhook ON webhook_attempt (tenant, webhook, created_at DESC)",
    "CREATE INDEX IF NOT EXISTS webhook_attempt_by_delivery ON webhook_attempt (delivery)",
    "CREATE INDEX IF NOT EXISTS contract_publication_by_pair "
    "ON contract_publication (tenant, consumer, provider, created_at DESC)",
    f"""
    CREATE OR REPLACE FUNCTION accord_events_for_publications() RETURNS trigger
    LANGUAGE plpgsql AS $$
    BEGIN
        IF TG_OP = 'INSERT' THEN
            INSERT INTO event (tenant, name, consumer, provider, subject)
            SELECT n.tenant, e.name, n.consumer, n.provider, jsonb_build_object(
                'consumer_version', n.consumer_version, 'content', n.content, 'publication', n.id)
            FROM new_rows n
            LEFT JOIN LATERAL (
                SELECT p.content FROM contract_publication p
                WHERE p.tenant = n.tenant AND p.consumer = n.consumer AND p.provider = n.provider AND p.id <> n.id
                ORDER BY p.created_at DESC, p.id DESC LIMIT 1
            ) AS previous_content ON true
            CROSS JOIN LATERAL unnest(ARRAY[
                'contract_published',
                CASE WHEN previous_content.content IS DISTINCT FROM n.content THEN 'contract_content_changed' END,
                'contract_requiring_verification_published'
            ]) AS e(name)
            WHERE e.name IS NOT NULL;
        ELSE
            INSERT INTO event (tenant, name, consumer, provider, subject)
            SELECT n.tenant, e.name, n.consumer, n.provider, jsonb_build_object(
                'consumer_version', n.consumer_version, 'content', n.content, 'publication', n.id)
            FROM new_rows n JOIN old_rows o ON o.id = n.id
            CROSS JOIN unnest(ARRAY[
                'contract_published', 'contract_content_changed', 'contract_requiring_verification_published'
            ]) AS e(name)
            WHERE o.content IS DISTINCT FROM n.content;
        END IF;
        IF FOUND THEN
            {_NOTIFY}
        END IF;
        RETURN NULL;
    END $$
    """,
    "CREATE OR REPLACE TRIGGER contract_publication_events_insert AFTER INSERT ON contract_publication "
    "REFERENCING NEW TABLE AS new_rows FOR EACH STATEMENT EXECUTE FUNCTION accord_events_for_publications()",
    "CREATE OR REPLACE TRIGGER contract_publication_events_update AFTER UPDATE ON contract_publication "
    "REFERENCING OLD TABLE AS old_rows NEW TABLE AS new_rows "
    "FOR EACH STATEMENT EXECUTE FUNCTION accord_events_for_publications()",
    f"""
    CREATE OR REPLACE FUNCTION accord_events_for_verification() RETURNS trigger
    LANGUAGE plpgsql AS $$
    DECLARE
        subject jsonb := jsonb_build_object(
            'verification', NEW.id, 'content', NEW.content, 'provider_version', NEW.provider_version);
    BEGIN
        {_RECORD} (NEW.tenant, 'provider_verification_published', NEW.consumer, NEW.provider, subject),
            (NEW.tenant, CASE WHEN NEW.success THEN 'provider_verification_succeeded'
                         ELSE 'provider_verification_failed' END, NEW.consumer, NEW.provider, subject);
        {_NOTIFY}
        RETURN NULL;
    END $$
    """,
    "CREATE OR REPLACE TRIGGER verification_result_events AFTER INSERT ON verification_result "
    "FOR EACH ROW EXECUTE FUNCTION accord_events_for_verification()",
    # A deployment or release concerns one service, in whichever role: it is recorded as both.
    f"""
    CREATE OR REPLACE FUNCTION accord_events_for_environment_change() RETURNS trigger
    LANGUAGE plpgsql AS $$
    BEGIN
        {_RECORD} (NEW.tenant, TG_ARGV[0], NEW.service, NEW.service, jsonb_build_object(
            TG_ARGV[1], NEW.id, 'version', NEW.version, 'environment', NEW.environment));
        {_NOTIFY}
        RETURN NULL;
    END $$
    """,
    "CREATE OR REPLACE TRIGGER deployment_events AFTER INSERT ON deployment "
    "FOR EACH ROW EXECUTE FUNCTION accord_events_for_environment_change('deployment_recorded', 'deployment')",
    "CREATE OR REPLACE TRIGGER release_events AFTER INSERT ON release "
    "FOR EACH ROW EXECUTE FUNCTION accord_events_for_environment_change('release_recorded', 'release')",
    f"""
    CREATE OR REPLACE FUNCTION accord_events_for_spec() RETURNS trigger
    LANGUAGE plpgsql AS $$
    BEGIN
        IF TG_OP = 'UPDATE' AND NEW.content_sha IS NOT DISTINCT FROM OLD.content_sha THEN
            RETURN NULL;
        END IF;
        {_RECORD} (NEW.tenant, 'spec_published', NULL, NEW.service, jsonb_build_object(
            'spec', NEW.id, 'provider_version', NEW.version, 'spec_sha', NEW.content_sha));
        {_NOTIFY}
        RETURN NULL;
    END $$
    """,
    "CREATE OR REPLACE TRIGGER spec_events AFTER INSERT OR UPDATE OF content_sha ON spec "
    "FOR EACH ROW EXECUTE FUNCTION accord_events_for_spec()",
    f"""
    CREATE OR REPLACE FUNCTION accord_events_for_static_check() RETURNS trigger
    LANGUAGE plpgsql AS $$
    BEGIN
        IF NEW.status <> 'failed' OR OLD.status = 'failed' THEN
            RETURN NULL;
        END IF;
        INSERT INTO event (tenant, name, consumer, provider, subject)
        SELECT NEW.tenant, 'static_check_failed', cc.consumer, cc.provider, jsonb_build_object(
            'static_check', NEW.id, 'content', NEW.content, 'spec_sha', NEW.spec_sha)
        FROM contract_content cc WHERE cc.id = NEW.content;
        {_NOTIFY}
        RETURN NULL;
    END $$
    """,
    "CREATE OR REPLACE TRIGGER static_check_events AFTER UPDATE OF status ON static_check "
    "FOR EACH ROW EXECUTE FUNCTION accord_events_for_static_check()",
    f"""
    CREATE OR REPLACE FUNCTION accord_events_for_fixture() RETURNS trigger
    LANGUAGE plpgsql AS $$
    BEGIN
        IF NEW.status <> 'draft' THEN
            RETURN NULL;
        END IF;
        {_RECORD} (NEW.tenant, 'fixture_proposed', NULL, NEW.provider, jsonb_build_object(
            'fixture', NEW.id, 'operation', NEW.operation));
        {_NOTIFY}
        RETURN NULL;
    END $$
    """,
    "CREATE OR REPLACE TRIGGER fixture_events AFTER INSERT ON fixture "
    "FOR EACH ROW EXECUTE FUNCTION accord_events_for_fixture()",
]

BACKWARDS = [
    "DROP TRIGGER IF EXISTS fixture_events ON fixture",
    "DROP TRIGGER IF EXISTS static_check_events ON static_check",
    "DROP TRIGGER IF EXISTS spec_events ON spec",
    "DROP TRIGGER IF EXISTS release_events ON release",
    "DROP TRIGGER IF EXISTS deployment_events ON deployment",
    "DROP TRIGGER IF EXISTS verification_result_events ON verification_result",
    "DROP TRIGGER IF EXISTS contract_publication_events_update ON contract_publication",
    "DROP TRIGGER IF EXISTS contract_publication_events_insert ON contract_publication",
    "DROP FUNCTION IF EXISTS accord_events_for_fixture()",
    "DROP FUNCTION IF EXISTS accord_events_for_static_check()",
    "DROP FUNCTION IF EXISTS accord_events_for_spec()",
    "DROP FUNCTION IF EXISTS accord_events_for_environment_change()",
    "DROP FUNCTION IF EXISTS accord_events_for_verification()",
    "DROP FUNCTION IF EXISTS accord_events_for_publications()",
    "DROP INDEX IF EXISTS contract_publication_by_pair",
]


async def forwards() -> MigrationManager:
    return raw_sql_migration(ID, DESCRIPTION, FORWARDS, BACKWARDS)
