"""`accord demo --size`: fill a tenant with a realistic, deterministic broker history, resumably."""

from __future__ import annotations

from collections.abc import Awaitable, Callable

from accord.db.engine import get_engine
from accord.db.maintenance import refresh_statistics
from accord.demo.repository import HistoryRepository
from accord.demo.sizes import HistorySize
from accord.tenant_ids import TenantId

Progress = Callable[[str], None]


class HistoryGenerator:
    """Writes a history of a given size; each step is one transaction and a constant number of statements,
    so an interrupted run keeps the steps it finished and the next run completes the rest."""

    def __init__(self, tenant: TenantId) -> None:
        self.history = HistoryRepository(tenant)

    def steps(self, size: HistorySize) -> list[tuple[str, Callable[[], Awaitable[None]]]]:
        history = self.history
        return [
            (f"{size.services} services", lambda: history.services(size)),
            (f"{size.versions:,} versions", lambda: history.versions(size)),
            ("branches", history.branches),
            ("3 environments", history.environments),
            (f"{size.interactions:,} interactions", lambda: history.interactions(size)),
            (f"{size.contents:,} contracts", history.contents),
            ("publications", lambda: history.publications(size)),
            (f"{size.verifications:,} verification results", lambda: history.verifications(size)),
            ("deployments", lambda: history.deployments(size)),
        ]

    async def generate(self, size: HistorySize, progress: Progress) -> None:
        for label, step in self.steps(size):
            async with get_engine().transaction():
                await step()
            progress(label)
        await refresh_statistics()
