from piccolo.apps.migrations.auto.migration_manager import MigrationManager

from accord.db.raw_migrations import raw_sql_migration

ID = "2026-12-05T08:40:00:000000"
VERSION = "1.38.0"
DESCRIPTION = "static checks: queueing triggers serialise a spec against contracts of the same provider"

# Under READ COMMITTED each queueing trigger sees only what the other side has committed, so a spec and a
# contract for the same provider committed together each missed the other and their pair was never queued
# (write skew). Both triggers now take a transaction-scoped advisory lock on (tenant, provider) before looking
# at the other side, and the plpgsql statement after the lock takes a fresh snapshot, so whichever commits
# second sees the first. Contracts take the lock shared and specs exclusive: only a spec and a contract can
# miss each other, so concurrent contract publishes (the benchmarked ingest path, batches with many
# providers) never wait for one another, and a spec upload (one provider) can't close a deadlock cycle
# with them. A lock rather than a sweeper: the pair is queued by the commit that completes it, with no
# window where it is missing and no periodic scan. Two-key locks (1093, ...) live apart from the single-key
# lock migrations take; a hash collision between providers only serialises a little more.
_LOCK = "hashtext(NEW.tenant::text || '/' || {provider}::text)"

FORWARDS = [
    f"""
    CREATE OR REPLACE FUNCTION accord_queue_checks_for_publication() RETURNS trigger
    LANGUAGE plpgsql AS $$
    BEGIN
        PERFORM pg_advisory_xact_lock_shared(1093, {_LOCK.format(provider="NEW.provider")});
        INSERT INTO static_check (tenant, content, spec_sha)
        SELECT DISTINCT NEW.tenant, NEW.content, sp.content_sha FROM spec sp
        WHERE sp.tenant = NEW.tenant AND sp.service = NEW.provider
        ON CONFLICT (tenant, content, spec_sha) DO NOTHING;
        IF FOUND THEN
            PERFORM pg_notify('accord_static_checks', '');
        END IF;
        RETURN NULL;
    END $$
    """,
    f"""
    CREATE OR REPLACE FUNCTION accord_queue_checks_for_spec() RETURNS trigger
    LANGUAGE plpgsql AS $$
    BEGIN
        PERFORM pg_advisory_xact_lock(1093, {_LOCK.format(provider="NEW.service")});
        INSERT INTO static_check (tenant, content, spec_sha)
        SELECT DISTINCT NEW.tenant, p.content, NEW.content_sha FROM contract_publication p
        WHERE p.tenant = NEW.tenant AND p.provider = NEW.service
        ON CONFLICT (tenant, content, spec_sha) DO NOTHING;
        IF FOUND THEN
            PERFORM pg_notify('accord_static_checks', '');
        END IF;
        RETURN NULL;
    END $$
    """,
]

# The functions as migration 2026-11-22T01:33 made them.
BACKWARDS = [
    """
    CREATE OR REPLACE FUNCTION accord_queue_checks_for_publication() RETURNS trigger
    LANGUAGE plpgsql AS $$
    BEGIN
        INSERT INTO static_check (tenant, content, spec_sha)
        SELECT DISTINCT NEW.tenant, NEW.content, sp.content_sha FROM spec sp
        WHERE sp.tenant = NEW.tenant AND sp.service = NEW.provider
        ON CONFLICT (tenant, content, spec_sha) DO NOTHING;
        IF FOUND THEN
            PERFORM pg_notify('accord_static_checks', '');
        END IF;
        RETURN NULL;
    END $$
    """,
    """
    CREATE OR REPLACE FUNCTION accord_queue_checks_for_spec() RETURNS trigger
    LANGUAGE plpgsql AS $$
    BEGIN
        INSERT INTO static_check (tenant, content, spec_sha)
        SELECT DISTINCT NEW.tenant, p.content, NEW.content_sha FROM contract_publication p
        WHERE p.tenant = NEW.tenant AND p.provider = NEW.service
        ON CONFLICT (tenant, content, spec_sha) DO NOTHING;
        IF FOUND THEN
            PERFORM pg_notify('accord_static_checks', '');
        END IF;
        RETURN NULL;
    END $$
    """,
]


async def forwards() -> MigrationManager:
    return raw_sql_migration(ID, DESCRIPTION, FORWARDS, BACKWARDS)
