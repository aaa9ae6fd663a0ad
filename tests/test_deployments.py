"""/api/deployments and /api/releases: recording, replacing, undeploying, history, isolation, races."""

from __future__ import annotations

import asyncio
import itertools
import uuid
from typing import Any

import pytest

from accord.composition import presence_service
from accord.deployments.presence import DEPLOYED, RELEASED

NOT_FOUND = "urn:accord:problem:not-found"
INVALID = "urn:accord:problem:validation-failed"


def deploy(client: Any, headers: dict[str, str], version: str, /, **fields: Any) -> Any:
    body = {"service": "web", "environment": "prod", "version": version} | fields
    return client.post("/api/deployments", json=body, headers=headers)


def release(client: Any, headers: dict[str, str], version: str, /, **fields: Any) -> Any:
    body = {"service": "app", "environment": "store", "version": version} | fields
    return client.post("/api/releases", json=body, headers=headers)


class TestRecordDeployment:
    def test_records_and_auto_creates_service_version_branch_and_environment(self, client: Any, tenant_a: Any) -> None:
        h = tenant_a.headers(tenant_a.write_key)
        response = deploy(client, h, "1.0.0", deployed_by="ci", branch="main")
        assert response.status_code == 201, response.text
        body = response.json()
        assert {k: v for k, v in body.items() if k not in ("id", "deployed_at")} == {
            "service": "web",
            "version": "1.0.0",
            "environment": "prod",
            "application_instance": "",
            "deployed_by": "ci",
            "undeployed_at": None,
            "currently_deployed": True,
        }
        assert client.get("/api/services/web/versions/1.0.0", headers=h).json()["branches"] == ["main"]
        assert client.get("/api/environments/prod", headers=h).json()["production"] is False
        assert client.get(f"/api/deployments/{body['id']}", headers=tenant_a.headers(tenant_a.read_key)).json() == body

    def test_same_version_again_is_200_and_unchanged(self, client: Any, tenant_a: Any) -> None:
        h = tenant_a.headers()
        first = deploy(client, h, "1", deployed_by="alice")
        again = deploy(client, h, "1", deployed_by="bob")
        assert again.status_code == 200
        assert again.json() == first.json()
        assert len(client.get("/api/deployments", headers=h).json()["items"]) == 1

    def test_a_new_version_replaces_the_previous_one(self, client: Any, tenant_a: Any) -> None:
        h = tenant_a.headers()
        first = deploy(client, h, "1").json()
        second = deploy(client, h, "2")
        assert second.status_code == 201
        previous = client.get(f"/api/deployments/{first['id']}", headers=h).json()
        assert previous["currently_deployed"] is False
        assert previous["undeployed_at"] == second.json()["deployed_at"]
        assert second.json()["currently_deployed"] is True
        # Going back to version 1 is a new deployment, not the old row revived.
        third = deploy(client, h, "1")
        assert third.status_code == 201
        assert third.json()["id"] != first["id"]
        current = client.get("/api/deployments", params={"currently_deployed": "true"}, headers=h).json()["items"]
        assert [d["id"] for d in current] == [third.json()["id"]]

    def test_application_instances_and_services_are_independent(self, client: Any, tenant_a: Any) -> None:
        h = tenant_a.headers()
        blue = deploy(client, h, "1", application_instance="blue").json()
        green = deploy(client, h, "2", application_instance="green").json()
        default = deploy(client, h, "3").json()
        other = deploy(client, h, "9", service="api").json()
        deploy(client, h, "4", application_instance="blue")
        assert client.get(f"/api/deployments/{blue['id']}", headers=h).json()["currently_deployed"] is False
        for untouched in (green, default, other):
            assert client.get(f"/api/deployments/{untouched['id']}", headers=h).json()["currently_deployed"] is True

        deployed = client.get("/api/environments/prod/deployed", headers=h).json()
        assert [(d["service"], d["application_instance"], d["version"]) for d in deployed["items"]] == [
            ("api", "", "9"),
            ("web", "", "3"),
            ("web", "blue", "4"),
            ("web", "green", "2"),
        ]
        assert deployed["items"][3]["deployment_id"] == green["id"]

    @pytest.mark.parametrize(
        ("fields", "pointer"),
        [
            ({"environment": "has space"}, "/environment"),
            ({"environment": "a/b"}, "/environment"),
            ({"service": ""}, "/service"),
            ({"version": "1/2"}, "/version"),
            ({"application_instance": "a b"}, "/application_instance"),
            ({"application_instance": "x" * 256}, "/application_instance"),
            ({"deployed_by": ""}, "/deployed_by"),
            ({"branch": "has space"}, "/branch"),
        ],
    )
    def test_invalid_input_is_422_with_a_pointer(
        self, client: Any, tenant_a: Any, fields: dict[str, Any], pointer: str
    ) -> None:
        response = deploy(client, tenant_a.headers(), "1", **fields)
        assert response.status_code == 422
        assert response.json()["type"] == INVALID
        assert response.json()["errors"][0]["pointer"] == pointer
        assert client.get("/api/deployments", headers=tenant_a.headers()).json()["items"] == []

    def test_unknown_fields_are_refused(self, client: Any, tenant_a: Any) -> None:
        h = tenant_a.headers()
        assert deploy(client, h, "1", tenant=str(tenant_a.id)).status_code == 422
        missing = client.post("/api/deployments", json={"service": "web", "version": "1"}, headers=h)
        assert missing.status_code == 422


