"""`accord migrate`'s check that requests and workers connect as a role row-level security restricts."""

from __future__ import annotations

import asyncpg

from accord.db.url import APP_ROLE, application_database_url

_FIX = (
    f"connect Accord as a role that is a member of {APP_ROLE} (created by the migrations), e.g. "
    f"CREATE ROLE accord_web LOGIN PASSWORD '...' IN ROLE {APP_ROLE}; and set ACCORD_APP_DB_USER and "
    "ACCORD_APP_DB_PASSWORD to it (DATABASE_URL stays the owner's, for migrations and the admin). "
    "See README, 'Row-level security and the audit log'."
)


async def app_role_problems() -> list[str]:
    """Why row security would not restrict the application's role; empty when it does."""
    connection = await asyncpg.connect(application_database_url())
    try:
        role = await connection.fetchrow(
            "SELECT r.rolname, r.rolsuper, r.rolbypassrls, pg_has_role(current_user, $1, 'USAGE') AS in_app_role, "
            "(SELECT count(*) FROM pg_class c WHERE c.relowner = r.oid AND c.relkind IN ('r', 'p') "
            " AND c.relnamespace = 'public'::regnamespace) AS owned "
            "FROM pg_roles r WHERE r.rolname = current_user",
            APP_ROLE,
        )
    finally:
        await connection.close()
    name = role["rolname"]
    problems = []
    if role["rolsuper"]:
        problems.append(f"the application's role {name} is a superuser, which row-level security never restricts")
    if role["rolbypassrls"]:
        problems.append(f"the application's role {name} has BYPASSRLS, so row-level security does not apply to it")
    if role["owned"]:
        problems.append(
            f"the application's role {name} owns {role['owned']} table(s), and owners are exempt from row security"
        )
    if not role["in_app_role"]:
        problems.append(f"the application's role {name} is not a member of {APP_ROLE}, so it lacks its privileges")
    return [f"{problem}; {_FIX}" for problem in problems]
