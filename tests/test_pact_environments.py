"""Pact API: environments, deployed and released versions — HAL shapes and broker semantics through HTTP, the
real `pact broker` CLI against a live server, isolation and races."""

from __future__ import annotations

import asyncio
import json
import subprocess
import sys
import uuid
from pathlib import Path
from typing import Any

import httpx
import pytest

from accord.composition import presence_service
from accord.deployments.presence import DEPLOYED

PACT = str(Path(sys.executable).parent / "pact")
BASE = "http://testserver.local"


def hal_get(client: Any, path: str, headers: dict[str, str], status: int = 200) -> dict[str, Any]:
    response = client.get(path, headers=headers)
    assert response.status_code == status, response.text
    assert response.headers["content-type"].startswith("application/hal+json")
    body: dict[str, Any] = response.json()
    return body


def create_environment(client: Any, headers: dict[str, str], name: str, **fields: Any) -> str:
    response = client.post("/environments", json={"name": name, **fields}, headers=headers)
    assert response.status_code == 201, response.text
    environment_id: str = response.json()["uuid"]
    return environment_id


def record_deployment(client: Any, headers: dict[str, str], environment_id: str, version: str, **body: Any) -> Any:
    path = f"/pacticipants/web/versions/{version}/deployed-versions/environment/{environment_id}"
    return client.post(path, json=body, headers=headers)


def record_release(client: Any, headers: dict[str, str], environment_id: str, version: str) -> Any:
    path = f"/pacticipants/app/versions/{version}/released-versions/environment/{environment_id}"
    return client.post(path, json={}, headers=headers)


class TestEnvironments:
    def test_create_get_list_replace_delete(self, client: Any, tenant_a: Any) -> None:
        h = tenant_a.headers(tenant_a.write_key)
        body = {"name": "production", "displayName": "Production", "production": True, "contacts": [{"name": "Ops"}]}
        created = client.post("/environments", json=body, headers=h)
        assert created.status_code == 201, created.text
        environment = created.json()
        environment_id = environment["uuid"]
        assert created.headers["location"] == f"{BASE}/environments/{environment_id}"
        assert {k: environment[k] for k in ("name", "displayName", "production")} == {
            "name": "production",
            "displayName": "Production",
            "production": True,
        }
        assert environment["_links"]["self"] == {
            "href": f"{BASE}/environments/{environment_id}",
            "title": "Environment",
            "name": "production",
        }
        assert environment["_links"]["pb:currently-deployed-deployed-versions"]["href"] == (
            f"{BASE}/environments/{environment_id}/deployed-versions/currently-deployed"
        )
        assert environment["_links"]["pb:currently-supported-released-versions"]["href"] == (
            f"{BASE}/environments/{environment_id}/released-versions/currently-supported"
        )
        assert client.get("/api/environments/production", headers=h).json()["id"] == environment_id

        read = tenant_a.headers(tenant_a.read_key)
        assert hal_get(client, f"/environments/{environment_id}", read)["name"] == "production"
        test_id = create_environment(client, h, "test")
        listed = hal_get(client, "/environments", read)
        assert [(e["name"], e["displayName"]) for e in listed["_embedded"]["environments"]] == [
            ("production", "Production"),
            ("test", "Test"),
        ]
        assert [link["name"] for link in listed["_links"]["pb:environments"]] == ["production", "test"]
        by_name = hal_get(client, "/environments?name=test", read)["_embedded"]["environments"]
        assert [e["uuid"] for e in by_name] == [test_id]
        assert hal_get(client, "/environments?name=nope", read)["_embedded"]["environments"] == []
        first = hal_get(client, "/environments?size=1", read)
        rest = hal_get(client, first["_links"]["next"]["href"].removeprefix(BASE), read)
        assert [e["name"] for e in rest["_embedded"]["environments"]] == ["test"]

        renamed = client.put(f"/environments/{test_id}", json={"name": "qa", "production": False}, headers=h)
        assert renamed.status_code == 200, renamed.text
        assert (renamed.json()["uuid"], renamed.json()["name"], renamed.json()["displayName"]) == (test_id, "qa", "Qa")
        assert client.get("/api/environments/qa", headers=h).json()["id"] == test_id
        taken = client.put(f"/environments/{test_id}", json={"name": "production", "production": True}, headers=h)
        assert taken.status_code == 409
        assert "errors" in taken.json()

        assert client.delete(f"/environments/{test_id}", headers=h).status_code == 204
        assert client.get(f"/environments/{test_id}", headers=h).status_code == 404
        assert client.delete(f"/environments/{test_id}", headers=h).status_code == 404

    def test_duplicate_names_unknown_and_malformed_ids(self, client: Any, tenant_a: Any) -> None:
        h = tenant_a.headers()
        create_environment(client, h, "test")
        again = client.post("/environments", json={"name": "test"}, headers=h)
        assert again.status_code == 409
        assert again.json()["errors"] == {"base": ["An environment named 'test' already exists."]}
        spaced = client.post("/environments", json={"name": "has space"}, headers=h)
        assert spaced.status_code == 400
        assert "name" in spaced.json()["errors"]
        for path in (f"/environments/{uuid.uuid4()}", "/environments/not-a-uuid"):
            assert client.get(path, headers=h).status_code == 404
        assert client.put(f"/environments/{uuid.uuid4()}", json={"name": "x"}, headers=h).status_code == 404

    def test_delete_takes_the_deployment_history_with_it(self, client: Any, tenant_a: Any) -> None:
        h = tenant_a.headers()
        environment_id = create_environment(client, h, "prod")
        client.put("/pacticipants/web/versions/1", json={}, headers=h)
        assert record_deployment(client, h, environment_id, "1").status_code == 201
        assert client.delete(f"/environments/{environment_id}", headers=h).status_code == 204
        assert client.get("/api/deployments", headers=h).json()["items"] == []