class TestUndeploy:
    def test_by_id_is_idempotent(self, client: Any, tenant_a: Any) -> None:
        h = tenant_a.headers()
        deployment = deploy(client, h, "1").json()
        first = client.post(f"/api/deployments/{deployment['id']}/undeploy", headers=h)
        assert first.status_code == 200
        assert first.json()["currently_deployed"] is False
        assert first.json()["undeployed_at"] is not None
        again = client.post(f"/api/deployments/{deployment['id']}/undeploy", headers=h)
        assert again.status_code == 200
        assert again.json() == first.json()
        assert client.get("/api/environments/prod/deployed", headers=h).json()["items"] == []
        # Deploying the same version afterwards is a new deployment.
        assert deploy(client, h, "1").status_code == 201

    def test_by_target_is_idempotent(self, client: Any, tenant_a: Any) -> None:
        h = tenant_a.headers()
        deploy(client, h, "1")
        blue = deploy(client, h, "2", application_instance="blue").json()
        target = {"service": "web", "environment": "prod", "application_instance": "blue"}
        first = client.post("/api/deployments/undeploy", json=target, headers=h)
        assert first.status_code == 200
        assert first.json()["id"] == blue["id"]
        assert first.json()["currently_deployed"] is False
        again = client.post("/api/deployments/undeploy", json=target, headers=h)
        assert again.status_code == 200
        assert again.json() == first.json()
        deployed = client.get("/api/environments/prod/deployed", headers=h).json()["items"]
        assert [(d["version"], d["application_instance"]) for d in deployed] == [("1", "")]

    def test_404_when_nothing_was_deployed(self, client: Any, tenant_a: Any) -> None:
        h = tenant_a.headers()
        deploy(client, h, "1")
        client.post("/api/environments", json={"name": "test"}, headers=h)
        for target in (
            {"service": "web", "environment": "prod", "application_instance": "blue"},
            {"service": "web", "environment": "test"},
            {"service": "web", "environment": "nowhere"},
            {"service": "nobody", "environment": "prod"},
        ):
            response = client.post("/api/deployments/undeploy", json=target, headers=h)
            assert response.status_code == 404, target
            assert response.json()["type"] == NOT_FOUND
        assert client.post(f"/api/deployments/{uuid.uuid4()}/undeploy", headers=h).status_code == 404
        assert client.get(f"/api/deployments/{uuid.uuid4()}", headers=h).status_code == 404
        assert client.get("/api/environments/nowhere/deployed", headers=h).status_code == 404

    def test_invalid_target_is_422(self, client: Any, tenant_a: Any) -> None:
        response = client.post(
            "/api/deployments/undeploy", json={"service": "web", "environment": "a b"}, headers=tenant_a.headers()
        )
        assert response.status_code == 422
        assert response.json()["errors"][0]["pointer"] == "/environment"


