"""Plan choice for statements whose planning costs more than their execution."""

from __future__ import annotations

from accord.db.engine import connection


async def plan_generically() -> None:
    """For the rest of the current transaction, run prepared statements on their generic plan.

    PostgreSQL re-plans a prepared statement for its parameters unless the generic plan looks as cheap. The
    matrix's selector statements (unnest of parameter arrays joined to versions, branches, tags and
    environments) took about 2 to 4 ms to plan and 0.05 to 0.4 ms to run, so can-i-deploy spent most of its time
    planning (pg_stat_statements with track_planning). Their plans do not depend on the values: the generic
    plan is planned once per connection and reused. Scoped to a transaction, so no other statement changes plan.
    """
    async with connection() as conn:
        await conn.execute("SET LOCAL plan_cache_mode = force_generic_plan")
