from piccolo.apps.migrations.auto.migration_manager import MigrationManager

from accord.db.raw_migrations import raw_sql_migration

ID = "2026-12-05T21:30:00:000000"
VERSION = "1.38.0"
DESCRIPTION = "row-level security: the application role, tenant policies, cross-tenant definer functions"

# The database's own wall between tenants. Accord serves requests as `accord_app`, a role that owns no table
# and cannot bypass row security; every tenant-owned table (a NOT NULL `tenant` column) lets it see and write
# only the rows of the tenant named by the `accord.tenant` setting, which TenantRepository sets (SET LOCAL in
# a transaction; see accord.db.row_security). Without the setting a query sees nothing.
#
# The few paths that must cross tenants (finding a key's, a badge token's, a session's or an invitation's
# tenant; the background queues claiming every tenant's jobs) call the SECURITY DEFINER functions below: each
# does one narrow thing as the owner and returns only what its caller needs to go on, scoped. The migrating
# role (the owner) is not subject to the policies: operator tools (piccolo admin, migrations) connect as it.
APP_ROLE = "accord_app"

_TENANT_TABLES = (
    "SELECT c.oid::regclass AS tab FROM pg_class c JOIN pg_attribute a ON a.attrelid = c.oid "
    "AND a.attname = 'tenant' AND a.attnotnull AND NOT a.attisdropped "
    "WHERE c.relkind IN ('r', 'p') AND c.relnamespace = 'public'::regnamespace"
)

_DEFINER = "LANGUAGE sql SECURITY DEFINER SET search_path = public, pg_temp"

