"""The background task that derives contracts once CI has stopped sending batches, in every Accord process.

Readers don't wait for it (they derive what they read), but static checks are queued only when a contract
is derived, so without it a run nobody looks at would never be checked. Several processes may settle the same
tenant at once: the consumer version locks serialize them, and the second finds nothing left to do.
"""

from __future__ import annotations

import datetime

from accord.contracts.following import ContractFollower
from accord.contracts.pending_queue import tenants_with_quiet_contracts
from accord.db.round_loop import RoundLoop

_TENANTS_PER_ROUND = 20


class ContractSettler(RoundLoop):
    def __init__(self, *, quiet_for: float, at_most_after: float) -> None:
        super().__init__(full_round=_TENANTS_PER_ROUND, idle_seconds=min(max(quiet_for / 2, 0.05), 1.0))
        self._quiet_for = datetime.timedelta(seconds=quiet_for)
        self._at_most_after = datetime.timedelta(seconds=max(at_most_after, quiet_for))

    async def work_round(self) -> int:
        """Derive the quiet contracts of up to _TENANTS_PER_ROUND tenants; how many tenants had some."""
        tenants = await tenants_with_quiet_contracts(self._quiet_for, self._at_most_after, _TENANTS_PER_ROUND)
        for tenant in tenants:
            await ContractFollower(tenant).settle_quiet(self._quiet_for, self._at_most_after)
        return len(tenants)
