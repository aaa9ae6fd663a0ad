"""Plan choice for statements whose planning costs more than their execution."""

from __future__ import annotations

from accord.db.engine import AccordPostgresEngine, AccordTransaction, get_engine


def generically_planned_reads() -> AccordTransaction:
    """A read-only snapshot whose prepared statements run on their generic plan.

    PostgreSQL re-plans a prepared statement for its parameters unless the generic plan looks as cheap. The
    matrix's selector statements (unnest of parameter arrays joined to versions, branches, tags and
    environments) took about 2 to 4 ms to plan and 0.05 to 0.4 ms to run, so can-i-deploy spent most of its time
    planning (pg_stat_statements with track_planning). Their plans do not depend on the values: the generic
    plan is planned once per connection and reused. Scoped to the transaction, so no other statement changes
    plan; the setting travels with the statement that starts the transaction's tenant, no round trip of its own.
    """
    engine = get_engine()
    if not isinstance(engine, AccordPostgresEngine):
        raise TypeError("piccolo_conf.DB must be accord.db.engine.AccordPostgresEngine")
    return engine.read_transaction(generic_plans=True)
