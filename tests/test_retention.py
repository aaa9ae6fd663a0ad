"""Retention (`accord clean`): each keep rule, what goes with a removed version, dry runs, concurrent runs,
tenant isolation. Against the real database; ages are set by moving `created_at` back."""

from __future__ import annotations

import asyncio
import json
import os
from typing import Any

import asyncpg
import pytest

from accord.retention.lock import clean_lock
from accord.retention.schemas import CleanReport, KeepRules
from accord.retention.service import CleanAlreadyRunning, RetentionService
from tests.test_cli import accord

OLD = 200  # days: older than any rule in these tests keeps


def publish(client: Any, tenant: Any, version: str, *, branch: str | None = None, service: str = "web") -> None:
    body: dict[str, Any] = {
        "consumer": service,
        "consumer_version": version,
        "provider": "orders",
        "interactions": [
            {"request": {"method": "GET", "path": f"/orders/{version}"}, "response": {"status": 200}},
        ],
    }
    if branch is not None:
        body["consumer_branch"] = branch
    response = client.post("/api/contracts", json=body, headers=tenant.headers())
    assert response.status_code in (200, 201), response.text


def record(client: Any, tenant: Any, version: str, path: str) -> None:
    body = {
        "consumer": "web",
        "consumer_version": version,
        "provider": "orders",
        "request": {"method": "GET", "path": path},
        "response": {"status": 200, "body": {"path": path}},
    }
    response = client.post("/api/interactions", json=body, headers=tenant.headers())
    assert response.status_code == 201, response.text


async def _sql(statement: str, *args: Any) -> list[dict[str, Any]]:
    connection = await asyncpg.connect(os.environ["DATABASE_URL"])
    try:
        return [dict(row) for row in await connection.fetch(statement, *args)]
    finally:
        await connection.close()


def sql(run: Any, statement: str, *args: Any) -> list[dict[str, Any]]:
    return list(run(_sql, statement, *args))


def age(run: Any, tenant: Any, days: float, *, versions: tuple[str, ...] | None = None) -> None:
    """Move the tenant's rows (or only the named versions) `days` into the past."""
    if versions is None:
        for table in ("service_version", "contract_content", "request_vector"):
            sql(
                run,
                f"UPDATE {table} SET created_at = now() - make_interval(days => $2) WHERE tenant = $1",
                tenant.id,
                days,
            )
    else:
        sql(
            run,
            "UPDATE service_version SET created_at = now() - make_interval(days => $2) "
            "WHERE tenant = $1 AND number = ANY($3)",
            tenant.id,
            days,
            list(versions),
        )


def versions(run: Any, tenant: Any, service: str = "web") -> set[str]:
    rows = sql(
        run,
        "SELECT v.number FROM service_version v JOIN service s ON s.id = v.service WHERE v.tenant = $1 AND s.name = $2",
        tenant.id,
        service,
    )
    return {row["number"] for row in rows}


def count(run: Any, table: str, tenant: Any) -> int:
    return int(sql(run, f"SELECT count(*) AS n FROM {table} WHERE tenant = $1", tenant.id)[0]["n"])


def clean(
    run: Any, *, dry_run: bool = False, latest: int = 0, days: float = 90, slug: str | None = None
) -> CleanReport:
    service = RetentionService(KeepRules(latest_per_branch=latest, younger_than_days=days))
    report: CleanReport = run(service.clean, dry_run, True, slug)
    return report


