"""/api/environments: CRUD, deletion rules, auto-creation by deployments and releases, isolation, races."""

from __future__ import annotations

import asyncio
from typing import Any

import pytest

from accord.environments.service import EnvironmentService

CONFLICT = "urn:accord:problem:conflict"
NOT_FOUND = "urn:accord:problem:not-found"
INVALID = "urn:accord:problem:validation-failed"


class TestEnvironments:
    def test_create_get_update_list_delete(self, client: Any, tenant_a: Any) -> None:
        h = tenant_a.headers(tenant_a.write_key)
        created = client.post(
            "/api/environments", json={"name": "production", "display_name": "Prod", "production": True}, headers=h
        )
        assert created.status_code == 201, created.text
        assert created.json()["display_name"] == "Prod"
        assert created.json()["production"] is True
        test_env = client.post("/api/environments", json={"name": "test"}, headers=h).json()
        assert test_env["production"] is False
        assert test_env["display_name"] is None

        read = tenant_a.headers(tenant_a.read_key)
        assert client.get("/api/environments/production", headers=read).json()["id"] == created.json()["id"]
        patched = client.patch("/api/environments/test", json={"display_name": "Test", "production": True}, headers=h)
        assert patched.status_code == 200
        assert patched.json()["display_name"] == "Test"
        assert patched.json()["production"] is True
        cleared = client.patch("/api/environments/test", json={"display_name": None}, headers=h).json()
        assert cleared["display_name"] is None
        assert cleared["production"] is True

        client.post("/api/environments", json={"name": "staging"}, headers=h)
        page = client.get("/api/environments", params={"limit": 2}, headers=read).json()
        assert [e["name"] for e in page["items"]] == ["production", "staging"]
        rest = client.get("/api/environments", params={"cursor": page["next_cursor"]}, headers=read).json()
        assert [e["name"] for e in rest["items"]] == ["test"]
        assert rest["next_cursor"] is None
        not_production = client.get("/api/environments", params={"production": "false"}, headers=read).json()
        assert [e["name"] for e in not_production["items"]] == ["staging"]

        assert client.delete("/api/environments/staging", headers=h).status_code == 204
        gone = client.get("/api/environments/staging", headers=read)
        assert gone.status_code == 404
        assert gone.json()["type"] == NOT_FOUND

    def test_duplicate_name_is_409(self, client: Any, tenant_a: Any) -> None:
        h = tenant_a.headers()
        assert client.post("/api/environments", json={"name": "test"}, headers=h).status_code == 201
        again = client.post("/api/environments", json={"name": "test", "production": True}, headers=h)
        assert again.status_code == 409
        assert again.json()["type"] == CONFLICT
        assert client.get("/api/environments/test", headers=h).json()["production"] is False

    @pytest.mark.parametrize(
        ("body", "pointer"),
        [
            ({"name": ""}, "/name"),
            ({"name": "a/b"}, "/name"),
            ({"name": "has space"}, "/name"),
            ({"name": "tab\tbed"}, "/name"),
            ({"name": "x" * 101}, "/name"),
            ({"name": "ok", "production": "yes"}, "/production"),
            ({"name": "ok", "display_name": "d" * 256}, "/display_name"),
        ],
    )
    def test_invalid_input_is_422_with_a_pointer(
        self, client: Any, tenant_a: Any, body: dict[str, Any], pointer: str
    ) -> None:
        response = client.post("/api/environments", json=body, headers=tenant_a.headers())
        assert response.status_code == 422
        assert response.json()["type"] == INVALID
        assert response.json()["errors"][0]["pointer"] == pointer

    def test_unknown_fields_and_a_tenant_field_are_refused(self, client: Any, tenant_a: Any) -> None:
        h = tenant_a.headers()
        for body in ({"name": "x", "tenant": str(tenant_a.id)}, {"name": "x", "colour": "red"}):
            assert client.post("/api/environments", json=body, headers=h).status_code == 422
        client.post("/api/environments", json={"name": "test"}, headers=h)
        assert client.patch("/api/environments/test", json={"name": "renamed"}, headers=h).status_code == 422

    def test_unknown_environment_is_404(self, client: Any, tenant_a: Any) -> None:
        h = tenant_a.headers()
        assert client.get("/api/environments/nope", headers=h).status_code == 404
        assert client.patch("/api/environments/nope", json={"production": True}, headers=h).status_code == 404
        assert client.delete("/api/environments/nope", headers=h).status_code == 404

    def test_read_key_cannot_write(self, client: Any, tenant_a: Any) -> None:
        response = client.post("/api/environments", json={"name": "x"}, headers=tenant_a.headers(tenant_a.read_key))
        assert response.status_code == 403