class TestDeploymentHistory:
    def test_newest_first_with_filters_and_pages(self, client: Any, tenant_a: Any) -> None:
        h = tenant_a.headers()
        for version in ("1", "2", "3"):
            deploy(client, h, version)
        deploy(client, h, "1", environment="test")
        deploy(client, h, "7", service="api")

        seen, cursor = [], None
        while True:
            params: dict[str, Any] = {"limit": 2} | ({"cursor": cursor} if cursor else {})
            page = client.get("/api/deployments", params=params, headers=h).json()
            seen += [(d["service"], d["version"], d["environment"]) for d in page["items"]]
            if not (cursor := page["next_cursor"]):
                break
        assert seen == [
            ("api", "7", "prod"),
            ("web", "1", "test"),
            ("web", "3", "prod"),
            ("web", "2", "prod"),
            ("web", "1", "prod"),
        ]

        def versions(**params: Any) -> list[str]:
            return [d["version"] for d in client.get("/api/deployments", params=params, headers=h).json()["items"]]

        assert versions(service="web", environment="prod") == ["3", "2", "1"]
        assert versions(version="1") == ["1", "1"]
        assert versions(service="web", currently_deployed="true") == ["1", "3"]
        assert versions(environment="prod", currently_deployed="false") == ["2", "1"]
        assert versions(service="nobody") == []

    def test_deployed_in_environment_pages_and_filters(self, client: Any, tenant_a: Any) -> None:
        h = tenant_a.headers()
        for service in ("a", "b", "c"):
            deploy(client, h, "1", service=service)
        first = client.get("/api/environments/prod/deployed", params={"limit": 2}, headers=h).json()
        rest = client.get("/api/environments/prod/deployed", params={"cursor": first["next_cursor"]}, headers=h).json()
        assert [d["service"] for d in first["items"] + rest["items"]] == ["a", "b", "c"]
        assert rest["next_cursor"] is None
        only_b = client.get("/api/environments/prod/deployed", params={"service": "b"}, headers=h).json()["items"]
        assert [d["service"] for d in only_b] == ["b"]

    def test_bad_query_parameters_are_422(self, client: Any, tenant_a: Any) -> None:
        h = tenant_a.headers()
        tampered = client.get("/api/deployments", params={"cursor": "bm90IGEgY3Vyc29y"}, headers=h)
        assert tampered.status_code == 422
        assert tampered.json()["errors"][0]["parameter"] == "cursor"
        not_bool = client.get("/api/deployments", params={"currently_deployed": "maybe"}, headers=h)
        assert not_bool.status_code == 422
        assert not_bool.json()["errors"][0]["parameter"] == "query.currently_deployed"