class TestKeepRules:
    def test_latest_n_per_branch_are_kept_and_older_ones_go_with_their_contracts(
        self, client: Any, run: Any, tenant_a: Any
    ) -> None:
        for number in ("1", "2", "3", "4", "5"):
            publish(client, tenant_a, number, branch="feature")
        age(run, tenant_a, OLD)

        report = clean(run, latest=2)

        assert versions(run, tenant_a) == {"4", "5"}
        removed = report.tenants[0].removed
        assert (removed.versions, removed.contract_publications, removed.contract_contents) == (3, 3, 3)
        assert removed.branch_versions == 3
        assert count(run, "contract_publication", tenant_a) == 2
        assert count(run, "contract_content", tenant_a) == 2
        assert count(run, "branch_version", tenant_a) == 2

    def test_the_main_branch_head_is_kept(self, client: Any, run: Any, tenant_a: Any) -> None:
        for number, branch in (("m1", "main"), ("m2", "main"), ("f1", "feature"), ("f2", "feature")):
            publish(client, tenant_a, number, branch=branch)
        age(run, tenant_a, OLD)

        clean(run, latest=0)

        # m2: main's head; f2: the service's latest version.
        assert versions(run, tenant_a) == {"m2", "f2"}

    def test_versions_currently_deployed_or_released_are_kept(self, client: Any, run: Any, tenant_a: Any) -> None:
        h = tenant_a.headers()
        for number in ("1", "2", "3", "4", "5"):
            publish(client, tenant_a, number, branch="feature")
        assert (
            client.post(
                "/api/deployments", json={"service": "web", "version": "1", "environment": "prod"}, headers=h
            ).status_code
            == 201
        )
        assert (
            client.post(
                "/api/releases", json={"service": "web", "version": "2", "environment": "store"}, headers=h
            ).status_code
            == 201
        )
        # 3 was deployed to test, then replaced there by 4: no longer deployed anywhere.
        for number in ("3", "4"):
            deployed = client.post(
                "/api/deployments", json={"service": "web", "version": number, "environment": "test"}, headers=h
            )
            assert deployed.status_code == 201
        age(run, tenant_a, OLD)

        report = clean(run, latest=0)

        assert versions(run, tenant_a) == {"1", "2", "4", "5"}
        assert report.tenants[0].removed.deployments == 1  # 3's deployment history went with it
        assert count(run, "deployment", tenant_a) == 2

    def test_everything_younger_than_the_age_limit_is_kept(self, client: Any, run: Any, tenant_a: Any) -> None:
        for number in ("1", "2", "3"):
            publish(client, tenant_a, number)
        age(run, tenant_a, OLD, versions=("1",))
        age(run, tenant_a, 10, versions=("2",))

        clean(run, latest=0, days=30)
        assert versions(run, tenant_a) == {"2", "3"}

        clean(run, latest=0, days=5)
        assert versions(run, tenant_a) == {"3"}

    def test_interactions_and_request_vectors_nothing_uses_go_shared_ones_stay(
        self, client: Any, run: Any, tenant_a: Any
    ) -> None:
        record(client, tenant_a, "1", "/only-old")
        record(client, tenant_a, "1", "/shared")
        record(client, tenant_a, "2", "/shared")
        assert count(run, "request_vector", tenant_a) == 2
        age(run, tenant_a, OLD)

        report = clean(run, latest=0)

        assert versions(run, tenant_a) == {"2"}
        removed = report.tenants[0].removed
        assert (removed.interactions, removed.request_vectors) == (2, 1)
        assert count(run, "interaction", tenant_a) == 1
        assert count(run, "request_vector", tenant_a) == 1
        listed = client.get("/api/interactions", headers=tenant_a.headers()).json()["items"]
        assert [item["request"]["path"] for item in listed] == ["/shared"]

    def test_verifications_of_removed_contents_go_too(self, client: Any, run: Any, tenant_a: Any) -> None:
        for number in ("1", "2"):
            publish(client, tenant_a, number)
        h = tenant_a.headers()
        contract = client.get("/api/contracts/web/1/orders", headers=h).json()
        body = {"provider_version": "p1", "contract": {"consumer": "web", "sha": contract["sha"]}, "success": True}
        verified = client.post("/api/verification/orders/results", json=body, headers=h)
        assert verified.status_code in (200, 201), verified.text
        age(run, tenant_a, OLD)

        report = clean(run, latest=0)

        assert versions(run, tenant_a) == {"2"}
        assert versions(run, tenant_a, "orders") == {"p1"}  # the provider's latest version
        assert report.tenants[0].removed.verification_results == 1
        assert count(run, "verification_result", tenant_a) == 0


class TestDryRun:
    def test_a_dry_run_changes_nothing_and_counts_what_a_real_run_removes(
        self, client: Any, run: Any, tenant_a: Any
    ) -> None:
        for number in ("1", "2", "3", "4"):
            publish(client, tenant_a, number, branch="feature")
            record(client, tenant_a, number, f"/recorded/{number}")
        age(run, tenant_a, OLD)
        tables = ("service_version", "contract_content", "contract_publication", "interaction", "request_vector")
        before = {table: count(run, table, tenant_a) for table in tables}

        dry = clean(run, dry_run=True, latest=1)

        assert {table: count(run, table, tenant_a) for table in tables} == before
        assert dry.dry_run
        assert dry.tenants[0].removed.versions == 3
        real = clean(run, latest=1)
        assert real.tenants[0].removed == dry.tenants[0].removed
        assert count(run, "service_version", tenant_a) == 1

    def test_the_command_prints_counts_per_kind(self, client: Any, run: Any, tenant_a: Any) -> None:
        for number in ("1", "2", "3"):
            publish(client, tenant_a, number, branch="feature")
        age(run, tenant_a, OLD)

        printed = accord("clean", "--dry-run", "--keep-latest", "1")
        assert printed.returncode == 0, printed.stderr
        assert "tenant-a: would remove 2 versions" in printed.stdout
        assert "  contract publications: 2" in printed.stdout
        as_json = json.loads(accord("clean", "--dry-run", "--keep-latest", "1", "--json").stdout)
        assert as_json["dry_run"] is True
        assert versions(run, tenant_a) == {"1", "2", "3"}

        removed = accord("clean", "--keep-latest", "1", "--keep-days", "30")
        assert removed.returncode == 0, removed.stderr
        assert "tenant-a: removed 2 versions" in removed.stdout
        assert versions(run, tenant_a) == {"3"}


