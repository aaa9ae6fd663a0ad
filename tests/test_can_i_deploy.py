"""Verification tasks, results and can-i-deploy, end to end through the HTTP API."""

from __future__ import annotations

from typing import Any

import pytest


def interaction(
    consumer: str, version: str, provider: str, path: str, status: int = 200, branch: str | None = None
) -> dict[str, Any]:
    item: dict[str, Any] = {
        "consumer": consumer,
        "consumer_version": version,
        "provider": provider,
        "request": {"method": "GET", "path": path},
        "response": {"status": status, "body": {"path": path}},
    }
    if branch:
        item["consumer_branch"] = branch
    return item


class Broker:
    """The calls CI jobs make, for one tenant."""

    def __init__(self, client: Any, tenant: Any) -> None:
        self.client = client
        self.headers = tenant.headers()

    def record(self, *items: dict[str, Any]) -> None:
        response = self.client.post("/api/interactions/batch", json={"items": list(items)}, headers=self.headers)
        assert response.status_code in (200, 201), response.text
        assert response.json()["errors"] == 0, response.text

    def deploy(self, service: str, version: str, environment: str = "production") -> None:
        body = {"service": service, "version": version, "environment": environment}
        response = self.client.post("/api/deployments", json=body, headers=self.headers)
        assert response.status_code in (200, 201), response.text

    def release(self, service: str, version: str, environment: str = "production") -> None:
        body = {"service": service, "version": version, "environment": environment}
        response = self.client.post("/api/releases", json=body, headers=self.headers)
        assert response.status_code in (200, 201), response.text

    def tasks(self, provider: str, **params: str) -> dict[str, Any]:
        response = self.client.get(f"/api/verification/{provider}/tasks", params=params, headers=self.headers)
        assert response.status_code == 200, response.text
        return dict(response.json())

    def verify(self, provider: str, provider_version: str, task: dict[str, Any], *, success: bool = True) -> Any:
        results = [
            {"interaction": i["key"], "success": success, "mismatches": [] if success else [{"attribute": "body"}]}
            for i in task["interactions"]
        ]
        body = {
            "provider_version": provider_version,
            "contract": {"consumer": task["consumer"], "sha": task["sha"]},
            "success": success,
            "results": results,
        }
        return self.client.post(f"/api/verification/{provider}/results", json=body, headers=self.headers)

    def can_i_deploy(self, service: str, version: str, environment: str = "production") -> dict[str, Any]:
        params = {"service": service, "version": version, "environment": environment}
        response = self.client.get("/api/can-i-deploy", params=params, headers=self.headers)
        assert response.status_code == 200, response.text
        return dict(response.json())


@pytest.fixture
def broker(client: Any, tenant_a: Any) -> Broker:
    return Broker(client, tenant_a)


def test_tasks_cover_deployed_released_and_main_branch_consumers_deduplicated(broker: Broker) -> None:
    broker.record(interaction("web", "1", "api", "/a"), interaction("web", "2", "api", "/a"))  # same content
    broker.record(interaction("web", "3", "api", "/b", branch="main"))
    broker.record(interaction("mobile", "7", "api", "/m"))
    broker.deploy("web", "1")
    broker.deploy("web", "2", "staging")
    broker.release("mobile", "7")
    broker.deploy("api", "10")

    tasks = broker.tasks("api", providerVersion="10")["tasks"]

    by_consumer = {(t["consumer"], t["sha"]): t for t in tasks}
    assert len(tasks) == 3
    web_shared = next(t for t in tasks if t["consumer"] == "web" and len(t["consumer_versions"]) == 2)
    assert {(v["number"], v["reason"], v["environment"]) for v in web_shared["consumer_versions"]} == {
        ("1", "deployed", "production"),
        ("2", "deployed", "staging"),
    }
    main = next(t for t in tasks if t["consumer_versions"][0]["reason"] == "main-branch")
    assert main["consumer_versions"][0]["number"] == "3"
    assert [i["request"]["path"] for i in main["interactions"]] == ["/b"]
    assert all(t["verification"] is None for t in by_consumer.values())

    only_staging = broker.tasks("api", environment="staging")["tasks"]
    assert {v["number"] for t in only_staging for v in t["consumer_versions"]} == {"2", "3"}


