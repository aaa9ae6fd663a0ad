"""Reads under load with wrk: the framework tax of an authenticated read, history-sensitive reads, memory."""

from __future__ import annotations

from dataclasses import dataclass
from urllib.parse import urlencode

from bench.server import BenchServer
from bench.wrk import WrkResult, run_wrk


@dataclass
class ReadTargets:
    """URLs of the history-sensitive reads for one generated history (`accord demo --size`)."""

    can_i_deploy: str
    matrix: str
    verification_tasks: str


def history_targets(base_url: str, versions_per_service: int) -> ReadTargets:
    newest = f"1.{versions_per_service}.0"
    return ReadTargets(
        can_i_deploy=f"{base_url}/api/can-i-deploy?"
        + urlencode({"service": "consumer-001", "version": newest, "environment": "production"}),
        matrix=f"{base_url}/api/matrix?" + urlencode({"consumer": "consumer-001", "provider": "provider-001"}),
        verification_tasks=f"{base_url}/api/verification/provider-001/tasks?"
        # The compact form (links to contents): main, before it, ignores the parameter and inlines them.
        + urlencode({"providerVersion": newest, "environment": "production", "interactions": "link"}),
    )


CHEAP_READ_PATH = "/api/services/consumer-001"


def cheap_read(server: BenchServer, key: str, *, connections: int = 32) -> WrkResult:
    """GET one service: authentication (cached key), tenancy, one indexed query, JSON."""
    return run_wrk(
        f"{server.base_url}{CHEAP_READ_PATH}",
        headers={"Authorization": f"Bearer {key}"},
        connections=connections,
    )


def health_read(server: BenchServer, *, connections: int = 32) -> WrkResult:
    """GET /health: no key, no database: everything Accord adds around a handler that does nothing."""
    return run_wrk(f"{server.base_url}/health", headers={}, connections=connections)


def bare_read(base_url: str, *, connections: int = 32) -> WrkResult:
    return run_wrk(f"{base_url}/constant", headers={}, connections=connections)


def latency(url: str, key: str) -> WrkResult:
    """One connection, back to back: latency without queueing."""
    return run_wrk(url, headers={"Authorization": f"Bearer {key}"}, connections=1, seconds=4)