class TestConcurrency:
    def test_two_concurrent_cleans_remove_everything_once_without_errors(
        self, client: Any, run: Any, tenant_a: Any
    ) -> None:
        for number in range(12):
            publish(client, tenant_a, str(number), branch="feature")
        age(run, tenant_a, OLD)
        service = RetentionService(KeepRules(latest_per_branch=2, younger_than_days=90))

        async def both() -> list[CleanReport]:
            return list(await asyncio.gather(service.clean(dry_run=False), service.clean(dry_run=False)))

        reports = run(both)

        assert sorted(report.tenants[0].removed.versions for report in reports) == [0, 10]
        assert versions(run, tenant_a) == {"10", "11"}

    def test_the_scheduled_clean_skips_while_another_process_cleans(self, run: Any, tenant_a: Any) -> None:
        service = RetentionService(KeepRules())

        async def while_locked() -> None:
            async with clean_lock(wait=True):
                with pytest.raises(CleanAlreadyRunning):
                    await service.clean(dry_run=True, wait=False)
            report = await service.clean(dry_run=True, wait=False)
            assert [tenant.tenant for tenant in report.tenants] == ["tenant-a"]

        run(while_locked)

    def test_publishing_during_a_clean_is_kept_whole(self, client: Any, run: Any, tenant_a: Any) -> None:
        for number in range(6):
            publish(client, tenant_a, str(number), branch="feature")
        age(run, tenant_a, OLD)

        async def clean_while_deploying() -> None:
            service = RetentionService(KeepRules(latest_per_branch=1, younger_than_days=90))
            await asyncio.gather(service.clean(dry_run=False), asyncio.to_thread(deploy_old))

        def deploy_old() -> None:
            body = {"service": "web", "version": "0", "environment": "prod"}
            assert client.post("/api/deployments", json=body, headers=tenant_a.headers()).status_code in (200, 201)

        run(clean_while_deploying)
        remaining = versions(run, tenant_a)
        assert "5" in remaining
        # Either the deployment came first and kept 0, or the clean did and the deployment made 0 again.
        assert "0" in remaining
        assert count(run, "deployment", tenant_a) == 1


class TestTenantIsolation:
    def test_one_tenants_rules_and_clean_never_touch_another(
        self, client: Any, run: Any, tenant_a: Any, tenant_b: Any
    ) -> None:
        for tenant in (tenant_a, tenant_b):
            for number in ("1", "2", "3"):
                publish(client, tenant, number, branch="feature")
            age(run, tenant, OLD)
        # B's deployment of 1 keeps B's version 1, not A's.
        deployed = client.post(
            "/api/deployments",
            json={"service": "web", "version": "1", "environment": "prod"},
            headers=tenant_b.headers(),
        )
        assert deployed.status_code == 201

        only_a = clean(run, latest=1, slug="tenant-a")
        assert [tenant.tenant for tenant in only_a.tenants] == ["tenant-a"]
        assert versions(run, tenant_a) == {"3"}
        assert versions(run, tenant_b) == {"1", "2", "3"}

        clean(run, latest=1)
        assert versions(run, tenant_b) == {"1", "3"}
        assert count(run, "contract_content", tenant_b) == 2


class TestSchedule:
    def test_a_scheduled_round_cleans_and_skips_while_another_process_cleans(
        self, client: Any, run: Any, tenant_a: Any
    ) -> None:
        from accord.retention.scheduler import RetentionScheduler

        for number in ("1", "2"):
            publish(client, tenant_a, number)
        age(run, tenant_a, OLD)
        scheduler = RetentionScheduler(KeepRules(latest_per_branch=0), interval_seconds=3600)

        async def round_while_locked() -> None:
            async with clean_lock(wait=True):
                await scheduler.run_once()

        run(round_while_locked)
        assert versions(run, tenant_a) == {"1", "2"}
        run(scheduler.run_once)
        assert versions(run, tenant_a) == {"2"}

    def test_the_schedule_is_off_by_default(self) -> None:
        from accord.settings import load_settings

        assert load_settings({}).retention_interval_hours == 0
        assert load_settings({"ACCORD_RETENTION_INTERVAL_HOURS": "24"}).retention_interval_hours == 24