def test_results_mark_tasks_verified_and_are_validated(broker: Broker, client: Any, tenant_a: Any) -> None:
    broker.record(interaction("web", "1", "api", "/a", branch="main"))
    task = broker.tasks("api")["tasks"][0]

    recorded = broker.verify("api", "10", task)
    assert recorded.status_code == 201, recorded.text
    assert recorded.json()["success"] is True
    assert broker.tasks("api", providerVersion="10")["tasks"][0]["verification"]["success"] is True
    assert broker.tasks("api", providerVersion="11")["tasks"][0]["verification"] is None

    lying = {
        "provider_version": "10",
        "contract": {"consumer": "web", "sha": task["sha"]},
        "success": True,
        "results": [{"interaction": task["interactions"][0]["key"], "success": False}],
    }
    assert client.post("/api/verification/api/results", json=lying, headers=tenant_a.headers()).status_code == 422
    unknown = {**lying, "success": False, "results": [{"interaction": "nope", "success": False}]}
    response = client.post("/api/verification/api/results", json=unknown, headers=tenant_a.headers())
    assert response.status_code == 422
    assert response.json()["errors"][0]["pointer"] == "/results/0/interaction"
    missing = {**lying, "contract": {"consumer": "web", "sha": "0" * 64}, "results": []}
    assert client.post("/api/verification/api/results", json=missing, headers=tenant_a.headers()).status_code == 404

    listed = client.get("/api/verification/api/results", headers=tenant_a.headers()).json()["items"]
    assert [r["provider_version"] for r in listed] == ["10"]
    result_id = listed[0]["id"]
    assert client.get(f"/api/verification/api/results/{result_id}", headers=tenant_a.headers()).status_code == 200
    assert client.get(f"/api/verification/web/results/{result_id}", headers=tenant_a.headers()).status_code == 404


class TestCanIDeploy:
    def test_consumer_needs_a_verified_provider_in_the_environment(self, broker: Broker) -> None:
        broker.record(interaction("web", "1", "api", "/a"))
        broker.deploy("api", "10")

        unknown = broker.can_i_deploy("web", "1")
        assert unknown["deployable"] is None
        assert unknown["rows"][0]["status"] == "unverified"
        assert "api 10 has not verified web 1" in unknown["reason"]

        task = broker.tasks("api")["tasks"]
        assert task == []  # web 1 is neither deployed nor on a main branch yet
        content = broker.client.get("/api/contracts/web/1/api", headers=broker.headers).json()
        result = broker.verify(
            "api", "10", {"consumer": "web", "sha": content["sha"], "interactions": content["interactions"]}
        )
        assert result.status_code == 201

        yes = broker.can_i_deploy("web", "1")
        assert yes["deployable"] is True
        assert yes["summary"] == {"success": 1, "failed": 0, "unknown": 0}
        assert yes["rows"][0]["verification"]["success"] is True

    def test_missing_provider_and_failed_verification_say_no(self, broker: Broker) -> None:
        broker.record(interaction("web", "1", "api", "/a", branch="main"))
        broker.deploy("other", "1")
        absent = broker.can_i_deploy("web", "1")
        assert absent["deployable"] is False
        assert absent["rows"][0]["status"] == "provider-absent"
        assert "api is not deployed" in absent["reason"]

        broker.deploy("api", "10")
        task = broker.tasks("api")["tasks"][0]
        assert broker.verify("api", "10", task, success=False).status_code == 201
        failed = broker.can_i_deploy("web", "1")
        assert failed["deployable"] is False
        assert failed["rows"][0]["status"] == "failed"

    def test_provider_must_have_verified_every_deployed_consumer(self, broker: Broker) -> None:
        broker.record(interaction("web", "1", "api", "/a"), interaction("mobile", "5", "api", "/m"))
        broker.deploy("web", "1")
        broker.release("mobile", "5")
        tasks = broker.tasks("api")["tasks"]
        assert len(tasks) == 2

        broker.verify("api", "11", tasks[0])
        partial = broker.can_i_deploy("api", "11")
        assert partial["deployable"] is None
        assert partial["summary"] == {"success": 1, "failed": 0, "unknown": 1}
        assert {row["role"] for row in partial["rows"]} == {"provider"}

        broker.verify("api", "11", tasks[1])
        assert broker.can_i_deploy("api", "11")["deployable"] is True

    def test_one_verification_covers_every_version_with_the_same_contract(self, broker: Broker) -> None:
        broker.record(interaction("web", "1", "api", "/a", branch="main"))
        broker.deploy("api", "10")
        broker.verify("api", "10", broker.tasks("api")["tasks"][0])
        broker.record(interaction("web", "2", "api", "/a"))  # same interactions, new version
        assert broker.can_i_deploy("web", "2")["deployable"] is True

    def test_no_integrations_is_deployable(self, broker: Broker, client: Any, tenant_a: Any) -> None:
        broker.deploy("lonely", "1", "production")
        answer = broker.can_i_deploy("lonely", "1")
        assert answer["deployable"] is True
        assert answer["rows"] == []

    def test_unknown_version_or_environment_is_404(self, broker: Broker, client: Any, tenant_a: Any) -> None:
        broker.deploy("web", "1")
        params = {"service": "web", "version": "9", "environment": "production"}
        assert client.get("/api/can-i-deploy", params=params, headers=tenant_a.headers()).status_code == 404
        params = {"service": "web", "version": "1", "environment": "nowhere"}
        assert client.get("/api/can-i-deploy", params=params, headers=tenant_a.headers()).status_code == 404
        missing = client.get("/api/can-i-deploy", params={"service": "web"}, headers=tenant_a.headers())
        assert missing.status_code == 422
        assert missing.json()["errors"][0]["parameter"] in ("query.version", "query.environment")

    def test_is_a_read(self, broker: Broker, client: Any, tenant_a: Any) -> None:
        broker.record(interaction("web", "1", "api", "/a"))
        broker.deploy("api", "10")
        before = client.get("/api/dashboard/counts", headers=tenant_a.headers()).json()
        broker.can_i_deploy("web", "1")
        assert client.get("/api/dashboard/counts", headers=tenant_a.headers()).json() == before