class TestDeployedVersions:
    def test_record_read_and_undeploy(self, client: Any, tenant_a: Any) -> None:
        h = tenant_a.headers(tenant_a.write_key)
        environment_id = create_environment(client, h, "prod", displayName="Production", production=True)
        client.put("/pacticipants/web/versions/1", json={}, headers=h)
        client.put("/pacticipants/web/versions/2", json={}, headers=h)
        first = record_deployment(client, h, environment_id, "1")
        assert first.status_code == 201, first.text
        deployed = first.json()
        assert deployed["currentlyDeployed"] is True
        assert "applicationInstance" not in deployed
        assert "target" not in deployed
        assert first.headers["location"] == deployed["_links"]["self"]["href"]
        assert deployed["_links"]["self"]["href"] == f"{BASE}/deployed-versions/{deployed['uuid']}"
        assert deployed["_embedded"]["pacticipant"]["name"] == "web"
        assert deployed["_embedded"]["version"]["number"] == "1"
        assert deployed["_embedded"]["environment"]["uuid"] == environment_id
        assert record_deployment(client, h, environment_id, "1").status_code == 200

        second = record_deployment(client, h, environment_id, "2").json()
        replaced = hal_get(client, f"/deployed-versions/{deployed['uuid']}", tenant_a.headers(tenant_a.read_key))
        assert replaced["currentlyDeployed"] is False
        assert "undeployedAt" in replaced
        blue = record_deployment(client, h, environment_id, "1", applicationInstance="blue").json()
        assert (blue["applicationInstance"], blue["target"]) == ("blue", "blue")
        green = record_deployment(client, h, environment_id, "1", target="green").json()
        assert green["applicationInstance"] == "green"
        no_body = f"/pacticipants/web/versions/2/deployed-versions/environment/{environment_id}"
        assert client.post(no_body, headers=h).status_code == 200  # already current, nothing recorded

        current = hal_get(
            client, f"/environments/{environment_id}/deployed-versions/currently-deployed?pacticipant=web", h
        )
        assert current["_links"]["self"]["title"] == "Currently deployed versions for Production"
        assert [
            (d["_embedded"]["version"]["number"], d.get("applicationInstance"))
            for d in current["_embedded"]["deployedVersions"]
        ] == [("2", None), ("1", "blue"), ("1", "green")]
        assert "environment" not in current["_embedded"]["deployedVersions"][0]["_embedded"]
        other = hal_get(client, f"/environments/{environment_id}/deployed-versions/currently-deployed?pacticipant=x", h)
        assert other["_embedded"]["deployedVersions"] == []

        undeployed = client.patch(
            f"/deployed-versions/{second['uuid']}",
            json={"currentlyDeployed": False},
            headers={**h, "Content-Type": "application/merge-patch+json"},
        )
        assert undeployed.status_code == 200, undeployed.text
        assert undeployed.json()["currentlyDeployed"] is False
        native = client.get(f"/api/deployments/{second['uuid']}", headers=h).json()
        assert native["currently_deployed"] is False
        back = client.patch(f"/deployed-versions/{second['uuid']}", json={"currentlyDeployed": True}, headers=h)
        assert back.status_code == 400
        assert back.json()["errors"]["currentlyDeployed"] == ["can only be set to false"]
        assert (
            client.patch(f"/deployed-versions/{uuid.uuid4()}", json={"currentlyDeployed": False}, headers=h).status_code
            == 404
        )

    def test_unknown_version_or_environment_is_404(self, client: Any, tenant_a: Any) -> None:
        h = tenant_a.headers()
        environment_id = create_environment(client, h, "prod")
        unknown_version = record_deployment(client, h, environment_id, "9")
        assert unknown_version.status_code == 404
        assert unknown_version.json()["errors"] == {"base": ["No service named 'web'."]}
        client.put("/pacticipants/web/versions/1", json={}, headers=h)
        assert record_deployment(client, h, str(uuid.uuid4()), "1").status_code == 404
        assert client.get("/api/services/web/versions/9", headers=h).status_code == 404
        assert (
            client.get(f"/environments/{uuid.uuid4()}/deployed-versions/currently-deployed", headers=h).status_code
            == 404
        )

    def test_concurrent_recordings_leave_one_current_deployment(self, client: Any, run: Any, tenant_a: Any) -> None:
        h = tenant_a.headers()
        environment_id = create_environment(client, h, "prod")
        for number in ("1", "2", "3"):
            client.put(f"/pacticipants/web/versions/{number}", json={}, headers=h)

        async def race() -> None:
            presences = presence_service(tenant_a.id)
            await asyncio.gather(
                *(
                    presences.record_existing(
                        DEPLOYED, service="web", version=n, environment_id=uuid.UUID(environment_id)
                    )
                    for n in ("1", "2", "3") * 3
                )
            )

        run(race)
        current = client.get("/api/deployments", params={"currently_deployed": "true"}, headers=h).json()["items"]
        assert len(current) == 1


