"""The background worker that runs queued static checks, in every Accord process.

Uploads only queue checks (database triggers, in the upload's own transaction); workers claim them with
SKIP LOCKED, so any number of processes share the queue and each check runs once. NOTIFY wakes an idle worker
at once; a slow poll covers missed notifications and retries checks whose worker died.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
from typing import Any

import asyncpg
import msgspec

from accord.compatibility.checker import check_contract
from accord.compatibility.job_queue import LEASE_RENEWAL, MAX_ATTEMPTS, ClaimedCheck, claim, renew
from accord.compatibility.repository import StaticCheckRepository
from accord.compatibility.schemas import CheckReport, ContractKind
from accord.compatibility.spec_model import compile_spec
from accord.db.queue_worker import QueueWorker

logger = logging.getLogger(__name__)

CHANNEL = "accord_static_checks"
_POLL_SECONDS = 5.0
_BATCH = 10


def run_check(kind: str, contract_text: str, spec_text: str, spec_sha: str) -> CheckReport:
    """Pure CPU work, run in a thread: compile (cached per spec content) and check."""
    contract = msgspec.json.decode(contract_text)
    spec = compile_spec(msgspec.json.decode(spec_text), spec_sha)
    interactions: list[dict[str, Any]] = []
    if isinstance(contract, dict):
        interactions = list(contract.get("interactions") or []) + list(contract.get("messages") or [])
    contract_kind: ContractKind = "pact" if kind == "pact" else "interactions"
    return check_contract(spec, interactions, contract_kind)


async def process(job: ClaimedCheck) -> None:
    repository = StaticCheckRepository(job.tenant)
    inputs = await repository.inputs(job.content_id, job.spec_sha)
    if inputs is None or inputs.spec is None:
        await repository.finish(job.id, status="error", summary=None, results=None, error="contract or spec is gone")
        return
    try:
        report = await asyncio.to_thread(run_check, inputs.kind, inputs.contract, inputs.spec, job.spec_sha)
    except Exception as exc:  # a malformed document must not stop the queue
        logger.exception("static check %s failed to run", job.id)
        status = "error" if job.attempts >= MAX_ATTEMPTS else "pending"
        await repository.finish(job.id, status=status, summary=None, results=None, error=type(exc).__name__)
        return
    await repository.finish(
        job.id,
        status="passed" if report.compatible else "failed",
        summary={"passed": report.passed, "failed": report.failed, "not_checkable": report.not_checkable},
        results=report.results,
    )


async def _process_leased(jobs: list[ClaimedCheck]) -> None:
    """Process claimed checks one by one, renewing the lease on those not yet finished meanwhile."""
    unfinished = {job.id: job for job in jobs}

    async def heartbeat() -> None:
        while True:
            await asyncio.sleep(LEASE_RENEWAL.total_seconds())
            with contextlib.suppress(OSError, asyncpg.PostgresError, asyncpg.InterfaceError):
                await renew(list(unfinished))

    renewing = asyncio.get_running_loop().create_task(heartbeat())
    try:
        for job in jobs:
            await process(job)
            del unfinished[job.id]
    finally:
        renewing.cancel()
        with contextlib.suppress(asyncio.CancelledError):
            await renewing


class StaticCheckWorker(QueueWorker):
    channel = CHANNEL
    poll_seconds = _POLL_SECONDS

    async def work_once(self) -> bool:
        jobs = await claim(_BATCH)
        await _process_leased(jobs)
        return bool(jobs)
