"""Which branch is a service's main branch: the one set on the service, else the first of these that exists."""

DETECTED_MAIN_BRANCHES = ("main", "master", "develop")


def main_branch_sql(service_alias: str) -> str:
    """SQL for the main branch name of the service row `service_alias` (a fixed alias, never user input)."""
    if not service_alias.isidentifier():
        raise ValueError("service_alias must be a SQL identifier")
    candidates = ", ".join(f"'{name}'" for name in DETECTED_MAIN_BRANCHES)
    return (
        f"COALESCE({service_alias}.main_branch, (SELECT mb.name FROM branch mb "
        f"WHERE mb.tenant = {service_alias}.tenant AND mb.service = {service_alias}.id AND mb.name IN ({candidates}) "
        f"ORDER BY array_position(ARRAY[{candidates}]::text[], mb.name::text) LIMIT 1))"
    )