class TestReleasedVersions:
    def test_record_read_and_end_support(self, client: Any, tenant_a: Any) -> None:
        h = tenant_a.headers(tenant_a.write_key)
        environment_id = create_environment(client, h, "store")
        client.put("/pacticipants/app/versions/1", json={}, headers=h)
        client.put("/pacticipants/app/versions/2", json={}, headers=h)
        first = record_release(client, h, environment_id, "1")
        assert first.status_code == 201, first.text
        released = first.json()
        assert released["currentlySupported"] is True
        assert released["_links"]["self"]["href"] == f"{BASE}/released-versions/{released['uuid']}"
        assert released["_embedded"]["environment"]["name"] == "store"
        again = record_release(client, h, environment_id, "1")
        assert again.status_code == 200
        assert again.json()["uuid"] == released["uuid"]
        record_release(client, h, environment_id, "2")

        supported = hal_get(
            client, f"/environments/{environment_id}/released-versions/currently-supported?pacticipant=app", h
        )
        assert sorted(r["_embedded"]["version"]["number"] for r in supported["_embedded"]["releasedVersions"]) == [
            "1",
            "2",
        ]
        ended = client.patch(
            f"/released-versions/{released['uuid']}",
            json={"currentlySupported": False},
            headers={**h, "Content-Type": "application/merge-patch+json"},
        )
        assert ended.status_code == 200, ended.text
        assert ended.json()["currentlySupported"] is False
        assert "supportEndedAt" in ended.json()
        assert client.get(f"/api/releases/{released['uuid']}", headers=h).json()["currently_supported"] is False
        resumed = client.patch(f"/released-versions/{released['uuid']}", json={"currentlySupported": True}, headers=h)
        assert resumed.status_code == 400
        assert hal_get(client, f"/released-versions/{released['uuid']}", h)["currentlySupported"] is False
        assert client.get(f"/released-versions/{uuid.uuid4()}", headers=h).status_code == 404
        assert client.get("/released-versions/nope", headers=h).status_code == 404


def test_links_follow_forwarded_headers(client: Any, tenant_a: Any) -> None:
    h = tenant_a.headers()
    environment_id = create_environment(client, h, "prod")
    forwarded = {**h, "X-Forwarded-Proto": "https", "X-Forwarded-Host": "pact.example.com:8443"}
    environment = hal_get(client, f"/environments/{environment_id}", forwarded)
    assert environment["_links"]["self"]["href"] == f"https://pact.example.com:8443/environments/{environment_id}"
    client.put("/pacticipants/web/versions/1", json={}, headers=h)
    version = hal_get(client, "/pacticipants/web/versions/1", forwarded)
    assert version["_links"]["pb:record-deployment"][0]["href"].startswith("https://pact.example.com:8443/")


