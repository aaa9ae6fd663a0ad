"""`accord demo --size`: a deterministic, resumable broker history that the API reads like any other."""

from __future__ import annotations

from typing import Any

from accord.demo.history import HistoryGenerator
from accord.demo.sizes import SIZES
from accord.exchanges.normalize import contract_sha

SMALL = SIZES["small"]


def _counts(client: Any, tenant: Any) -> dict[str, int]:
    return dict(client.get("/api/dashboard/counts", headers=tenant.headers()).json())


def test_small_history_has_the_promised_shape_and_is_resumable(client: Any, run: Any, tenant_a: Any) -> None:
    steps: list[str] = []
    run(HistoryGenerator(tenant_a.id).generate, SMALL, steps.append)
    counts = _counts(client, tenant_a)
    assert counts["services"] == SMALL.services
    assert counts["versions"] == SMALL.versions
    assert counts["interactions"] == SMALL.interactions
    assert counts["verifications"] == SMALL.verifications
    assert counts["environments"] == 3
    assert len(steps) == len(HistoryGenerator(tenant_a.id).steps(SMALL))

    run(HistoryGenerator(tenant_a.id).generate, SMALL, lambda _: None)  # a second run adds nothing
    assert _counts(client, tenant_a) == counts


def test_generated_contracts_hash_like_recorded_ones(client: Any, run: Any, tenant_a: Any) -> None:
    run(HistoryGenerator(tenant_a.id).generate, SMALL, lambda _: None)
    contract = client.get("/api/contracts/consumer-001/1.1.0/provider-001", headers=tenant_a.headers()).json()
    keys = [interaction["key"] for interaction in contract["interactions"]]
    assert len(keys) == SMALL.interactions_per_content
    assert contract["sha"] == contract_sha(keys)
    later = client.get("/api/contracts/consumer-001/1.5.0/provider-001", headers=tenant_a.headers()).json()
    assert later["sha"] == contract["sha"]  # same block of versions, same content


def test_generated_history_answers_can_i_deploy(client: Any, run: Any, tenant_a: Any, tenant_b: Any) -> None:
    run(HistoryGenerator(tenant_a.id).generate, SMALL, lambda _: None)
    newest = f"1.{SMALL.versions_per_service}.0"
    params = {"service": "consumer-001", "version": newest, "environment": "production"}
    answer = client.get("/api/can-i-deploy", params=params, headers=tenant_a.headers()).json()
    assert answer["deployable"] in (True, False)
    assert {row["provider"] for row in answer["rows"]} == {"provider-001", "provider-002"}
    assert _counts(client, tenant_b)["interactions"] == 0  # nothing leaks into another tenant
