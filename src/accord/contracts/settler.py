"""The background task that derives contracts once CI has stopped sending batches, in every Accord process.

Readers don't wait for it (they derive what they read), but static checks are queued only when a contract
is derived, so without it a run nobody looks at would never be checked. Several processes may settle the same
tenant at once: the consumer version locks serialize them, and the second finds nothing left to do.
"""

from __future__ import annotations

import asyncio
import contextlib
import datetime
import logging

import asyncpg

from accord.contracts.following import ContractFollower
from accord.contracts.pending_queue import tenants_with_quiet_contracts

logger = logging.getLogger(__name__)

_TENANTS_PER_ROUND = 20


class ContractSettler:
    def __init__(self, *, quiet_for: float, at_most_after: float) -> None:
        self._quiet_for = datetime.timedelta(seconds=quiet_for)
        self._at_most_after = datetime.timedelta(seconds=max(at_most_after, quiet_for))
        self._poll_seconds = min(max(quiet_for / 2, 0.05), 1.0)
        self._task: asyncio.Task[None] | None = None
        self._stopping = asyncio.Event()

    def start(self) -> None:
        self._stopping = asyncio.Event()
        self._task = asyncio.get_running_loop().create_task(self._run())

    async def stop(self) -> None:
        """Let a derivation in progress finish (it is one short transaction); cancel after a few seconds."""
        if self._task is None:
            return
        self._stopping.set()
        try:
            await asyncio.wait_for(asyncio.shield(self._task), timeout=5)
        except TimeoutError:
            self._task.cancel()
            with contextlib.suppress(asyncio.CancelledError):
                await self._task

    async def settle_round(self) -> int:
        """Derive the quiet contracts of up to _TENANTS_PER_ROUND tenants; how many tenants had some."""
        tenants = await tenants_with_quiet_contracts(self._quiet_for, self._at_most_after, _TENANTS_PER_ROUND)
        for tenant in tenants:
            await ContractFollower(tenant).settle_quiet(self._quiet_for, self._at_most_after)
        return len(tenants)

    async def _run(self) -> None:
        while not self._stopping.is_set():
            busy = 0
            try:
                busy = await self.settle_round()
            except (OSError, asyncpg.PostgresError, asyncpg.InterfaceError) as exc:
                logger.warning("contract settler: %s; retrying", type(exc).__name__)
            if busy < _TENANTS_PER_ROUND:
                with contextlib.suppress(TimeoutError):
                    await asyncio.wait_for(self._stopping.wait(), self._poll_seconds)