FUNCTIONS = {
    "accord_find_api_key(p_key_hash text)": f"""
        RETURNS TABLE (id uuid, name text, scopes text[], expires_at timestamptz, revoked_at timestamptz,
                       tenant_id uuid, tenant_slug text, tenant_name text)
        {_DEFINER} STABLE AS $$
        SELECT k.id, k.name::text, k.scopes::text[], k.expires_at, k.revoked_at, t.id, t.slug::text, t.name::text
        FROM api_key k JOIN tenant t ON t.id = k.tenant WHERE k.key_hash = p_key_hash LIMIT 1
        $$""",
    "accord_touch_api_key(p_tenant uuid, p_key uuid)": f"""
        RETURNS void {_DEFINER} AS $$
        UPDATE api_key SET last_used_at = now() WHERE tenant = p_tenant AND id = p_key
        AND (last_used_at IS NULL OR last_used_at < now() - interval '1 minute')
        $$""",
    "accord_tenant_of_badge_token(p_token text)": f"""
        RETURNS uuid {_DEFINER} STABLE AS $$
        SELECT tenant FROM badge_token WHERE token = p_token
        $$""",
    "accord_find_session(p_token_hash text)": f"""
        RETURNS TABLE (session_id uuid, csrf_token text, selected uuid, user_id uuid, email text,
                       display_name text, tenant_id uuid, slug text, name text, role text)
        {_DEFINER} STABLE AS $$
        SELECT s.id, s.csrf_token::text, s.tenant, u.id, u.email::text, u.display_name::text, m.tenant,
               t.slug::text, t.name::text, m.role::text
        FROM web_session s JOIN user_account u ON u.id = s."user"
        LEFT JOIN membership m ON m."user" = u.id LEFT JOIN tenant t ON t.id = m.tenant
        WHERE s.token_hash = p_token_hash AND s.expires_at > now()
        $$""",
    "accord_select_session_tenant(p_session uuid, p_slug text)": f"""
        RETURNS boolean {_DEFINER} AS $$
        WITH changed AS (
            UPDATE web_session s SET tenant = m.tenant FROM membership m JOIN tenant t ON t.id = m.tenant
            WHERE s.id = p_session AND m."user" = s."user" AND t.slug = p_slug RETURNING s.id
        ) SELECT EXISTS (SELECT 1 FROM changed)
        $$""",
    "accord_find_invitation(p_token_hash text)": f"""
        RETURNS TABLE (id uuid, tenant uuid, name text, email text, role text, expires_at timestamptz,
                       accepted boolean)
        {_DEFINER} STABLE AS $$
        SELECT i.id, i.tenant, t.name::text, i.email::text, i.role::text, i.expires_at, i.accepted_at IS NOT NULL
        FROM invitation i JOIN tenant t ON t.id = i.tenant WHERE i.token_hash = p_token_hash
        $$""",
    "accord_claim_invitation(p_token_hash text)": f"""
        RETURNS TABLE (id uuid, tenant uuid, name text, email text, role text, expires_at timestamptz)
        {_DEFINER} AS $$
        UPDATE invitation i SET accepted_at = now(), updated_at = now() FROM tenant t
        WHERE t.id = i.tenant AND i.token_hash = p_token_hash AND i.accepted_at IS NULL AND i.expires_at > now()
        RETURNING i.id, i.tenant, t.name::text, i.email::text, i.role::text, i.expires_at
        $$""",
    "accord_claim_static_checks(p_limit integer, p_lease interval)": f"""
        RETURNS TABLE (id uuid, tenant uuid, content uuid, spec_sha text, attempts integer)
        {_DEFINER} AS $$
        UPDATE static_check sc SET status = 'running', claimed_at = now(), attempts = sc.attempts + 1
        WHERE sc.id IN (SELECT s.id FROM static_check s
            WHERE s.status = 'pending' OR (s.status = 'running' AND s.claimed_at < now() - p_lease)
            ORDER BY s.created_at LIMIT p_limit FOR UPDATE SKIP LOCKED)
        RETURNING sc.id, sc.tenant, sc.content, sc.spec_sha::text, sc.attempts
        $$""",
    "accord_renew_static_checks(p_ids uuid[])": f"""
        RETURNS void {_DEFINER} AS $$
        UPDATE static_check SET claimed_at = now() WHERE id = ANY(p_ids) AND status = 'running'
        $$""",
    "accord_tenants_with_quiet_contracts(p_quiet interval, p_at_most_after interval, p_limit integer)": f"""
        RETURNS SETOF uuid {_DEFINER} STABLE AS $$
        SELECT DISTINCT tenant FROM pending_contract
        WHERE marked_at < clock_timestamp() - p_quiet OR first_marked_at < clock_timestamp() - p_at_most_after
        LIMIT p_limit
        $$""",
    # Locks the claimed events FOR UPDATE in the caller's transaction, which then fans each tenant's out scoped.
    "accord_claim_unfanned_events(p_limit integer)": f"""
        RETURNS TABLE (id uuid, tenant uuid) {_DEFINER} AS $$
        SELECT e.id, e.tenant FROM event e WHERE NOT e.fanned_out ORDER BY e.position LIMIT p_limit
        FOR UPDATE SKIP LOCKED
        $$""",
    "accord_claim_webhook_deliveries(p_limit integer, p_lease interval)": f"""
        RETURNS TABLE (id uuid, tenant uuid, webhook uuid, event uuid, provider_version uuid, attempts integer)
        {_DEFINER} AS $$
        UPDATE webhook_delivery d SET status = 'running', claimed_at = now(), attempts = d.attempts + 1
        WHERE d.id IN (SELECT w.id FROM webhook_delivery w
            WHERE (w.status = 'pending' AND w.next_attempt_at <= now())
            OR (w.status = 'running' AND w.claimed_at < now() - p_lease)
            ORDER BY w.next_attempt_at LIMIT p_limit FOR UPDATE SKIP LOCKED)
        RETURNING d.id, d.tenant, d.webhook, d.event, d.provider_version, d.attempts
        $$""",
    "accord_webhook_due_in(p_lease interval)": f"""
        RETURNS interval {_DEFINER} STABLE AS $$
        SELECT min(CASE WHEN status = 'pending' THEN next_attempt_at ELSE claimed_at + p_lease END) - now()
        FROM webhook_delivery WHERE status IN ('pending', 'running')
        $$""",
}

