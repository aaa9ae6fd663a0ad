"""Database upkeep that belongs to no tenant."""

from __future__ import annotations

from accord.db.engine import connection

# Tables a bulk load changes enough for the planner's statistics to go stale.
BULK_LOADED_TABLES = (
    "service",
    "service_version",
    "branch",
    "branch_version",
    "interaction",
    "contract_content",
    "contract_publication",
    "verification_result",
    "deployment",
)


async def refresh_statistics() -> None:
    """ANALYZE after a bulk load, so the next queries are planned for the new sizes at once."""
    async with connection() as conn:
        await conn.execute("ANALYZE " + ", ".join(BULK_LOADED_TABLES))