class TestReleases:
    def test_lifecycle(self, client: Any, tenant_a: Any) -> None:
        h = tenant_a.headers(tenant_a.write_key)
        first = release(client, h, "1.0.0", branch="main")
        assert first.status_code == 201, first.text
        assert first.json()["currently_supported"] is True
        assert first.json()["support_ended_at"] is None
        assert client.get("/api/services/app/versions/1.0.0", headers=h).json()["branches"] == ["main"]
        again = release(client, h, "1.0.0")
        assert again.status_code == 200
        assert again.json() == first.json()
        second = release(client, h, "1.1.0").json()

        supported = client.get("/api/environments/store/released", headers=h).json()["items"]
        assert [r["version"] for r in supported] == ["1.1.0", "1.0.0"]
        assert supported[0]["release_id"] == second["id"]

        ended = client.post(f"/api/releases/{first.json()['id']}/end-support", headers=h)
        assert ended.status_code == 200
        assert ended.json()["currently_supported"] is False
        assert ended.json()["support_ended_at"] is not None
        assert client.post(f"/api/releases/{first.json()['id']}/end-support", headers=h).json() == ended.json()

        by_name = client.post(
            "/api/releases/end-support", json={"service": "app", "version": "1.1.0", "environment": "store"}, headers=h
        )
        assert by_name.status_code == 200
        assert by_name.json()["id"] == second["id"]
        assert by_name.json()["currently_supported"] is False
        assert client.get("/api/environments/store/released", headers=h).json()["items"] == []

        # Releasing a version whose support ended starts a new release.
        rereleased = release(client, h, "1.0.0")
        assert rereleased.status_code == 201
        assert rereleased.json()["id"] != first.json()["id"]
        assert client.get(f"/api/releases/{rereleased.json()['id']}", headers=h).json() == rereleased.json()

    def test_history_filters_and_pages(self, client: Any, tenant_a: Any) -> None:
        h = tenant_a.headers()
        for version in ("1", "2", "3"):
            release(client, h, version)
        release(client, h, "1", environment="beta")
        release(client, h, "5", service="lib")
        client.post(
            "/api/releases/end-support", json={"service": "app", "version": "2", "environment": "store"}, headers=h
        )

        seen, cursor = [], None
        while True:
            params: dict[str, Any] = {"limit": 2} | ({"cursor": cursor} if cursor else {})
            page = client.get("/api/releases", params=params, headers=h).json()
            seen += [(r["service"], r["version"], r["environment"]) for r in page["items"]]
            if not (cursor := page["next_cursor"]):
                break
        assert seen == [("lib", "5", "store"), ("app", "1", "beta"), ("app", "3", "store"), ("app", "2", "store"),
                        ("app", "1", "store")]  # fmt: skip

        def versions(**params: Any) -> list[str]:
            return [r["version"] for r in client.get("/api/releases", params=params, headers=h).json()["items"]]

        assert versions(service="app", environment="store") == ["3", "2", "1"]
        assert versions(version="1") == ["1", "1"]
        assert versions(currently_supported="false") == ["2"]
        assert versions(service="app", environment="store", currently_supported="true") == ["3", "1"]

        supported = client.get("/api/environments/store/released", params={"limit": 2}, headers=h).json()
        rest = client.get(
            "/api/environments/store/released", params={"cursor": supported["next_cursor"]}, headers=h
        ).json()
        assert [(r["service"], r["version"]) for r in supported["items"] + rest["items"]] == [
            ("app", "3"),
            ("app", "1"),
            ("lib", "5"),
        ]
        only_lib = client.get("/api/environments/store/released", params={"service": "lib"}, headers=h).json()
        assert [r["version"] for r in only_lib["items"]] == ["5"]

    def test_404s(self, client: Any, tenant_a: Any) -> None:
        h = tenant_a.headers()
        release(client, h, "1")
        client.post("/api/environments", json={"name": "beta"}, headers=h)
        for target in (
            {"service": "app", "version": "1", "environment": "beta"},
            {"service": "app", "version": "2", "environment": "store"},
            {"service": "app", "version": "1", "environment": "nowhere"},
            {"service": "nobody", "version": "1", "environment": "store"},
        ):
            response = client.post("/api/releases/end-support", json=target, headers=h)
            assert response.status_code == 404, target
            assert response.json()["type"] == NOT_FOUND
        assert client.post(f"/api/releases/{uuid.uuid4()}/end-support", headers=h).status_code == 404
        assert client.get(f"/api/releases/{uuid.uuid4()}", headers=h).status_code == 404
        assert client.get("/api/environments/nowhere/released", headers=h).status_code == 404

    @pytest.mark.parametrize(
        ("fields", "pointer"),
        [
            ({"environment": "a b"}, "/environment"),
            ({"version": ""}, "/version"),
            ({"branch": ""}, "/branch"),
            ({"application_instance": "x"}, "/application_instance"),  # releases have no instances: an unknown field
        ],
    )
    def test_invalid_input_is_422(self, client: Any, tenant_a: Any, fields: dict[str, Any], pointer: str) -> None:
        response = release(client, tenant_a.headers(), "1", **fields)
        assert response.status_code == 422
        assert response.json()["type"] == INVALID
        assert response.json()["errors"][0]["pointer"] == pointer