FORWARDS = [
    f"""
    DO $$
    BEGIN
        IF NOT EXISTS (SELECT 1 FROM pg_roles WHERE rolname = '{APP_ROLE}') THEN
            -- LOGIN without a password: the embedded server trusts its socket; elsewhere the operator either
            -- sets a password or grants this role to a login role of their own (README, "Row-level security").
            CREATE ROLE {APP_ROLE} LOGIN NOSUPERUSER NOBYPASSRLS NOCREATEDB NOCREATEROLE;
        END IF;
    EXCEPTION WHEN insufficient_privilege THEN
        RAISE EXCEPTION 'cannot create role {APP_ROLE}: create it first (CREATE ROLE {APP_ROLE} NOLOGIN), then migrate';
    END $$
    """,
    # The setting as a uuid; '' (a reset setting) and unset both mean no tenant, so policies match no row.
    """
    CREATE OR REPLACE FUNCTION accord_current_tenant() RETURNS uuid
    LANGUAGE sql STABLE PARALLEL SAFE AS $$ SELECT NULLIF(current_setting('accord.tenant', true), '')::uuid $$
    """,
    # One call per tenant-owned table; a later migration that adds such a table calls it too
    # (tests/test_row_security.py fails for any tenant table without the policy).
    """
    CREATE OR REPLACE FUNCTION accord_enable_tenant_rls(tab regclass) RETURNS void
    LANGUAGE plpgsql AS $$
    BEGIN
        EXECUTE format('ALTER TABLE %s ENABLE ROW LEVEL SECURITY', tab);
        EXECUTE format('DROP POLICY IF EXISTS tenant_isolation ON %s', tab);
        EXECUTE format('CREATE POLICY tenant_isolation ON %s USING (tenant = accord_current_tenant()) '
                       'WITH CHECK (tenant = accord_current_tenant())', tab);
    END $$
    """,
    f"SELECT accord_enable_tenant_rls(tab) FROM ({_TENANT_TABLES}) AS tenant_tables",
    f"GRANT USAGE ON SCHEMA public TO {APP_ROLE}",
    f"GRANT SELECT, INSERT, UPDATE, DELETE ON ALL TABLES IN SCHEMA public TO {APP_ROLE}",
    f"GRANT USAGE, SELECT ON ALL SEQUENCES IN SCHEMA public TO {APP_ROLE}",
    # Tables and sequences later migrations create (as this same owner) are the application's too.
    f"ALTER DEFAULT PRIVILEGES IN SCHEMA public GRANT SELECT, INSERT, UPDATE, DELETE ON TABLES TO {APP_ROLE}",
    f"ALTER DEFAULT PRIVILEGES IN SCHEMA public GRANT USAGE, SELECT ON SEQUENCES TO {APP_ROLE}",
    # ANALYZE after a bulk load (accord.db.maintenance); PostgreSQL 17 added the privilege.
    f"""
    DO $$
    BEGIN
        IF current_setting('server_version_num')::int >= 170000 THEN
            EXECUTE 'GRANT MAINTAIN ON ALL TABLES IN SCHEMA public TO {APP_ROLE}';
        END IF;
    END $$
    """,
    *(f"CREATE OR REPLACE FUNCTION {signature} {body}" for signature, body in FUNCTIONS.items()),
    *(f"REVOKE ALL ON FUNCTION {signature} FROM PUBLIC" for signature in FUNCTIONS),
    *(f"GRANT EXECUTE ON FUNCTION {signature} TO {APP_ROLE}" for signature in FUNCTIONS),
]

BACKWARDS = [
    *(f"DROP FUNCTION IF EXISTS {signature}" for signature in FUNCTIONS),
    f"""
    DO $$
    DECLARE tab regclass;
    BEGIN
        FOR tab IN {_TENANT_TABLES} LOOP
            EXECUTE format('DROP POLICY IF EXISTS tenant_isolation ON %s', tab);
            EXECUTE format('ALTER TABLE %s DISABLE ROW LEVEL SECURITY', tab);
        END LOOP;
    END $$
    """,
    "DROP FUNCTION IF EXISTS accord_enable_tenant_rls(regclass)",
    "DROP FUNCTION IF EXISTS accord_current_tenant()",
    f"ALTER DEFAULT PRIVILEGES IN SCHEMA public REVOKE ALL ON TABLES FROM {APP_ROLE}",
    f"ALTER DEFAULT PRIVILEGES IN SCHEMA public REVOKE ALL ON SEQUENCES FROM {APP_ROLE}",
    f"REVOKE ALL ON ALL TABLES IN SCHEMA public FROM {APP_ROLE}",
    f"REVOKE ALL ON ALL SEQUENCES IN SCHEMA public FROM {APP_ROLE}",
    f"REVOKE USAGE ON SCHEMA public FROM {APP_ROLE}",
    # The role stays: roles belong to the whole server, and another database may still use it.
]


async def forwards() -> MigrationManager:
    return raw_sql_migration(ID, DESCRIPTION, FORWARDS, BACKWARDS)