def test_compact_tasks_link_their_contents_instead_of_inlining_them(broker: Broker, client: Any, tenant_a: Any) -> None:
    broker.record(interaction("web", "1", "api", "/a", branch="main"))
    inline = broker.tasks("api")["tasks"]
    linked = broker.tasks("api", interactions="link")["tasks"]
    assert [t["sha"] for t in linked] == [t["sha"] for t in inline]
    assert linked[0]["interactions"] == []
    assert linked[0]["content_url"] == inline[0]["content_url"]
    content = client.get(linked[0]["content_url"], headers=tenant_a.headers())
    assert content.status_code == 200, content.text
    assert content.json()["sha"] == inline[0]["sha"]
    assert content.json()["content"]["interactions"] == inline[0]["interactions"]


def test_the_matrix_pages_by_row_so_verdicts_never_grow_a_page(broker: Broker, client: Any, tenant_a: Any) -> None:
    broker.record(interaction("web", "1", "api", "/a", branch="main"))
    task = broker.tasks("api")["tasks"][0]
    for provider_version in ("10", "11", "12"):
        assert broker.verify("api", provider_version, task).status_code == 201
    broker.record(interaction("web", "2", "api", "/b", branch="main"))
    seen: list[tuple[str, str | None]] = []
    params = {"consumer": "web", "provider": "api", "limit": "2"}
    for _ in range(3):
        page = client.get("/api/matrix", params=params, headers=tenant_a.headers()).json()
        assert len(page["items"]) <= 2
        seen += [(row["consumer_version"], row["provider_version"]) for row in page["items"]]
        if page["next_cursor"] is None:
            break
        params["cursor"] = page["next_cursor"]
    assert page["next_cursor"] is None
    assert seen == [("2", None), ("1", "12"), ("1", "11"), ("1", "10")]


def test_dashboards(broker: Broker, client: Any, tenant_a: Any) -> None:
    broker.record(interaction("web", "1", "api", "/a", branch="main"))
    broker.record(interaction("web", "2", "api", "/b", branch="main"))
    broker.deploy("api", "10")
    task = broker.tasks("api")["tasks"][0]
    broker.verify("api", "10", task)

    integrations = client.get("/api/dashboard/integrations", headers=tenant_a.headers()).json()
    assert integrations == [
        {
            "consumer": "web",
            "provider": "api",
            "latest_consumer_version": "2",
            "contract_sha": task["sha"],
            "status": "verified",
            "provider_version": "10",
            "verified_at": integrations[0]["verified_at"],
        }
    ]
    matrix = client.get("/api/matrix", params={"consumer": "web", "provider": "api"}, headers=tenant_a.headers()).json()
    assert [(r["consumer_version"], r["provider_version"], r["success"]) for r in matrix["items"]] == [
        ("2", "10", True),
        ("1", None, None),
    ]
    history = client.get("/api/services/api/history", headers=tenant_a.headers()).json()["items"]
    assert [e["kind"] for e in history][:2] == ["verified", "deployed"]
    counts = client.get("/api/dashboard/counts", headers=tenant_a.headers()).json()
    assert counts["services"] == 2
    assert counts["verifications"] == 1
    assert counts["interactions"] == 2


def test_isolation(broker: Broker, client: Any, tenant_b: Any) -> None:
    broker.record(interaction("web", "1", "api", "/a", branch="main"))
    broker.deploy("api", "10")
    task = broker.tasks("api")["tasks"][0]
    broker.verify("api", "10", task)
    b = tenant_b.headers()
    assert client.get("/api/verification/api/tasks", headers=b).status_code == 404
    assert client.get("/api/verification/api/results", headers=b).status_code == 404
    assert (
        client.post(
            "/api/verification/api/results",
            json={"provider_version": "1", "contract": {"consumer": "web", "sha": task["sha"]}, "success": True},
            headers=b,
        ).status_code
        == 404
    )
    params = {"service": "web", "version": "1", "environment": "production"}
    assert client.get("/api/can-i-deploy", params=params, headers=b).status_code == 404
    assert client.get("/api/matrix", params={"consumer": "web", "provider": "api"}, headers=b).status_code == 404
    assert client.get("/api/dashboard/integrations", headers=b).json() == []
    assert client.get("/api/dashboard/counts", headers=b).json()["verifications"] == 0
    assert client.get("/api/services/api/history", headers=b).status_code == 404