class TestDeletion:
    def test_refused_while_deployments_or_releases_refer_to_it_unless_cascade(self, client: Any, tenant_a: Any) -> None:
        h = tenant_a.headers()
        client.post("/api/deployments", json={"service": "web", "version": "1", "environment": "test"}, headers=h)
        client.post("/api/releases", json={"service": "app", "version": "2", "environment": "test"}, headers=h)

        refused = client.delete("/api/environments/test", headers=h)
        assert refused.status_code == 409
        assert refused.json()["type"] == CONFLICT
        assert "1 deployments, 1 releases" in refused.json()["detail"]

        assert client.delete("/api/environments/test", params={"cascade": "true"}, headers=h).status_code == 204
        assert client.get("/api/environments/test", headers=h).status_code == 404
        assert client.get("/api/deployments", headers=h).json()["items"] == []
        assert client.get("/api/releases", headers=h).json()["items"] == []
        # The services and versions stay.
        assert client.get("/api/services/web/versions/1", headers=h).status_code == 200

    def test_undeployed_history_still_counts(self, client: Any, tenant_a: Any) -> None:
        h = tenant_a.headers()
        client.post("/api/deployments", json={"service": "web", "version": "1", "environment": "test"}, headers=h)
        client.post("/api/deployments/undeploy", json={"service": "web", "environment": "test"}, headers=h)
        assert client.delete("/api/environments/test", headers=h).status_code == 409


class TestAutoCreation:
    def test_first_deployment_or_release_creates_a_non_production_environment(self, client: Any, tenant_a: Any) -> None:
        h = tenant_a.headers()
        client.post("/api/deployments", json={"service": "web", "version": "1", "environment": "qa"}, headers=h)
        client.post("/api/releases", json={"service": "app", "version": "1", "environment": "store"}, headers=h)
        listed = client.get("/api/environments", headers=h).json()["items"]
        assert [(e["name"], e["production"], e["display_name"]) for e in listed] == [
            ("qa", False, None),
            ("store", False, None),
        ]

    def test_an_existing_environment_is_reused_unchanged(self, client: Any, tenant_a: Any) -> None:
        h = tenant_a.headers()
        env = client.post("/api/environments", json={"name": "prod", "production": True}, headers=h).json()
        client.post("/api/deployments", json={"service": "web", "version": "1", "environment": "prod"}, headers=h)
        assert client.get("/api/environments/prod", headers=h).json() == env

    def test_concurrent_ensures_make_one_row(self, client: Any, run: Any, tenant_a: Any) -> None:
        async def race() -> list[Any]:
            return await asyncio.gather(*(EnvironmentService(tenant_a.id).ensure_environment("qa") for _ in range(10)))

        ids = run(race)
        assert len(set(ids)) == 1
        listed = client.get("/api/environments", headers=tenant_a.headers()).json()["items"]
        assert [e["id"] for e in listed] == [str(ids[0])]

    def test_deleting_while_deployments_are_recorded_never_errors(self, client: Any, run: Any, tenant_a: Any) -> None:
        """A deployment racing a delete either lands before it (and is cascaded) or recreates the environment."""
        from accord.composition import presence_service
        from accord.deployments.presence import DEPLOYED

        h = tenant_a.headers()
        for round_ in range(5):
            client.post("/api/environments", json={"name": "qa"}, headers=h)

            async def race(number: int = round_) -> list[Any]:
                deployments = (
                    presence_service(tenant_a.id).record(
                        DEPLOYED, service=f"svc-{i}", version=str(number), environment="qa"
                    )
                    for i in range(5)
                )
                return await asyncio.gather(EnvironmentService(tenant_a.id).delete("qa", cascade=True), *deployments)

            run(race)
            current = client.get("/api/deployments", params={"currently_deployed": "true"}, headers=h).json()["items"]
            environments = client.get("/api/environments", headers=h).json()["items"]
            assert [e["name"] for e in environments] == (["qa"] if current else [])


def test_isolation(client: Any, tenant_a: Any, tenant_b: Any) -> None:
    a = tenant_a.headers()
    a_env = client.post("/api/environments", json={"name": "prod", "production": True}, headers=a).json()
    client.post("/api/deployments", json={"service": "web", "version": "1", "environment": "prod"}, headers=a)
    client.post("/api/releases", json={"service": "app", "version": "1", "environment": "prod"}, headers=a)

    b = tenant_b.headers()
    assert client.get("/api/environments", headers=b).json()["items"] == []
    assert client.get("/api/environments/prod", headers=b).status_code == 404
    assert client.patch("/api/environments/prod", json={"production": False}, headers=b).status_code == 404
    assert client.delete("/api/environments/prod", params={"cascade": "true"}, headers=b).status_code == 404
    assert client.get("/api/environments/prod/deployed", headers=b).status_code == 404
    assert client.get("/api/environments/prod/released", headers=b).status_code == 404

    # The same name in tenant B is B's own environment.
    b_env = client.post("/api/environments", json={"name": "prod"}, headers=b)
    assert b_env.status_code == 201
    assert b_env.json()["id"] != a_env["id"]
    assert client.get("/api/environments/prod/deployed", headers=b).json()["items"] == []
    assert client.get("/api/environments/prod", headers=a).json() == a_env
    assert len(client.get("/api/environments/prod/deployed", headers=a).json()["items"]) == 1