def test_isolation(client: Any, tenant_a: Any, tenant_b: Any) -> None:
    a, b = tenant_a.headers(), tenant_b.headers()
    environment_id = create_environment(client, a, "prod")
    client.put("/pacticipants/web/versions/1", json={}, headers=a)
    client.put("/pacticipants/app/versions/1", json={}, headers=a)
    deployed = record_deployment(client, a, environment_id, "1").json()
    released = record_release(client, a, environment_id, "1").json()
    for path in (
        f"/environments/{environment_id}",
        f"/environments/{environment_id}/deployed-versions/currently-deployed",
        f"/environments/{environment_id}/released-versions/currently-supported",
        f"/deployed-versions/{deployed['uuid']}",
        f"/released-versions/{released['uuid']}",
    ):
        assert client.get(path, headers=b).status_code == 404, path
    assert client.get("/environments", headers=b).json()["_embedded"]["environments"] == []
    assert client.get("/environments?name=prod", headers=b).json()["_embedded"]["environments"] == []
    assert client.put(f"/environments/{environment_id}", json={"name": "x"}, headers=b).status_code == 404
    assert client.delete(f"/environments/{environment_id}", headers=b).status_code == 404
    assert (
        client.patch(f"/deployed-versions/{deployed['uuid']}", json={"currentlyDeployed": False}, headers=b).status_code
        == 404
    )
    assert (
        client.patch(
            f"/released-versions/{released['uuid']}", json={"currentlySupported": False}, headers=b
        ).status_code
        == 404
    )
    client.put("/pacticipants/web/versions/1", json={}, headers=b)
    assert record_deployment(client, b, environment_id, "1").status_code == 404
    assert record_release(client, b, environment_id, "1").status_code == 404
    # B's environment of the same name is B's own; A's deployment is untouched by anything B did.
    assert create_environment(client, b, "prod") != environment_id
    assert hal_get(client, f"/deployed-versions/{deployed['uuid']}", a)["currentlyDeployed"] is True
    assert hal_get(client, f"/released-versions/{released['uuid']}", a)["currentlySupported"] is True
    assert hal_get(client, f"/environments/{environment_id}", a)["name"] == "prod"


# The real client ---------------------------------------------------------------------------------------------


def pact(
    server: Any, *args: str, token: str | None = None, basic: str | None = None
) -> subprocess.CompletedProcess[str]:
    command, *rest = args
    auth = ["--broker-token", token] if token else ["-u", "ci", "-p", basic or ""]
    return subprocess.run(
        [PACT, "broker", command, "--broker-base-url", server.base_url, *auth, *rest],
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
    )


def ok(done: subprocess.CompletedProcess[str]) -> str:
    assert done.returncode == 0, done.stdout + done.stderr
    return done.stdout


def api(server: Any, tenant: Any, path: str, **params: str) -> Any:
    response = httpx.get(
        f"{server.base_url}/api{path}", params=params, headers=tenant.headers(tenant.read_key), timeout=10
    )
    assert response.status_code == 200, response.text
    return response.json()


@pytest.mark.e2e
def test_cli_manages_environments(live_server: Any, live_tenant: Any) -> None:
    key = live_tenant.write_key
    created = ok(
        pact(
            live_server,
            "create-environment",
            "--name",
            "staging",
            "--display-name",
            "Staging",
            "--contact-name",
            "Ops",
            token=key,
        )
    )
    environment = api(live_server, live_tenant, "/environments/staging")
    assert environment["id"] in created
    assert (environment["display_name"], environment["production"]) == ("Staging", False)
    ok(pact(live_server, "create-environment", "--name", "production", "--production", basic=key))
    assert api(live_server, live_tenant, "/environments/production")["production"] is True

    listed = ok(pact(live_server, "list-environments", token=live_tenant.read_key))
    assert "staging" in listed
    assert "Production" in listed
    listed_json = json.loads(ok(pact(live_server, "list-environments", "-o", "json", basic=live_tenant.read_key)))
    assert [e["name"] for e in listed_json["_embedded"]["environments"]] == ["production", "staging"]

    uuid_ = environment["id"]
    described = ok(pact(live_server, "describe-environment", "--uuid", uuid_, token=key))
    assert "Name: staging" in described
    assert "Display Name: Staging" in described
    ok(
        pact(
            live_server,
            "update-environment",
            "--uuid",
            uuid_,
            "--name",
            "stage",
            "--display-name",
            "Stage",
            "--production",
            token=key,
        )
    )
    renamed = api(live_server, live_tenant, "/environments/stage")
    assert (renamed["id"], renamed["display_name"], renamed["production"]) == (uuid_, "Stage", True)

    deleted = ok(pact(live_server, "delete-environment", "--uuid", uuid_, token=key))
    assert "deleted successfully" in deleted
    assert [e["name"] for e in api(live_server, live_tenant, "/environments")["items"]] == ["production"]
    missing = pact(live_server, "describe-environment", "--uuid", str(uuid.uuid4()), token=key)
    assert missing.returncode != 0


