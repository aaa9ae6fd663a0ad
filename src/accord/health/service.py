"""Readiness: can this process serve requests (database, pgvector, schema), and how busy is its pool."""

from __future__ import annotations

from accord.db.engine import pool_stats
from accord.db.migrations import pending_migrations
from accord.health.repository import DatabaseProbe
from accord.health.schemas import Check, Readiness

MINIMUM_SERVER_VERSION_NUM = 140000


class HealthService:
    def __init__(self, probe: DatabaseProbe | None = None) -> None:
        self.probe = probe or DatabaseProbe()

    async def readiness(self) -> Readiness:
        checks: dict[str, Check] = {}
        try:
            facts = await self.probe.server_facts()
        except Exception as exc:  # whatever the failure, readiness reports it rather than raising
            checks["database"] = Check(ok=False, detail=f"unreachable ({type(exc).__name__})")
            checks["pgvector"] = Check(ok=False, detail="unknown: database unreachable")
            checks["migrations"] = Check(ok=False, detail="unknown: database unreachable")
        else:
            version = facts.version_num
            checks["database"] = (
                Check(ok=True, detail=f"PostgreSQL {version // 10000}.{version % 10000}")
                if version >= MINIMUM_SERVER_VERSION_NUM
                else Check(ok=False, detail=f"PostgreSQL {version // 10000} is older than 14")
            )
            vector = facts.vector_version
            checks["pgvector"] = (
                Check(ok=True, detail=f"vector {vector}") if vector else Check(ok=False, detail="not installed")
            )
            try:
                pending = await pending_migrations()
            except Exception as exc:  # the database went away between the two probes
                checks["migrations"] = Check(ok=False, detail=f"unknown ({type(exc).__name__})")
            else:
                checks["migrations"] = (
                    Check(ok=True)
                    if not pending
                    else Check(ok=False, detail=f"{len(pending)} pending; run `accord migrate`")
                )
        failing = [name for name, check in checks.items() if not check.ok]
        return Readiness(status="not_ready" if failing else "ready", failing=failing, checks=checks, pool=pool_stats())