class TestWebhookHistory:
    """Events and webhook history go after ACCORD_WEBHOOK_HISTORY_DAYS, once nothing is left to deliver."""

    @staticmethod
    def history(run: Any, tenant: Any) -> dict[str, str]:
        """A tenant's webhook history, rows of each age and state a clean tells apart: {label: id}. The webhook
        is disabled and hears nothing, so the running worker leaves these rows alone."""
        webhook = sql(
            run,
            "INSERT INTO webhook (id, tenant, description, enabled, events, method, url, headers, body_is_json, "
            "secret, created_at, updated_at) VALUES (gen_random_uuid(), $1, '', false, '[]', 'POST', "
            "'https://ci.example.com/', '{}', false, $2, now(), now()) RETURNING id",
            tenant.id,
            "s" * 32,
        )[0]["id"]
        ids: dict[str, str] = {}

        def event(label: str, *, days: float, fanned_out: bool) -> Any:
            ids[label] = sql(
                run,
                "INSERT INTO event (id, tenant, name, subject, fanned_out, created_at, updated_at) VALUES "
                "(gen_random_uuid(), $1, 'contract_published', '{}', $2, now() - make_interval(days => $3), now()) "
                "RETURNING id",
                tenant.id,
                fanned_out,
                days,
            )[0]["id"]
            return ids[label]

        def delivery(label: str, event_id: Any, *, status: str) -> Any:
            ids[label] = sql(
                run,
                "INSERT INTO webhook_delivery (id, tenant, webhook, event, status, attempts, next_attempt_at, "
                "created_at, updated_at) VALUES (gen_random_uuid(), $1, $2, $3, $4, 1, now(), "
                "now() - make_interval(days => 60), now()) RETURNING id",
                tenant.id,
                webhook,
                event_id,
                status,
            )[0]["id"]
            return ids[label]

        def attempt(label: str, delivery_id: Any, *, days: float) -> None:
            ids[label] = sql(
                run,
                "INSERT INTO webhook_attempt (id, tenant, webhook, delivery, attempt, request, response_excerpt, "
                "error, duration_ms, success, created_at, updated_at) VALUES (gen_random_uuid(), $1, $2, $3, 1, "
                "'{}', '', '', 5, true, now() - make_interval(days => $4), now()) RETURNING id",
                tenant.id,
                webhook,
                delivery_id,
                days,
            )[0]["id"]

        delivered = delivery("delivered", event("old delivered event", days=60, fanned_out=True), status="succeeded")
        attempt("attempt of the delivered event", delivered, days=1)  # goes with its delivery, however young
        retrying = delivery("retrying", event("old event still delivering", days=60, fanned_out=True), status="pending")
        attempt("old attempt of the retrying delivery", retrying, days=60)
        event("old event not fanned out", days=60, fanned_out=False)
        event("young event", days=1, fanned_out=True)
        attempt("old test run", None, days=60)
        attempt("young test run", None, days=1)
        return ids

    @staticmethod
    def remaining(run: Any, tenant: Any) -> set[str]:
        rows = sql(
            run,
            "SELECT id::text FROM event WHERE tenant = $1 UNION ALL SELECT id::text FROM webhook_delivery "
            "WHERE tenant = $1 UNION ALL SELECT id::text FROM webhook_attempt WHERE tenant = $1",
            tenant.id,
        )
        return {row["id"] for row in rows}

    def test_old_delivered_events_go_with_their_deliveries_and_old_attempts_go(
        self, client: Any, run: Any, tenant_a: Any, tenant_b: Any
    ) -> None:
        ids = self.history(run, tenant_a)
        other = self.history(run, tenant_b)
        service = RetentionService(KeepRules(webhook_history_days=30))

        dry: CleanReport = run(service.clean, True, True, "tenant-a")
        removed = dry.tenants[0].removed
        assert (removed.events, removed.webhook_deliveries, removed.webhook_attempts) == (1, 1, 3)
        assert len(self.remaining(run, tenant_a)) == len(ids)  # a dry run changes nothing

        real: CleanReport = run(service.clean, False, True, "tenant-a")
        assert real.tenants[0].removed == removed
        kept = {label for label, row_id in ids.items() if str(row_id) in self.remaining(run, tenant_a)}
        assert kept == {
            "old event still delivering",
            "retrying",
            "old event not fanned out",
            "young event",
            "young test run",
        }
        # The other tenant's history is untouched.
        assert self.remaining(run, tenant_b) == {str(row_id) for row_id in other.values()}

    def test_the_age_comes_from_the_setting(self) -> None:
        from accord.settings import load_settings

        assert load_settings({}).webhook_history_days == 30
        assert load_settings({"ACCORD_WEBHOOK_HISTORY_DAYS": "7"}).webhook_history_days == 7