@pytest.mark.e2e
def test_cli_records_deployments_and_releases(live_server: Any, live_tenant: Any) -> None:
    key = live_tenant.write_key
    ok(pact(live_server, "create-environment", "--name", "production", "--production", token=key))
    for number in ("1.0.0", "1.1.0"):
        ok(pact(live_server, "create-or-update-version", "--pacticipant", "web", "--version", number, token=key))

    recorded = ok(
        pact(
            live_server,
            "record-deployment",
            "--pacticipant",
            "web",
            "--version",
            "1.0.0",
            "--environment",
            "production",
            token=key,
        )
    )
    assert "Recorded deployment of web version 1.0.0 to production" in recorded
    ok(
        pact(
            live_server,
            "record-deployment",
            "--pacticipant",
            "web",
            "--version",
            "1.1.0",
            "--environment",
            "production",
            "--application-instance",
            "blue",
            basic=key,
        )
    )
    current = api(live_server, live_tenant, "/deployments", service="web", currently_deployed="true")["items"]
    assert sorted((d["version"], d["application_instance"]) for d in current) == [("1.0.0", ""), ("1.1.0", "blue")]

    described = ok(
        pact(live_server, "describe-version", "--pacticipant", "web", "--environment", "production", token=key)
    )
    assert "Deployed" in described
    assert "blue" in described

    ok(pact(live_server, "record-undeployment", "--pacticipant", "web", "--environment", "production", token=key))
    current = api(live_server, live_tenant, "/deployments", service="web", currently_deployed="true")["items"]
    assert [(d["version"], d["application_instance"]) for d in current] == [("1.1.0", "blue")]
    ok(
        pact(
            live_server,
            "record-undeployment",
            "--pacticipant",
            "web",
            "--environment",
            "production",
            "--application-instance",
            "blue",
            token=key,
        )
    )
    assert api(live_server, live_tenant, "/deployments", service="web", currently_deployed="true")["items"] == []
    nothing_left = pact(
        live_server, "record-undeployment", "--pacticipant", "web", "--environment", "production", token=key
    )
    assert nothing_left.returncode != 0
    assert "not currently deployed" in nothing_left.stdout + nothing_left.stderr

    released = ok(
        pact(
            live_server,
            "record-release",
            "--pacticipant",
            "web",
            "--version",
            "1.0.0",
            "--environment",
            "production",
            token=key,
        )
    )
    assert "Recorded release of web version 1.0.0" in released
    assert [r["currently_supported"] for r in api(live_server, live_tenant, "/releases", service="web")["items"]] == [
        True
    ]
    ok(
        pact(
            live_server,
            "record-support-ended",
            "--pacticipant",
            "web",
            "--version",
            "1.0.0",
            "--environment",
            "production",
            token=key,
        )
    )
    assert [r["currently_supported"] for r in api(live_server, live_tenant, "/releases", service="web")["items"]] == [
        False
    ]

    unknown = pact(
        live_server,
        "record-deployment",
        "--pacticipant",
        "web",
        "--version",
        "1.0.0",
        "--environment",
        "nowhere",
        token=key,
    )
    assert unknown.returncode != 0
    assert "nowhere does not exist" in unknown.stdout + unknown.stderr
    unknown_release = pact(
        live_server,
        "record-release",
        "--pacticipant",
        "web",
        "--version",
        "1.0.0",
        "--environment",
        "nowhere",
        token=key,
    )
    assert unknown_release.returncode != 0
    unknown_version = pact(
        live_server,
        "record-deployment",
        "--pacticipant",
        "web",
        "--version",
        "9.9.9",
        "--environment",
        "production",
        token=key,
    )
    assert unknown_version.returncode != 0
    assert api(live_server, live_tenant, "/deployments", service="web")["items"][0]["version"] != "9.9.9"
    wrong = pact(live_server, "list-environments", token="acc_wrong_key")
    assert wrong.returncode != 0