class TestIsolation:
    def test_tenant_b_can_neither_see_nor_change_a_s_deployments(
        self, client: Any, tenant_a: Any, tenant_b: Any
    ) -> None:
        a = tenant_a.headers()
        a_deployment = deploy(client, a, "1").json()
        a_env = client.get("/api/environments/prod", headers=a).json()
        b = tenant_b.headers()

        assert client.get("/api/deployments", headers=b).json()["items"] == []
        assert client.get(f"/api/deployments/{a_deployment['id']}", headers=b).status_code == 404
        assert client.post(f"/api/deployments/{a_deployment['id']}/undeploy", headers=b).status_code == 404
        undeploy = client.post("/api/deployments/undeploy", json={"service": "web", "environment": "prod"}, headers=b)
        assert undeploy.status_code == 404
        assert client.get("/api/environments/prod/deployed", headers=b).status_code == 404

        # B deploying to an environment named like A's creates B's own environment, service and version.
        b_deployment = deploy(client, b, "1")
        assert b_deployment.status_code == 201
        b_env = client.get("/api/environments/prod", headers=b).json()
        assert b_env["id"] != a_env["id"]
        assert (
            client.post("/api/deployments/undeploy", json={"service": "web", "environment": "prod"}, headers=b).json()[
                "id"
            ]
            == b_deployment.json()["id"]
        )
        assert client.get(f"/api/deployments/{b_deployment.json()['id']}", headers=a).status_code == 404

        # A's deployment is untouched by all of it.
        assert client.get(f"/api/deployments/{a_deployment['id']}", headers=a).json() == a_deployment
        assert [d["id"] for d in client.get("/api/deployments", headers=a).json()["items"]] == [a_deployment["id"]]
        assert client.get("/api/environments/prod", headers=a).json() == a_env

    def test_tenant_b_can_neither_see_nor_change_a_s_releases(self, client: Any, tenant_a: Any, tenant_b: Any) -> None:
        a = tenant_a.headers()
        a_release = release(client, a, "1").json()
        b = tenant_b.headers()
        target = {"service": "app", "version": "1", "environment": "store"}

        assert client.get("/api/releases", headers=b).json()["items"] == []
        assert client.get(f"/api/releases/{a_release['id']}", headers=b).status_code == 404
        assert client.post(f"/api/releases/{a_release['id']}/end-support", headers=b).status_code == 404
        assert client.post("/api/releases/end-support", json=target, headers=b).status_code == 404
        assert client.get("/api/environments/store/released", headers=b).status_code == 404

        b_release = release(client, b, "1")
        assert b_release.status_code == 201
        assert b_release.json()["id"] != a_release["id"]
        assert client.post("/api/releases/end-support", json=target, headers=b).json()["currently_supported"] is False
        assert client.get(f"/api/releases/{b_release.json()['id']}", headers=a).status_code == 404

        assert client.get(f"/api/releases/{a_release['id']}", headers=a).json() == a_release
        assert [r["id"] for r in client.get("/api/releases", headers=a).json()["items"]] == [a_release["id"]]


class TestConcurrency:
    def test_racing_deployments_of_mixed_versions_leave_exactly_one_current(
        self, client: Any, run: Any, tenant_a: Any
    ) -> None:
        async def race() -> list[Any]:
            return await asyncio.gather(
                *(
                    presence_service(tenant_a.id).record(
                        DEPLOYED, service="web", version=str(i % 3), environment="prod", deployed_by=f"job-{i}"
                    )
                    for i in range(10)
                )
            )

        results = run(race)
        assert len(results) == 10
        h = tenant_a.headers()
        history = client.get("/api/deployments", params={"limit": 50}, headers=h).json()["items"]
        current = [d for d in history if d["currently_deployed"]]
        assert len(current) == 1
        assert all(d["undeployed_at"] is not None for d in history if not d["currently_deployed"])
        # The last recording to commit is the current one: history forms one chain, newest first.
        assert history[0] == current[0]
        for newer, older in itertools.pairwise(history):
            assert older["undeployed_at"] == newer["deployed_at"]
        assert len(client.get("/api/environments", headers=h).json()["items"]) == 1
        assert len(client.get("/api/services/web/versions", headers=h).json()["items"]) == 3

    def test_racing_identical_deployments_make_one_row(self, client: Any, run: Any, tenant_a: Any) -> None:
        async def race() -> list[Any]:
            return await asyncio.gather(
                *(
                    presence_service(tenant_a.id).record(DEPLOYED, service="web", version="1", environment="prod")
                    for _ in range(10)
                )
            )

        results = run(race)
        assert len({deployment.id for deployment, _ in results}) == 1
        assert sorted(created for _, created in results) == [False] * 9 + [True]
        history = client.get("/api/deployments", headers=tenant_a.headers()).json()["items"]
        assert len(history) == 1
        assert history[0]["currently_deployed"] is True

    def test_racing_http_deployments_never_fail(self, client: Any, tenant_a: Any) -> None:
        from concurrent.futures import ThreadPoolExecutor

        h = tenant_a.headers()
        with ThreadPoolExecutor(max_workers=10) as pool:
            responses = list(pool.map(lambda i: deploy(client, h, str(i % 2)), range(10)))
        assert {r.status_code for r in responses} <= {200, 201}
        current = client.get("/api/deployments", params={"currently_deployed": "true"}, headers=h).json()["items"]
        assert len(current) == 1

    def test_racing_identical_releases_make_one_row(self, client: Any, run: Any, tenant_a: Any) -> None:
        async def race() -> list[Any]:
            return await asyncio.gather(
                *(
                    presence_service(tenant_a.id).record(RELEASED, service="app", version="1", environment="store")
                    for _ in range(10)
                )
            )

        results = run(race)
        assert len({r.id for r, _ in results}) == 1
        assert sum(created for _, created in results) == 1
        assert len(client.get("/api/releases", headers=tenant_a.headers()).json()["items"]) == 1
